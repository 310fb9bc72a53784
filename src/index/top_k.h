// TopK: keeps the k best hits offered to it, in HitBefore order (search_hit.h), in a bounded heap.
// Ties are settled by id, so the result is exactly the first k of all offered hits sorted by
// HitBefore, whatever the order they were offered in: a scan split across threads and merged
// gives the same hits as one scan.
//
// Thread-safety: not thread-safe; one per thread, merged afterwards.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "src/index/search_hit.h"

namespace roxi::index {

class TopK {
 public:
  // REQUIRES: k >= 1. Reserves min(k, expected) entries.
  TopK(size_t k, size_t expected);

  // Offers a hit; keeps it if it is among the k best offered so far.
  void Push(uint64_t id, float score) {
    if (heap_.size() < k_) {
      heap_.push_back({id, score});
      std::push_heap(heap_.begin(), heap_.end(), HitBefore);
      return;
    }
    // Fast rejection of the common case; NaN on either side falls through to the full order.
    if (score < heap_.front().score) return;
    const SearchHit hit{id, score};
    if (!HitBefore(hit, heap_.front())) return;
    std::pop_heap(heap_.begin(), heap_.end(), HitBefore);
    heap_.back() = hit;
    std::push_heap(heap_.begin(), heap_.end(), HitBefore);
  }

  // Offers every hit `other` kept.
  void Merge(const TopK& other);

  // The hits kept, best first. Leaves this TopK empty.
  std::vector<SearchHit> Take();

  size_t size() const { return heap_.size(); }

 private:
  size_t k_;
  // Invariant: a heap under HitBefore, so front() is the worst hit kept.
  std::vector<SearchHit> heap_;
};

}  // namespace roxi::index
