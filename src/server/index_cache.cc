#include "src/server/index_cache.h"

#include "src/common/log.h"
#include "src/index/index_builder.h"

namespace roxi::server {

IndexCache::IndexCache(const storage::Store* store, format::EmbedderRecord embedder,
                       uint64_t min_rebuild_interval_micros, const common::Clock& clock)
    : store_(store),
      min_rebuild_interval_micros_(min_rebuild_interval_micros),
      clock_(clock),
      embedder_(std::move(embedder)) {}

Result<std::shared_ptr<const index::VectorIndex>> IndexCache::Get() {
  auto fresh_enough = [this]() ROXI_REQUIRES(mu_) {
    if (index_ == nullptr) return false;
    if (built_generation_ == generation_) return true;
    return clock_.MonotonicMicros() - built_at_micros_ < min_rebuild_interval_micros_;
  };
  {
    MutexLock lock(&mu_);
    if (fresh_enough()) return index_;
  }
  MutexLock build_lock(&build_mu_);
  uint64_t generation = 0;
  uint64_t drops = 0;
  format::EmbedderRecord embedder;
  {
    // Another caller may have rebuilt while this one waited for build_mu_.
    MutexLock lock(&mu_);
    if (fresh_enough()) return index_;
    generation = generation_;
    drops = drops_;
    embedder = embedder_;
  }
  index::IndexBuildReport report;
  ROXI_ASSIGN_OR_RETURN(std::unique_ptr<index::VectorIndex> built,
                        index::BuildIndexFromStore(*store_, embedder, &report));
  std::shared_ptr<const index::VectorIndex> shared(std::move(built));
  common::LogInfo("index built", {{"vectors", report.vectors},
                                  {"ms", static_cast<double>(report.micros) / 1000.0}});
  MutexLock lock(&mu_);
  if (!(embedder == embedder_)) {
    return Status::Unavailable("search index", "the embedder changed while it was built; try again");
  }
  if (drops != drops_) return shared;  // dropped meanwhile (deep sleep): serve, don't keep
  index_ = shared;
  built_generation_ = generation;
  built_at_micros_ = clock_.MonotonicMicros();
  return shared;
}

void IndexCache::MarkStale() {
  MutexLock lock(&mu_);
  ++generation_;
}

void IndexCache::Drop() {
  std::shared_ptr<const index::VectorIndex> old;
  {
    MutexLock lock(&mu_);
    old.swap(index_);
    built_generation_ = 0;
    ++drops_;
  }
  // `old` is freed here, outside the lock (searches still holding it keep it alive until done).
}

void IndexCache::SetEmbedder(const format::EmbedderRecord& embedder) {
  std::shared_ptr<const index::VectorIndex> old;
  {
    MutexLock lock(&mu_);
    embedder_ = embedder;
    old.swap(index_);
    built_generation_ = 0;
    ++generation_;
  }
}

bool IndexCache::loaded() const {
  MutexLock lock(&mu_);
  return index_ != nullptr;
}

uint64_t IndexCache::vectors() const {
  MutexLock lock(&mu_);
  return index_ ? index_->size() : 0;
}

}  // namespace roxi::server
