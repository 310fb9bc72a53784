// The index kinds `roxi bench` can measure, behind one interface: built from a store's vectors,
// asked for the top k of a query vector, sized in memory. Today's kinds:
//   flat        the resident binary16 exact scan (src/index/vector_index.h), what `roxi serve`
//               and `roxi search` use; "auto" (the kind serve picks for a store) is flat for now;
//   faiss-flat  FAISS's exact IndexFlatIP over float32 copies (src/index/faiss_flat_index.h),
//               kept as the reference the search benchmark compares against; serve never uses it.
// Approximate kinds (ivf, hnsw) do not exist yet and are refused by name.
//
// Thread-safety: a BenchIndex is built on one thread; Search is const and may run concurrently.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "format/meta_records.h"
#include "format/status.h"
#include "src/index/search_hit.h"
#include "src/index/vector_index.h"
#include "storage/store.h"

namespace roxi::bench {

enum class IndexKind { kFlat, kFaissFlat };

// "flat" or "auto" -> kFlat, "faiss-flat" -> kFaissFlat. InvalidArgument naming the value and
// the known kinds otherwise (saying so for the approximate kinds still to come).
Result<IndexKind> ParseIndexKind(std::string_view name);
std::string_view IndexKindName(IndexKind kind);
// True for the kinds `roxi serve` can answer with.
bool ServeUses(IndexKind kind);

class BenchIndex {
 public:
  virtual ~BenchIndex() = default;
  virtual IndexKind kind() const = 0;
  // The min(k, size) best vectors for `query` (dim floats), in HitBefore order.
  virtual Result<std::vector<index::SearchHit>> Search(std::span<const float> query,
                                                       size_t k) const = 0;
  // Bytes the index holds for its vectors and ids.
  virtual uint64_t MemoryBytes() const = 0;
  virtual uint64_t size() const = 0;
  // The VectorIndex behind a flat index (what index::SearchStore takes); null for other kinds.
  virtual const index::VectorIndex* flat() const { return nullptr; }
};

// Builds an index of `kind` from every vector of `embedder` in `store`, as the daemon builds its
// own (flat: index::BuildIndexFromStore). Errors: those of the build; Corruption naming a key for
// a damaged vector.
Result<std::unique_ptr<BenchIndex>> BuildBenchIndex(IndexKind kind, const storage::Store& store,
                                                    const format::EmbedderRecord& embedder);

}  // namespace roxi::bench
