#include "src/index/vector_index.h"

#include <faiss/IndexFlat.h>
#include <faiss/impl/FaissException.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <exception>
#include <limits>
#include <string>
#include <utility>

#include "format/dcheck.h"
#include "format/float16.h"

namespace roxi::index {
namespace {

using FaissIdx = faiss::Index::idx_t;

// AddHalfs converts at most this many floats (1 MiB) at a time.
constexpr size_t kHalfBlockFloats = size_t{1} << 18;
static_assert(kHalfBlockFloats >= kMaxVectorDim, "a block must hold at least one row");

// Runs `fn`, turning any exception into Internal("faiss: <op>: <what>"): FAISS reports both caller
// errors and allocation failures by throwing, and no exception may leave this module.
template <class Fn>
Status CallFaiss(const char* op, Fn&& fn) {
  try {
    std::forward<Fn>(fn)();
    return Status::OK();
  } catch (const faiss::FaissException& e) {
    return Status::Internal("faiss", std::string(op) + ": " + e.what());
  } catch (const std::exception& e) {
    return Status::Internal("faiss", std::string(op) + ": " + e.what());
  } catch (...) {
    return Status::Internal("faiss", std::string(op) + ": unknown exception");
  }
}

// Index of the first NaN or infinity in `values`, or values.size(). Tests the exponent bits so
// that the loop has no branches on float compares and vectorises.
size_t FirstNonFinite(std::span<const float> values) {
  for (size_t i = 0; i < values.size(); ++i) {
    if ((std::bit_cast<uint32_t>(values[i]) & 0x7f800000u) == 0x7f800000u) return i;
  }
  return values.size();
}

// As FirstNonFinite, for binary16 bit patterns (exponent all ones: infinity or NaN).
size_t FirstNonFiniteHalf(std::span<const uint16_t> halfs) {
  for (size_t i = 0; i < halfs.size(); ++i) {
    if ((halfs[i] & 0x7c00u) == 0x7c00u) return i;
  }
  return halfs.size();
}

// InvalidArgument naming where in a row-major `values` array the non-finite value at `pos` is.
Status NonFiniteError(const char* what, size_t pos, uint32_t dim) {
  return Status::InvalidArgument(what, "row " + std::to_string(pos / dim) +
                                           " has a non-finite value at column " +
                                           std::to_string(pos % dim));
}

// Best first, then ascending id. A NaN score (only when a product overflows float, far from unit
// vectors) sorts last, so the order stays a strict weak ordering.
bool HitBefore(const SearchHit& a, const SearchHit& b) {
  const bool a_nan = std::isnan(a.score);
  const bool b_nan = std::isnan(b.score);
  if (a_nan != b_nan) return b_nan;
  if (!a_nan && a.score != b.score) return a.score > b.score;
  return a.id < b.id;
}

}  // namespace

// The FAISS-specific part: everything that touches FAISS is in Impl. A different exact kernel can
// replace it without changing the validation, conversion and ordering around it.
//
// IndexFlatIP stores the vectors contiguously and scans them exactly; `ids` maps its row positions
// to our ids. That table is what IndexIDMap would hold, but IndexIDMap::search translates labels in
// an OpenMP parallel loop, so even a one-query search woke a thread team: on a loaded 2-core host
// that added about 17 ms to a 30 ms query (search_bench). Holding the table ourselves also avoids
// reinterpreting our unsigned ids as FAISS's signed labels. IndexIDMap2 (an id -> row hash map for
// removal) is not needed either: the index is rebuilt and swapped, never edited.
struct VectorIndex::Impl {
  explicit Impl(uint32_t dim) : flat(static_cast<FaissIdx>(dim)) {}

  // Invariant: ids.size() == flat.ntotal.
  size_t Size() const { return ids.size(); }

  size_t MemoryBytes() const {
    return sizeof(Impl) + flat.codes.capacity() + ids.capacity() * sizeof(uint64_t);
  }

  // Makes room for `total` rows in all. REQUIRES: total * flat.code_size does not overflow.
  Status Reserve(size_t total) {
    return CallFaiss("reserve", [&] {
      flat.codes.reserve(total * flat.code_size);
      ids.reserve(total);
    });
  }

