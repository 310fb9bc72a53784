#include "src/index/vector_index.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <exception>
#include <new>
#include <string>
#include <thread>
#include <utility>

#include "format/float16.h"
#include "src/index/fp16_dot.h"
#include "src/index/fp16_scan.h"
#include "src/index/huge_page_allocator.h"

namespace roxi::index {
namespace {

// Runs `fn`, turning an allocation failure (or any other exception) into Internal: no exception
// may leave this module.
template <class Fn>
Status Guard(const char* op, Fn&& fn) {
  try {
    std::forward<Fn>(fn)();
    return Status::OK();
  } catch (const std::bad_alloc&) {
    return Status::Internal(op, "out of memory");
  } catch (const std::exception& e) {
    return Status::Internal(op, e.what());
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

// InvalidArgument naming where in a row-major `values` array the bad value at `pos` is.
Status BadValueError(const char* what, const char* problem, size_t pos, uint32_t dim) {
  return Status::InvalidArgument(what, "row " + std::to_string(pos / dim) + " has a " + problem +
                                           " value at column " + std::to_string(pos % dim));
}

}  // namespace

// The vectors, row-major binary16, and their ids.
// Invariant: halfs.size() == ids.size() * dim.
struct VectorIndex::Impl {
  std::vector<uint16_t, HugePageAllocator<uint16_t>> halfs;
  std::vector<uint64_t> ids;
};

Result<std::unique_ptr<VectorIndex>> VectorIndex::Create(uint32_t dim,
                                                         const VectorIndexOptions& options) {
  if (dim == 0 || dim > kMaxVectorDim) {
    return Status::InvalidArgument("vector index", "dim " + std::to_string(dim) + " outside 1.." +
                                                       std::to_string(kMaxVectorDim));
  }
  if (options.min_rows_per_thread == 0) {
    return Status::InvalidArgument("vector index", "min_rows_per_thread is 0");
  }
  SimdPath simd = SimdPath::kScalar;
  if (options.simd) {
    if (!CpuSupports(*options.simd)) {
      return Status::NotSupported("simd path " + std::string(SimdPathName(*options.simd)),
                                  "this CPU lacks its instructions");
    }
    simd = *options.simd;
  } else {
    ROXI_ASSIGN_OR_RETURN(simd, DefaultSimdPath());
  }
  size_t threads = options.max_threads;
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  std::unique_ptr<Impl> impl;
  ROXI_RETURN_IF_ERROR(Guard("vector index", [&] { impl = std::make_unique<Impl>(); }));
  return std::unique_ptr<VectorIndex>(
      new VectorIndex(dim, simd, threads, options.min_rows_per_thread, std::move(impl)));
}

VectorIndex::VectorIndex(uint32_t dim, SimdPath simd, size_t max_threads,
                         size_t min_rows_per_thread, std::unique_ptr<Impl> impl)
    : dim_(dim),
      simd_(simd),
      max_threads_(max_threads),
      min_rows_per_thread_(min_rows_per_thread),
      impl_(std::move(impl)) {}

VectorIndex::~VectorIndex() = default;

size_t VectorIndex::size() const { return impl_->ids.size(); }

size_t VectorIndex::MemoryBytes() const {
  return sizeof(*this) + sizeof(Impl) + impl_->halfs.capacity() * sizeof(uint16_t) +
         impl_->ids.capacity() * sizeof(uint64_t);
}

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
  const size_t max_rows = impl_->halfs.max_size() / dim_;
  if (total > max_rows) {
    return Status::InvalidArgument("vector index reserve",
                                   std::to_string(total) + " vectors cannot be addressed");
  }
  if (total <= size()) return Status::OK();
  return Guard("vector index reserve", [&] {
    impl_->halfs.reserve(total * dim_);
    impl_->ids.reserve(total);
  });
}

Status VectorIndex::Add(std::span<const uint64_t> ids, std::span<const float> vectors) {
  ROXI_RETURN_IF_ERROR(CheckShape("vector index add", vectors.size(), ids.size()));
  ROXI_RETURN_IF_ERROR(CheckIds(ids));
  if (size_t bad = FirstNonFinite(vectors); bad != vectors.size()) {
    return BadValueError("vector index add", "non-finite", bad, dim_);
  }
  for (size_t i = 0; i < vectors.size(); ++i) {
    if ((format::FloatToHalf(vectors[i]) & 0x7c00u) == 0x7c00u) {
      return BadValueError("vector index add", "beyond binary16 range", i, dim_);
    }
  }
  if (ids.empty()) return Status::OK();
  const size_t before = impl_->halfs.size();
  Status s = Guard("vector index add", [&] {
    impl_->halfs.resize(before + vectors.size());
    format::FloatsToHalfs(vectors.data(), vectors.size(), impl_->halfs.data() + before);
    impl_->ids.insert(impl_->ids.end(), ids.begin(), ids.end());
  });
  if (!s.ok()) {
    impl_->halfs.resize(before);  // shrinking: cannot fail
    impl_->ids.resize(before / dim_);
  }
  return s;
}

Status VectorIndex::AddHalfs(std::span<const uint64_t> ids, std::span<const uint16_t> halfs) {
  ROXI_RETURN_IF_ERROR(CheckShape("vector index add", halfs.size(), ids.size()));
  ROXI_RETURN_IF_ERROR(CheckIds(ids));
  if (size_t bad = FirstNonFiniteHalf(halfs); bad != halfs.size()) {
    return BadValueError("vector index add", "non-finite", bad, dim_);
  }
  if (ids.empty()) return Status::OK();
  const size_t before = impl_->halfs.size();
  Status s = Guard("vector index add", [&] {
    impl_->halfs.insert(impl_->halfs.end(), halfs.begin(), halfs.end());
    impl_->ids.insert(impl_->ids.end(), ids.begin(), ids.end());
  });
  if (!s.ok()) {
    impl_->halfs.resize(before);  // shrinking: cannot fail
    impl_->ids.resize(before / dim_);
  }
  return s;
}

size_t VectorIndex::ScanThreads() const {
  return std::max<size_t>(1, std::min(max_threads_, size() / min_rows_per_thread_));
}

Result<std::vector<SearchHit>> VectorIndex::Search(std::span<const float> query, size_t k,
                                                   float min_score) const {
  ROXI_RETURN_IF_ERROR(CheckShape("vector index search", query.size(), 1));
  ROXI_ASSIGN_OR_RETURN(std::vector<std::vector<SearchHit>> hits,
                        SearchBatch(query, k, min_score));
  return std::move(hits.front());
}

Status VectorIndex::CheckSearch(std::span<const float> queries, size_t k, float min_score) const {
  if (k == 0) return Status::InvalidArgument("vector index search", "k is 0");
  if (std::isnan(min_score)) return Status::InvalidArgument("vector index search", "min_score is NaN");
  if (queries.size() % dim_ != 0) {
    return Status::InvalidArgument("vector index search",
                                   std::to_string(queries.size()) +
                                       " values are not a whole number of rows of dim " +
                                       std::to_string(dim_));
  }
  if (size_t bad = FirstNonFinite(queries); bad != queries.size()) {
    return BadValueError("vector index search", "non-finite", bad, dim_);
  }
  return Status::OK();
}

Result<std::vector<SearchHit>> VectorIndex::SearchFiltered(std::span<const float> query, size_t k,
                                                           float min_score,
                                                           const IdFilter& filter) const {
  if (!filter) return Search(query, k, min_score);
  ROXI_RETURN_IF_ERROR(CheckShape("vector index search", query.size(), 1));
  std::vector<uint64_t> bitmap;
  size_t accepted = 0;
  ROXI_RETURN_IF_ERROR(Guard("vector index search", [&] {
    bitmap.assign((size() + 63) / 64, 0);
    for (size_t row = 0; row < size(); ++row) {
      if (filter(impl_->ids[row])) {
        bitmap[row / 64] |= uint64_t{1} << (row % 64);
        ++accepted;
      }
    }
  }));
  if (accepted == 0) {
    // Still check the request, so a filter matching nothing does not hide a bad query.
    ROXI_RETURN_IF_ERROR(CheckSearch(query, k, min_score));
    return std::vector<SearchHit>();
  }
  ROXI_ASSIGN_OR_RETURN(std::vector<std::vector<SearchHit>> hits,
                        ScanRows(query, k, min_score, bitmap));
  return std::move(hits.front());
}

Result<std::vector<std::vector<SearchHit>>> VectorIndex::SearchBatch(std::span<const float> queries,
                                                                     size_t k,
                                                                     float min_score) const {
  return ScanRows(queries, k, min_score, {});
}

Result<std::vector<std::vector<SearchHit>>> VectorIndex::ScanRows(
    std::span<const float> queries, size_t k, float min_score,
    std::span<const uint64_t> row_filter) const {
  ROXI_RETURN_IF_ERROR(CheckSearch(queries, k, min_score));
  const size_t nq = queries.size() / dim_;
  if (size() == 0 || nq == 0) return std::vector<std::vector<SearchHit>>(nq);
  ScanRequest request;
  request.rows = impl_->halfs;
  request.ids = impl_->ids;
  request.dim = dim_;
  request.queries = queries;
  request.k = std::min(k, size());
  request.min_score = min_score;
  request.row_filter = row_filter;
  request.kernel = Fp16DotRowsFor(simd_);
  request.threads = ScanThreads();
  return ScanTopK(request);
}

}  // namespace roxi::index
