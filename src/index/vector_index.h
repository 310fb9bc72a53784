// VectorIndex: exact (brute-force) inner-product search over the chunk vectors held in memory.
//
// The index is a derived, rebuildable structure: the `vectors` column family in RocksDB is the
// source of truth, and a VectorIndex is rebuilt from it at start-up or after changes, never
// persisted as truth. Vectors are expected L2-normalised (as every Embedder produces them), so the
// inner product is the cosine similarity; an all-zero vector (a text with no features) is accepted
// and scores 0 against everything. Norms are not checked: binary16 storage already moves a norm by
// up to about 1e-3.
//
// Vectors are held as IEEE binary16, exactly as stored (FORMAT.md §1.4); vectors given as float32
// are rounded to binary16 on Add. Queries stay float32. Each vector carries a caller-chosen 63-bit
// id, in practice format::ChunkId::value. Search scores every stored vector exactly (no
// approximation) with the fp16 kernel of the index's SIMD path (fp16_dot.h), and ranks with a
// bounded heap; scores equal a float32 loop over the widened values up to summation order (a few
// ulp). Above 2 * min_rows_per_thread rows a search splits its scan across threads; results do not
// depend on the split or on the path's summation order beyond those last bits.
//
// Memory: 2 * dim bytes per vector plus 8 bytes per id, about 776 bytes per vector at dim 384.
//
// Thread-safety: const methods (Search, SearchBatch, size, dim, MemoryBytes) may run concurrently
// with each other from any number of threads. Add, AddHalfs and Reserve must not run concurrently
// with anything on the same object. The intended pattern is build-then-swap: the owner builds a
// new VectorIndex on its own thread without holding any lock, then publishes it by swapping a
// std::shared_ptr<const VectorIndex> under its mutex; searchers copy the shared_ptr under that
// mutex and search without it, so a published index is never mutated:
//
//   ROXI_ASSIGN_OR_RETURN(std::unique_ptr<VectorIndex> fresh, VectorIndex::Create(dim));
//   ROXI_RETURN_IF_ERROR(fresh->Reserve(count));
//   ... ROXI_RETURN_IF_ERROR(fresh->AddHalfs(ids, halfs)) for each batch read from the store ...
//   std::shared_ptr<const VectorIndex> published = std::move(fresh);
//   { MutexLock lock(&mu_); index_.swap(published); }  // the old index dies outside the lock
//
// Errors: InvalidArgument for malformed calls (checked before anything changes), Internal when
// memory runs out; no exception leaves this class.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "format/status.h"
#include "src/index/search_hit.h"
#include "src/index/simd_path.h"

namespace roxi::index {

// Largest accepted dimension; far above the text embedding models in use (at most 4096).
inline constexpr uint32_t kMaxVectorDim = 16384;
// Largest accepted id: ids are kept below 2^63 so that an ANN library's signed 64-bit labels can
// carry them.
inline constexpr uint64_t kMaxVectorId = (uint64_t{1} << 63) - 1;

struct VectorIndexOptions {
  // The kernel's instruction-set path. Default: DefaultSimdPath() (ROXI_SIMD, else the fastest
  // this CPU has).
  std::optional<SimdPath> simd;
  // Most threads one search uses, the calling thread included. Default 0: the number of hardware
  // threads.
  size_t max_threads = 0;
  // Rows per thread at least: a search runs on one thread below twice this. Default 100,000
  // (77 MB at dim 384, about 3 ms of one core's memory bandwidth: a thread start is worth it).
  size_t min_rows_per_thread = 100'000;
};

class VectorIndex {
 public:
  // Returns an empty index of dimension `dim`. InvalidArgument if dim is 0 or above
  // kMaxVectorDim, or min_rows_per_thread is 0; the error of DefaultSimdPath() when no path is
  // given and ROXI_SIMD is bad; NotSupported if the path asked for needs instructions this CPU
  // lacks.
  static Result<std::unique_ptr<VectorIndex>> Create(uint32_t dim,
                                                     const VectorIndexOptions& options = {});

  ~VectorIndex();
  VectorIndex(const VectorIndex&) = delete;
  VectorIndex& operator=(const VectorIndex&) = delete;

  // Reserves room for `total` vectors in all, so that adding up to that many never reallocates
  // (a reallocation briefly holds the old and the new storage). Call it first when the count is
  // known. Never shrinks. Returns InvalidArgument if total * dim values cannot be addressed,
  // Internal if the memory cannot be allocated.
  // Thread-safety: not concurrent with any other call on this object.
  Status Reserve(size_t total);