  // Makes room for `needed` rows, growing geometrically unless one call asks for more than the
  // index holds (so a one-shot load fits exactly). Growing once per call, rather than block by
  // block inside FAISS, bounds the reallocations.
  Status Grow(size_t needed) {
    if (needed <= ids.capacity() && needed * flat.code_size <= flat.codes.capacity()) {
      return Status::OK();
    }
    return Reserve(std::max(needed, 2 * Size()));
  }

  // Appends n rows; on failure the index is as before. REQUIRES: ids below 2^63, values finite.
  Status Add(size_t n, const float* x, const uint64_t* new_ids) {
    const size_t before = Size();
    ROXI_RETURN_IF_ERROR(Grow(before + n));
    Status s = CallFaiss("add", [&] { flat.add(static_cast<FaissIdx>(n), x); });
    if (!s.ok()) {
      Truncate(before);
      return s;
    }
    ids.insert(ids.end(), new_ids, new_ids + n);  // within the capacity Grow made: cannot throw
    return Status::OK();
  }

  // Drops every row from position n on, undoing a failed or partial add. Only shrinks, so it
  // cannot fail. REQUIRES: n <= Size().
  void Truncate(size_t n) {
    flat.codes.resize(n * flat.code_size);
    flat.ntotal = static_cast<FaissIdx>(n);
    ids.resize(n);
  }

  // Fills (*out)[i] with the hits of query row i, best first.
  // REQUIRES: 1 <= k <= Size(); nq rows of finite values.
  Status Search(size_t nq, const float* x, size_t k,
                std::vector<std::vector<SearchHit>>* out) const {
    return CallFaiss("search", [&] {
      std::vector<float> scores(nq * k);
      std::vector<FaissIdx> rows(nq * k);
      flat.search(static_cast<FaissIdx>(nq), x, static_cast<FaissIdx>(k), scores.data(),
                  rows.data());
      out->assign(nq, {});
      for (size_t q = 0; q < nq; ++q) {
        std::vector<SearchHit>& hits = (*out)[q];
        hits.reserve(k);
        for (size_t j = q * k; j < (q + 1) * k; ++j) {
          if (rows[j] < 0) continue;  // FAISS pads with -1 past the last result
          ROXI_DCHECK(static_cast<size_t>(rows[j]) < ids.size());
          hits.push_back({ids[static_cast<size_t>(rows[j])], scores[j]});
        }
        // FAISS leaves equal scores in heap order; we promise ascending id.
        std::sort(hits.begin(), hits.end(), HitBefore);
      }
    });
  }

