#include "src/bench/exact_search.h"

#include <algorithm>

#include "format/float16.h"
#include "format/keys.h"

namespace roxi::bench {

Result<std::vector<std::vector<index::SearchHit>>> ExactTopK(const storage::Store& store,
                                                             const format::EmbedderRecord& embedder,
                                                             std::span<const float> queries,
                                                             size_t k) {
  const size_t dim = embedder.dim;
  if (dim == 0 || k == 0 || queries.size() % dim != 0) {
    return Status::InvalidArgument("exact search", "queries do not match the dimension, or k is 0");
  }
  const size_t nq = queries.size() / dim;
  // Each list is a heap with the worst kept hit on top (HitBefore as "less" puts it there).
  std::vector<std::vector<index::SearchHit>> best(nq);
  std::vector<float> row(dim);
  ROXI_RETURN_IF_ERROR(
      store.ForEachVector([&](format::ChunkId id, const format::VectorRecord& v) -> Status {
        if (v.model != embedder.fingerprint) return Status::OK();
        if (v.halfs.size() != dim) {
          return Status::Corruption("vectors[" + format::DescribeChunk(id) + "]",
                                    "dimension " + std::to_string(v.halfs.size()));
        }
        format::HalfsToFloats(v.halfs.data(), dim, row.data());
        for (size_t q = 0; q < nq; ++q) {
          double sum = 0;
          const float* query = queries.data() + q * dim;
          for (size_t d = 0; d < dim; ++d) sum += double{query[d]} * double{row[d]};
          const index::SearchHit hit{id.value, static_cast<float>(sum)};
          auto& heap = best[q];
          if (heap.size() < k) {
            heap.push_back(hit);
            std::push_heap(heap.begin(), heap.end(), index::HitBefore);
          } else if (index::HitBefore(hit, heap.front())) {
            std::pop_heap(heap.begin(), heap.end(), index::HitBefore);
            heap.back() = hit;
            std::push_heap(heap.begin(), heap.end(), index::HitBefore);
          }
        }
        return Status::OK();
      }));
  for (auto& heap : best) std::sort_heap(heap.begin(), heap.end(), index::HitBefore);
  return best;
}

double RecallOf(std::span<const index::SearchHit> found, std::span<const index::SearchHit> exact) {
  if (exact.empty()) return 1.0;
  size_t shared = 0;
  for (const auto& e : exact) {
    for (const auto& f : found) {
      if (f.id == e.id) {
        ++shared;
        break;
      }
    }
  }
  return static_cast<double>(shared) / static_cast<double>(exact.size());
}

}  // namespace roxi::bench
