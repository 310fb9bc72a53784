// FaissFlatIndex: FAISS's exact IndexFlatIP over float32 copies of binary16 vectors. roxi's own
// search does not use it (VectorIndex scans the binary16 rows directly, at half the memory and
// several times the speed of this Debian build of FAISS); it is the FAISS reference the search
// benchmark compares against, and the one place FAISS is wrapped, for the ANN index to come.
//
// Thread-safety: Search may run concurrently with Search; AddHalfs with nothing.
// Errors: Internal when FAISS throws (including out of memory); no exception leaves this class.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "format/status.h"
#include "src/index/search_hit.h"

namespace roxi::index {

class FaissFlatIndex {
 public:
  // InvalidArgument if dim is 0 or above kMaxVectorDim (vector_index.h).
  static Result<std::unique_ptr<FaissFlatIndex>> Create(uint32_t dim);
  ~FaissFlatIndex();
  FaissFlatIndex(const FaissFlatIndex&) = delete;
  FaissFlatIndex& operator=(const FaissFlatIndex&) = delete;

  // Appends n vectors given as binary16 (halfs: n * dim, finite), widened to float32.
  // InvalidArgument if halfs.size() != ids.size() * dim.
  Status AddHalfs(std::span<const uint64_t> ids, std::span<const uint16_t> halfs);

  // The min(k, size) best hits for one query (dim finite floats), in HitBefore order.
  // InvalidArgument for a wrong query size or k == 0.
  Result<std::vector<SearchHit>> Search(std::span<const float> query, size_t k) const;

 private:
  struct Impl;
  explicit FaissFlatIndex(std::unique_ptr<Impl> impl);
  const std::unique_ptr<Impl> impl_;
};

}  // namespace roxi::index