  faiss::IndexFlatIP flat;    // the vectors, row-major float32
  std::vector<uint64_t> ids;  // ids[row]: the id of flat's row `row`
};

Result<std::unique_ptr<VectorIndex>> VectorIndex::Create(uint32_t dim) {
  if (dim == 0 || dim > kMaxVectorDim) {
    return Status::InvalidArgument("vector index", "dim " + std::to_string(dim) + " outside 1.." +
                                                       std::to_string(kMaxVectorDim));
  }
  std::unique_ptr<Impl> impl;
  ROXI_RETURN_IF_ERROR(CallFaiss("create", [&] { impl = std::make_unique<Impl>(dim); }));
  return std::unique_ptr<VectorIndex>(new VectorIndex(dim, std::move(impl)));
}

VectorIndex::VectorIndex(uint32_t dim, std::unique_ptr<Impl> impl)
    : dim_(dim), impl_(std::move(impl)) {}

VectorIndex::~VectorIndex() = default;

size_t VectorIndex::size() const { return impl_->Size(); }

size_t VectorIndex::MemoryBytes() const { return sizeof(*this) + impl_->MemoryBytes(); }

Status VectorIndex::CheckIds(std::span<const uint64_t> ids) {
  for (size_t i = 0; i < ids.size(); ++i) {
    if (ids[i] > kMaxVectorId) {
      return Status::InvalidArgument(
          "vector index add",
          "id " + std::to_string(ids[i]) + " at row " + std::to_string(i) + " is not below 2^63");
    }
  }
  return Status::OK();
}

Status VectorIndex::CheckShape(const char* what, size_t n_values, size_t n_rows) const {
  // Compared by division: n_rows * dim_ could overflow.
  if (n_values % dim_ != 0 || n_values / dim_ != n_rows) {
    return Status::InvalidArgument(what, std::to_string(n_values) + " values for " +
                                             std::to_string(n_rows) + " rows of dim " +
                                             std::to_string(dim_));
  }
  return Status::OK();
}

Status VectorIndex::Reserve(size_t total) {
  const size_t max_rows = std::numeric_limits<size_t>::max() / (size_t{dim_} * sizeof(float));
  if (total > max_rows) {
    return Status::InvalidArgument("vector index reserve",
                                   std::to_string(total) + " vectors cannot be addressed");
  }
  if (total <= size()) return Status::OK();
  return impl_->Reserve(total);
}

Status VectorIndex::Add(std::span<const uint64_t> ids, std::span<const float> vectors) {
  ROXI_RETURN_IF_ERROR(CheckShape("vector index add", vectors.size(), ids.size()));
  ROXI_RETURN_IF_ERROR(CheckIds(ids));
  if (size_t bad = FirstNonFinite(vectors); bad != vectors.size()) {
    return NonFiniteError("vector index add", bad, dim_);
  }
  if (ids.empty()) return Status::OK();
  return impl_->Add(ids.size(), vectors.data(), ids.data());
}

Status VectorIndex::AddHalfs(std::span<const uint64_t> ids, std::span<const uint16_t> halfs) {
  ROXI_RETURN_IF_ERROR(CheckShape("vector index add", halfs.size(), ids.size()));
  ROXI_RETURN_IF_ERROR(CheckIds(ids));
  if (size_t bad = FirstNonFiniteHalf(halfs); bad != halfs.size()) {
    return NonFiniteError("vector index add", bad, dim_);
  }
  if (ids.empty()) return Status::OK();

  const size_t before = size();
  // Room for the whole call first, so the blocks below append without reallocating.
  ROXI_RETURN_IF_ERROR(impl_->Grow(before + ids.size()));
  const size_t rows_per_block = kHalfBlockFloats / dim_;
  std::vector<float> block(std::min(ids.size(), rows_per_block) * dim_);
  for (size_t row = 0; row < ids.size(); row += rows_per_block) {
    const size_t n = std::min(rows_per_block, ids.size() - row);
    format::HalfsToFloats(halfs.data() + row * dim_, n * dim_, block.data());
    Status s = impl_->Add(n, block.data(), ids.data() + row);
    if (!s.ok()) {
      impl_->Truncate(before);  // all or nothing across blocks
      return s;
    }
  }
  return Status::OK();
}

Result<std::vector<SearchHit>> VectorIndex::Search(std::span<const float> query, size_t k) const {
  ROXI_RETURN_IF_ERROR(CheckShape("vector index search", query.size(), 1));
  ROXI_ASSIGN_OR_RETURN(std::vector<std::vector<SearchHit>> hits, SearchBatch(query, k));
  return std::move(hits.front());
}

Result<std::vector<std::vector<SearchHit>>> VectorIndex::SearchBatch(std::span<const float> queries,
                                                                     size_t k) const {
  if (k == 0) return Status::InvalidArgument("vector index search", "k is 0");
  if (queries.size() % dim_ != 0) {
    return Status::InvalidArgument("vector index search",
                                   std::to_string(queries.size()) +
                                       " values are not a whole number of rows of dim " +
                                       std::to_string(dim_));
  }
  if (size_t bad = FirstNonFinite(queries); bad != queries.size()) {
    return NonFiniteError("vector index search", bad, dim_);
  }
  const size_t nq = queries.size() / dim_;
  std::vector<std::vector<SearchHit>> hits;
  if (size() == 0 || nq == 0) return std::vector<std::vector<SearchHit>>(nq);
  ROXI_RETURN_IF_ERROR(impl_->Search(nq, queries.data(), std::min(k, size()), &hits));
  return hits;
}

}  // namespace roxi::index
