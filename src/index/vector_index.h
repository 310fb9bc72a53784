// VectorIndex: exact (brute-force) inner-product search over the chunk vectors held in memory.
//
// The index is a derived, rebuildable structure: the `vectors` column family in RocksDB is the
// source of truth, and a VectorIndex is rebuilt from it at start-up or after changes, never
// persisted as truth. Vectors are expected L2-normalised (as every Embedder produces them), so the
// inner product is the cosine similarity; an all-zero vector (a text with no features) is accepted
// and scores 0 against everything. Norms are not checked: binary16 storage already moves a norm by
// up to about 1e-3.
//
// Each vector carries a caller-chosen 63-bit id, in practice format::ChunkId::value. Search scores
// every stored vector exactly (no approximation), so results equal a float32 brute-force loop up
// to summation order (differences of a few ulp).
//
// Memory: 4 * dim bytes per vector plus 8 bytes per id, about 1.5 KiB per vector at dim 384.
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
// Errors: InvalidArgument for malformed calls (checked before anything changes), Internal when the
// search library fails (including out of memory); no exception leaves this class.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "format/status.h"

namespace roxi::index {

// Largest accepted dimension; far above the text embedding models in use (at most 4096).
inline constexpr uint32_t kMaxVectorDim = 16384;
// Largest accepted id: the search library labels vectors with signed 64-bit integers.
inline constexpr uint64_t kMaxVectorId = (uint64_t{1} << 63) - 1;

struct SearchHit {
  uint64_t id = 0;
  float score = 0;  // inner product of the query and the stored vector
  bool operator==(const SearchHit&) const = default;
};

class VectorIndex {
 public:
  // Returns an empty index of dimension `dim`. InvalidArgument if dim is 0 or above kMaxVectorDim;
  // Internal if the search library fails.
  static Result<std::unique_ptr<VectorIndex>> Create(uint32_t dim);

  ~VectorIndex();
  VectorIndex(const VectorIndex&) = delete;
  VectorIndex& operator=(const VectorIndex&) = delete;

  // Reserves room for `total` vectors in all, so that adding up to that many never reallocates
  // (a reallocation briefly holds the old and the new storage, up to three times the index size).
  // Call it first when the count is known. Never shrinks. Returns InvalidArgument if total * dim
  // floats cannot be addressed, Internal if the memory cannot be allocated.
  // Thread-safety: not concurrent with any other call on this object.
  Status Reserve(size_t total);

  // Appends vectors[i * dim(), (i + 1) * dim()) under id ids[i], for every i < n:
  //   ids:     size n, each at most kMaxVectorId and not already in the index (not checked: a
  //            repeated id is stored twice and can appear twice in results).
  //   vectors: size n * dim(), row-major float32, every value finite.
  // Returns InvalidArgument if vectors.size() != n * dim(), an id is above kMaxVectorId, or a value
  // is NaN or infinite; Internal if the search library fails. On any error nothing is added.
  // n == 0 is a no-op.
  // Thread-safety: not concurrent with any other call on this object.
  Status Add(std::span<const uint64_t> ids, std::span<const float> vectors);

  // As Add, with the vectors given as IEEE binary16 bit patterns, as stored (FORMAT.md §1.4):
  //   halfs: size n * dim(), row-major.
  // Converts to float32 in blocks of at most 1 MiB, so a large batch never has a second full float
  // copy beside the index itself. Same errors as Add; on any error nothing is added.
  // Thread-safety: not concurrent with any other call on this object.
  Status AddHalfs(std::span<const uint64_t> ids, std::span<const uint16_t> halfs);

  // Returns the min(k, size()) stored vectors with the highest inner product with `query`:
  //   query: size dim(), every value finite.
  // Hits are ordered by score, highest first, equal scores by ascending id. When vectors tie for
  // the last place and only some fit in k, which of them are returned is unspecified (but the same
  // for the same index and query). An empty index gives an empty result. A score that overflows
  // float (only for values far from unit norm) can be NaN; NaN scores sort last.
  // Returns InvalidArgument if query.size() != dim(), a value is not finite, or k == 0; Internal
  // if the search library fails.
  // Thread-safety: safe concurrently with other const calls.
  Result<std::vector<SearchHit>> Search(std::span<const float> query, size_t k) const;

  // Searches nq queries in one call, faster than nq calls of Search when nq is large:
  //   queries: size nq * dim(), row-major; nq may be 0 (empty result).
  // Returns nq hit lists, element i answering query row i as Search would. Scores may differ from
  // Search's in the last bits, since 20 or more queries are served by a matrix-product kernel.
  // Same errors as Search, with InvalidArgument if queries.size() is not a multiple of dim().
  // Thread-safety: safe concurrently with other const calls.
  Result<std::vector<std::vector<SearchHit>>> SearchBatch(std::span<const float> queries,
                                                          size_t k) const;

  // Number of vectors held.
  size_t size() const;
  uint32_t dim() const { return dim_; }
  // Approximate bytes held: the reserved vector and id storage plus fixed overhead.
  size_t MemoryBytes() const;

 private:
  struct Impl;  // the search-library objects; see vector_index.cc
  VectorIndex(uint32_t dim, std::unique_ptr<Impl> impl);

  // InvalidArgument naming the first id above kMaxVectorId, if any.
  static Status CheckIds(std::span<const uint64_t> ids);
  // InvalidArgument unless n_values == n_rows * dim(); `what` names the operation.
  Status CheckShape(const char* what, size_t n_values, size_t n_rows) const;

  const uint32_t dim_;
  const std::unique_ptr<Impl> impl_;
};

}  // namespace roxi::index
