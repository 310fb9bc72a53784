#include "src/index/faiss_flat_index.h"

#include <faiss/IndexFlat.h>

#include <algorithm>
#include <exception>
#include <string>
#include <utility>

#include "format/float16.h"
#include "src/index/vector_index.h"

namespace roxi::index {
namespace {

using FaissIdx = faiss::Index::idx_t;

// Runs `fn`, turning any exception into Internal("faiss: <op>: <what>"): FAISS reports both caller
// errors and allocation failures by throwing, and no exception may leave this module.
template <class Fn>
Status CallFaiss(const char* op, Fn&& fn) {
  try {
    std::forward<Fn>(fn)();
    return Status::OK();
  } catch (const std::exception& e) {
    return Status::Internal("faiss", std::string(op) + ": " + e.what());
  } catch (...) {
    return Status::Internal("faiss", std::string(op) + ": unknown exception");
  }
}

}  // namespace

// IndexFlatIP holds the rows; `ids` maps its row positions to our ids (IndexIDMap would translate
// labels in an OpenMP loop, waking a thread team for every query).
struct FaissFlatIndex::Impl {
  explicit Impl(uint32_t d) : dim(d), flat(static_cast<FaissIdx>(d)) {}
  uint32_t dim;
  faiss::IndexFlatIP flat;
  std::vector<uint64_t> ids;  // Invariant: ids.size() == flat.ntotal
};

Result<std::unique_ptr<FaissFlatIndex>> FaissFlatIndex::Create(uint32_t dim) {
  if (dim == 0 || dim > kMaxVectorDim) {
    return Status::InvalidArgument("faiss flat index", "dim " + std::to_string(dim));
  }
  std::unique_ptr<Impl> impl;
  ROXI_RETURN_IF_ERROR(CallFaiss("create", [&] { impl = std::make_unique<Impl>(dim); }));
  return std::unique_ptr<FaissFlatIndex>(new FaissFlatIndex(std::move(impl)));
}

FaissFlatIndex::FaissFlatIndex(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
FaissFlatIndex::~FaissFlatIndex() = default;

Status FaissFlatIndex::AddHalfs(std::span<const uint64_t> ids, std::span<const uint16_t> halfs) {
  if (halfs.size() != ids.size() * impl_->dim) {
    return Status::InvalidArgument("faiss flat index add", "shape");
  }
  return CallFaiss("add", [&] {
    std::vector<float> floats(halfs.size());
    format::HalfsToFloats(halfs.data(), halfs.size(), floats.data());
    impl_->flat.add(static_cast<FaissIdx>(ids.size()), floats.data());
    impl_->ids.insert(impl_->ids.end(), ids.begin(), ids.end());
  });
}

Result<std::vector<SearchHit>> FaissFlatIndex::Search(std::span<const float> query,
                                                      size_t k) const {
  if (query.size() != impl_->dim || k == 0) {
    return Status::InvalidArgument("faiss flat index search", "query size or k");
  }
  k = std::min(k, impl_->ids.size());
  std::vector<SearchHit> hits;
  if (k == 0) return hits;
  ROXI_RETURN_IF_ERROR(CallFaiss("search", [&] {
    std::vector<float> scores(k);
    std::vector<FaissIdx> rows(k);
    impl_->flat.search(1, query.data(), static_cast<FaissIdx>(k), scores.data(), rows.data());
    for (size_t j = 0; j < k; ++j) {
      if (rows[j] >= 0) hits.push_back({impl_->ids[static_cast<size_t>(rows[j])], scores[j]});
    }
    std::sort(hits.begin(), hits.end(), HitBefore);
  }));
  return hits;
}

}  // namespace roxi::index