  // Appends vectors[i * dim(), (i + 1) * dim()), rounded to binary16, under id ids[i], for every
  // i < n:
  //   ids:     size n, each at most kMaxVectorId and not already in the index (not checked: a
  //            repeated id is stored twice and can appear twice in results).
  //   vectors: size n * dim(), row-major float32, every value finite and of magnitude below
  //            65520 (it would round to a binary16 infinity).
  // Returns InvalidArgument if vectors.size() != n * dim(), an id is above kMaxVectorId, or a value
  // is NaN, infinite or out of binary16 range; Internal if memory runs out. On any error nothing
  // is added. n == 0 is a no-op.
  // Thread-safety: not concurrent with any other call on this object.
  Status Add(std::span<const uint64_t> ids, std::span<const float> vectors);

  // As Add, with the vectors given as IEEE binary16 bit patterns, as stored (FORMAT.md §1.4) and
  // kept:
  //   halfs: size n * dim(), row-major; no infinity or NaN.
  // Same errors as Add; on any error nothing is added.
  // Thread-safety: not concurrent with any other call on this object.
  Status AddHalfs(std::span<const uint64_t> ids, std::span<const uint16_t> halfs);

  // Returns the min(k, size()) stored vectors with the highest inner product with `query`:
  //   query:     size dim(), every value finite.
  //   min_score: vectors scoring below it are left out (so fewer than k may come back).
  //              Default -infinity: none.
  // Hits are ordered by HitBefore (search_hit.h): score, highest first, equal scores by ascending
  // id. When vectors tie for the last place, the ones with the lowest ids are returned, so the
  // result is exactly the first k of all vectors in that order. An empty index gives an empty
  // result. A score that overflows float (only for values far from unit norm) can be NaN; NaN
  // scores sort last, and are left out when a min_score is given.
  // Returns InvalidArgument if query.size() != dim(), a query value is not finite, k == 0, or
  // min_score is NaN; Internal if memory runs out.
  // Thread-safety: safe concurrently with other const calls.
  Result<std::vector<SearchHit>> Search(
      std::span<const float> query, size_t k,
      float min_score = -std::numeric_limits<float>::infinity()) const;

  // Which stored vectors a filtered search may return, by id. Called once per stored vector, in
  // the order they were added, on the calling thread, before the scan.
  using IdFilter = std::function<bool(uint64_t id)>;

  // As Search, over only the vectors whose id `filter` accepts: the scan skips the others, so the
  // result is the first min(k, accepted) of the accepted vectors in HitBefore order (never a top-k
  // cut afterwards). An empty `filter` accepts every vector.
  // Thread-safety: safe concurrently with other const calls.
  Result<std::vector<SearchHit>> SearchFiltered(std::span<const float> query, size_t k,
                                                float min_score, const IdFilter& filter) const;

  // Searches nq queries in one call, reading each block of stored vectors once for all of them:
  //   queries: size nq * dim(), row-major; nq may be 0 (empty result).
  // Returns nq hit lists, element i equal to what Search would return for query row i (the same
  // kernel scores both). Same errors as Search, with InvalidArgument if queries.size() is not a
  // multiple of dim().
  // Thread-safety: safe concurrently with other const calls.
  Result<std::vector<std::vector<SearchHit>>> SearchBatch(
      std::span<const float> queries, size_t k,
      float min_score = -std::numeric_limits<float>::infinity()) const;

  // Number of vectors held.
  size_t size() const;
  uint32_t dim() const { return dim_; }
  // Which kind of index answers: "flat" (every vector scored).
  std::string_view kind() const { return "flat"; }
  // The kernel's instruction-set path.
  SimdPath simd_path() const { return simd_; }
  // Approximate bytes held: the reserved vector and id storage plus fixed overhead.
  size_t MemoryBytes() const;

 private:
  struct Impl;  // the storage; see vector_index.cc
  VectorIndex(uint32_t dim, SimdPath simd, size_t threads_cap, size_t min_rows_per_thread,
              std::unique_ptr<Impl> impl);

  // InvalidArgument naming the first id above kMaxVectorId, if any.
  static Status CheckIds(std::span<const uint64_t> ids);
  // InvalidArgument unless n_values == n_rows * dim(); `what` names the operation.
  Status CheckShape(const char* what, size_t n_values, size_t n_rows) const;
  // Threads a scan of the whole index uses.
  size_t ScanThreads() const;
  // InvalidArgument for what SearchBatch refuses: k of 0, a NaN min_score, a query of the wrong
  // shape or with a value that is not finite.
  Status CheckSearch(std::span<const float> queries, size_t k, float min_score) const;
  // SearchBatch over the rows whose bit is set in `row_filter` (every row when it is empty).
  Result<std::vector<std::vector<SearchHit>>> ScanRows(std::span<const float> queries, size_t k,
                                                       float min_score,
                                                       std::span<const uint64_t> row_filter) const;

  const uint32_t dim_;
  const SimdPath simd_;
  const size_t max_threads_;
  const size_t min_rows_per_thread_;
  const std::unique_ptr<Impl> impl_;
};

}  // namespace roxi::index
