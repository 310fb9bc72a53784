#include "src/index/top_k.h"

#include "format/dcheck.h"

namespace roxi::index {

TopK::TopK(size_t k, size_t expected) : k_(k) {
  ROXI_DCHECK(k >= 1);
  heap_.reserve(std::min(k, expected));
}

void TopK::Merge(const TopK& other) {
  for (const SearchHit& hit : other.heap_) Push(hit.id, hit.score);
}

std::vector<SearchHit> TopK::Take() {
  std::sort_heap(heap_.begin(), heap_.end(), HitBefore);
  std::vector<SearchHit> out;
  out.swap(heap_);
  return out;
}

}  // namespace roxi::index
