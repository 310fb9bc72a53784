// IndexCache: the daemon's in-memory VectorIndex, derived from the store and rebuilt on demand.
//
// The index is marked stale whenever the store's vectors change (a batch committed, a document
// replaced). Get() rebuilds a stale index, but while the store keeps changing it rebuilds at most
// once per min_rebuild_interval and serves the previous index in between, so a stream of searches
// during processing does not rebuild on every query. Drop() forgets the index (deep sleep); the next
// Get() rebuilds it from RocksDB. A build that was running when Drop() came answers its own caller
// but is not kept, so deep sleep never ends up holding an index a search finished building late.
//
// Thread-safety: thread-safe. Builds run without holding the state lock: a new index is built
// unlocked and swapped in as a shared_ptr, so searches on the old one continue meanwhile. Builds
// are serialised among themselves.
#pragma once

#include <cstdint>
#include <memory>

#include "format/meta_records.h"
#include "format/thread_annotations.h"
#include "src/common/clock.h"
#include "src/index/vector_index.h"
#include "storage/store.h"

namespace roxi::server {

class IndexCache {
 public:
  // REQUIRES: store outlives the cache.
  IndexCache(const storage::Store* store, format::EmbedderRecord embedder,
             uint64_t min_rebuild_interval_micros = 2'000'000,
             const common::Clock& clock = common::SystemClock());
  IndexCache(const IndexCache&) = delete;
  IndexCache& operator=(const IndexCache&) = delete;

  // A current (or at most min_rebuild_interval old) index; errors of BuildIndexFromStore.
  Result<std::shared_ptr<const index::VectorIndex>> Get();
  void MarkStale();
  void Drop();
  // Builds later indexes from `embedder`'s vectors (after a re-embed's swap) and drops the current
  // one; an index of the previous embedder still being built is thrown away when it completes.
  void SetEmbedder(const format::EmbedderRecord& embedder);
  bool loaded() const;
  uint64_t vectors() const;

 private:
  const storage::Store* const store_;
  const uint64_t min_rebuild_interval_micros_;
  const common::Clock& clock_;

  Mutex build_mu_;  // serialises builds; guards nothing else
  mutable Mutex mu_;
  format::EmbedderRecord embedder_ ROXI_GUARDED_BY(mu_);
  std::shared_ptr<const index::VectorIndex> index_ ROXI_GUARDED_BY(mu_);
  uint64_t generation_ ROXI_GUARDED_BY(mu_) = 1;        // bumped by MarkStale
  uint64_t built_generation_ ROXI_GUARDED_BY(mu_) = 0;  // generation index_ reflects
  uint64_t built_at_micros_ ROXI_GUARDED_BY(mu_) = 0;
  uint64_t drops_ ROXI_GUARDED_BY(mu_) = 0;  // bumped by Drop
};

}  // namespace roxi::server
