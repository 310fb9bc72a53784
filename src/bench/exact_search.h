// The reference `roxi bench` scores an index's recall against: an exact top k computed the plain
// way, every stored vector widened to float32 and its inner product with each query summed in
// double precision, ranked by HitBefore. It shares no code with the indexes it checks (no SIMD
// kernel, no FAISS), so a fault in either shows as lost recall.
//
// Thread-safety: reentrant; reads the store as ForEachVector does.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "format/meta_records.h"
#include "format/status.h"
#include "src/index/search_hit.h"
#include "storage/store.h"

namespace roxi::bench {

// For each of the queries (row-major, queries.size() / embedder.dim rows), the min(k, vectors)
// stored vectors of `embedder` with the highest inner product, in HitBefore order. Memory: k hits
// per query, whatever the store's size. InvalidArgument when queries.size() is not a multiple of
// the dimension or k is 0; Corruption naming a key for a vector of the wrong dimension.
Result<std::vector<std::vector<index::SearchHit>>> ExactTopK(const storage::Store& store,
                                                             const format::EmbedderRecord& embedder,
                                                             std::span<const float> queries,
                                                             size_t k);

// The share of `exact`'s ids that `found` holds too: recall@k of one query, 1 when `exact` is
// empty.
double RecallOf(std::span<const index::SearchHit> found, std::span<const index::SearchHit> exact);

}  // namespace roxi::bench
