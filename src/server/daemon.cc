#include "src/server/daemon.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "src/common/log.h"
#include "src/common/logged_thread.h"
#include "src/embedders/embedder_identity.h"
#include "src/server/process_memory.h"

namespace roxi::server {

namespace {

uint64_t Micros(double seconds) { return static_cast<uint64_t>(seconds * 1e6); }

}  // namespace

std::string_view DaemonStateName(DaemonState state) {
  switch (state) {
    case DaemonState::kStarting: return "starting";
    case DaemonState::kProcessing: return "processing";
    case DaemonState::kIdle: return "idle";
    case DaemonState::kDeepSleep: return "deep-sleep";
    case DaemonState::kPaused: return "paused";
    case DaemonState::kBackoff: return "backoff";
    case DaemonState::kStopping: return "stopping";
  }
  return "unknown";
}

Status ValidateDaemonOptions(const DaemonOptions& o) {
  ROXI_RETURN_IF_ERROR(processor::ValidateProcessorOptions(o.processor));
  if (!(o.poll_min_seconds > 0) || o.poll_max_seconds < o.poll_min_seconds) {
    return Status::InvalidArgument("poll-min/poll-max", "want 0 < poll-min <= poll-max");
  }
  if (!(o.deep_sleep_after_seconds > 0)) {
    return Status::InvalidArgument("deep-sleep-after", "want a positive number of seconds");
  }
  if (!(o.load_check_seconds > 0)) {
    return Status::InvalidArgument("load-check-every", "want a positive number of seconds");
  }
  if (o.load.max_load_per_core < 0 || o.load.max_memory_pressure < 0 ||
      o.load.min_memory_available < 0 || o.load.min_memory_available >= 100) {
    return Status::InvalidArgument("load thresholds", "want non-negative values (0 disables)");
  }
  if (!(o.outage_backoff_min_seconds > 0) ||
      o.outage_backoff_max_seconds < o.outage_backoff_min_seconds) {
    return Status::InvalidArgument("outage-backoff-max", "want at least 1 second");
  }
  return Status::OK();
}

Daemon::Daemon(storage::Store* store, std::unique_ptr<embedders::Embedder> processing_embedder,
               std::unique_ptr<embedders::Embedder> query_embedder, DaemonOptions options,
               const common::Clock& clock)
    : store_(store),
      processing_embedder_(std::move(processing_embedder)),
      query_embedder_(std::move(query_embedder)),
      clock_(clock),
      started_at_micros_(clock.MonotonicMicros()),
      index_(store, embedders::IdentityOf(query_embedder_->info())),
      options_(std::move(options)) {}

Daemon::~Daemon() { Stop(); }

void Daemon::Start() {
  thread_ = common::StartLoggedThread("processor thread", [this] { Loop(); });
}

void Daemon::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
    if (state_ != DaemonState::kStopping) state_ = DaemonState::kStopping;
  }
  wake_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool Daemon::stop_requested() const {
  std::lock_guard lock(mu_);
  return stop_;
}

void Daemon::Wake() {
  {
    std::lock_guard lock(mu_);
    wake_requested_ = true;
    deep_sleep_requested_ = false;
  }
  wake_cv_.notify_all();
}

void Daemon::ForceDeepSleep() {
  {
    std::lock_guard lock(mu_);
    deep_sleep_requested_ = true;
  }
  wake_cv_.notify_all();
}

void Daemon::UpdateOptions(const DaemonOptions& options) {
  {
    std::lock_guard lock(mu_);
    options_ = options;
    ++options_generation_;
    wake_requested_ = true;
  }
  wake_cv_.notify_all();
}

Status Daemon::SetTarget(double target) {
  DaemonOptions options;
  {
    std::lock_guard lock(mu_);
    options = options_;
  }
  options.processor.target = target;
  ROXI_RETURN_IF_ERROR(processor::ValidateProcessorOptions(options.processor));
  UpdateOptions(options);
  return Status::OK();
}

Result<uint64_t> Daemon::RetryFailed() {
  ROXI_ASSIGN_OR_RETURN(uint64_t requeued, store_->RequeueFailed());
  if (requeued > 0) Wake();
  return requeued;
}

void Daemon::SetState(DaemonState state, std::string reason) {
  std::lock_guard lock(mu_);
  if (state_ == DaemonState::kStopping) return;
  if (state_ != state) {
    common::LogInfo("state", {{"from", DaemonStateName(state_)}, {"to", DaemonStateName(state)},
                              {"reason", reason}});
  }
  state_ = state;
  state_reason_ = std::move(reason);
}

void Daemon::WaitFor(uint64_t micros) {
  std::unique_lock lock(mu_);
  wake_cv_.wait_for(lock, std::chrono::microseconds(micros), [this] {
    return stop_ || wake_requested_ || (deep_sleep_requested_ && state_ != DaemonState::kDeepSleep);
  });
}

void Daemon::EnterDeepSleep() {
  index_.Drop();
  Status flushed = store_->FlushMemtables();
  if (!flushed.ok()) common::LogWarn("deep sleep: flush failed", {{"error", flushed}});
  DaemonOptions options;
  {
    std::lock_guard lock(mu_);
    options = options_;
  }
  store_->SetBlockCacheCapacity(options.deep_sleep_block_cache_bytes);
  ReleaseFreeMemory();
  common::LogInfo("deep sleep", {{"rss_bytes", ResidentBytes()}});
  SetState(DaemonState::kDeepSleep);
}

void Daemon::LeaveDeepSleep() {
  DaemonOptions options;
  {
    std::lock_guard lock(mu_);
    options = options_;
  }
  store_->SetBlockCacheCapacity(options.block_cache_bytes);
  SetState(DaemonState::kIdle, "woken");
}

void Daemon::Loop() {
  DaemonOptions options;
  uint64_t generation = 0;
  {
    std::lock_guard lock(mu_);
    options = options_;
    generation = options_generation_;
  }
  auto processor = std::make_unique<processor::Processor>(store_, processing_embedder_.get(),
                                                          options.processor, clock_);
  poll_micros_ = Micros(options.poll_min_seconds);
  outage_backoff_.SetLimits(Micros(options.outage_backoff_min_seconds),
                            Micros(options.outage_backoff_max_seconds));
  outage_backoff_.Reset();
  last_activity_micros_ = clock_.MonotonicMicros();
  SetState(DaemonState::kIdle);
  while (true) {
    {
      std::lock_guard lock(mu_);
      if (stop_) break;
      if (options_generation_ != generation) {
        options = options_;
        generation = options_generation_;
        processor = std::make_unique<processor::Processor>(store_, processing_embedder_.get(),
                                                           options.processor, clock_);
        outage_backoff_.SetLimits(Micros(options.outage_backoff_min_seconds),
                                  Micros(options.outage_backoff_max_seconds));
      }
    }
    RunOneTurn(processor.get());
  }
  common::LogInfo("processor stopped", {});
}

void Daemon::RunOneTurn(processor::Processor* processor) {
  DaemonOptions options;
  bool woken = false;
  bool sleep_requested = false;
  DaemonState state;
  {
    std::lock_guard lock(mu_);
    options = options_;
    woken = wake_requested_;
    wake_requested_ = false;
    sleep_requested = deep_sleep_requested_;
    state = state_;
  }
  const uint64_t now = clock_.MonotonicMicros();
  if (woken) {
    poll_micros_ = Micros(options.poll_min_seconds);
    last_activity_micros_ = now;
    if (state == DaemonState::kDeepSleep) LeaveDeepSleep();
  }
  if (sleep_requested) {
    if (state != DaemonState::kDeepSleep) EnterDeepSleep();
    WaitFor(Micros(options.poll_max_seconds));
    return;
  }

  if (now - last_load_check_micros_ >= Micros(options.load_check_seconds) || woken) {
    last_load_check_micros_ = now;
    auto readings = ReadLoad();
    if (readings.ok()) {
      const LoadDecision decision = DecideLoadPause(*readings, options.load, load_paused_);
      if (decision.paused != load_paused_) {
        common::LogInfo(decision.paused ? "pausing" : "resuming", {{"reason", decision.reason}});
      }
      load_paused_ = decision.paused;
      load_reason_ = decision.reason;
    }
  }
  if (load_paused_) {
    SetState(DaemonState::kPaused, load_reason_);
    WaitFor(Micros(options.load_check_seconds));
    return;
  }
  // A re-embed takes one batch per turn, beside processing, and keeps the daemon from idling.
  const ReembedTurn reembed = RunReembedTurn();
  if (reembed == ReembedTurn::kSwapped) return;  // `processor` holds the old embedder: rebuild it

  const format::CountersRecord counters = store_->GetCounters();
  const bool target_reached = options.processor.target < 1.0 &&
                              processor::DoneFraction(counters) >= options.processor.target;
  if (counters.pending > 0 && !target_reached) {
    if (state == DaemonState::kDeepSleep) LeaveDeepSleep();
    auto batch = processor->RunBatch();
    if (!batch.ok()) {
      const Status& error = batch.status();
      const bool outage = error.IsUnavailable() || error.IsTimedOut();
      const uint64_t backoff_micros = outage_backoff_.NextDelayMicros();
      (outage ? common::LogWarn : common::LogError)(
          "batch failed", {{"error", error}, {"backoff_s", static_cast<double>(backoff_micros) / 1e6}});
      {
        std::lock_guard lock(mu_);
        last_error_ = error.ToString();
      }
      SetState(DaemonState::kBackoff, (outage ? "embedder unavailable: " : "error: ") + error.ToString());
      WaitFor(backoff_micros);
      return;
    }
    outage_backoff_.Reset();
    if (batch->selected > 0) {
      {
        std::lock_guard lock(mu_);
        last_batch_ = *batch;
        last_batch_at_micros_ = clock_.NowMicros();
        ++batches_this_run_;
        embedded_this_run_ += batch->embedded;
      }
      if (batch->embedded > 0 || batch->stale > 0) index_.MarkStale();
      common::LogDebug("batch", {{"embedded", uint64_t{batch->embedded}},
                                 {"rejected", uint64_t{batch->rejected}},
                                 {"ms", static_cast<double>(batch->micros) / 1000.0}});
      SetState(DaemonState::kProcessing);
      last_activity_micros_ = clock_.MonotonicMicros();
      poll_micros_ = Micros(options.poll_min_seconds);
      // A batch the embedder rejected whole made no progress: retry its chunks after a pause, not
      // in a tight loop (their attempts are counted, so they end failed after max_attempts).
      if (batch->embedded == 0 && batch->rejected > 0) WaitFor(poll_micros_);
      return;
    }
  }

  if (reembed == ReembedTurn::kRan) return;
  // Nothing to do: idle, then deep sleep.
  if (state != DaemonState::kDeepSleep) {
    if (clock_.MonotonicMicros() - last_activity_micros_ >= Micros(options.deep_sleep_after_seconds)) {
      EnterDeepSleep();
    } else {
      SetState(DaemonState::kIdle, target_reached ? "target reached" : "");
    }
  }
  std::unique_lock<std::mutex> probe(mu_);
  const bool sleeping = state_ == DaemonState::kDeepSleep;
  probe.unlock();
  const uint64_t until_deep_sleep =
      Micros(options.deep_sleep_after_seconds) -
      std::min(Micros(options.deep_sleep_after_seconds), clock_.MonotonicMicros() - last_activity_micros_);
  WaitFor(sleeping ? Micros(options.poll_max_seconds)
                   : std::max<uint64_t>(1000, std::min(poll_micros_, until_deep_sleep)));
  poll_micros_ = std::min(poll_micros_ * 2, Micros(options.poll_max_seconds));
}

Result<ingest::IngestReport> Daemon::Ingest(const IngestRequest& request) {
  std::lock_guard lock(ingest_mu_);
  ingest::Ingester ingester(store_, request.ingest, clock_);
  Status s = request.content ? ingester.RunText(request.ingest.document_id, *request.content)
                             : ingester.Run(request.paths);
  if (ingester.report().replaced > 0) index_.MarkStale();
  if (ingester.report().chunks_queued > 0) Wake();
  if (!s.ok()) return s;
  ingest::IngestReport report = ingester.report();
  if (request.sync && !request.content) {
    // After the ingest, so that a file that moved within the folder is stored under its new name
    // (copying its vectors) before its old name goes.
    ROXI_ASSIGN_OR_RETURN(ingest::DeleteReport deleted,
                          ingest::DeleteDocumentsWithoutFiles(store_, request.paths, false));
    if (!deleted.documents.empty()) index_.MarkStale();
    for (const auto& d : deleted.documents) report.deleted.push_back(d.name);
  }
  return report;
}

Result<ingest::DeleteReport> Daemon::Delete(const ingest::DeleteRequest& request) {
  std::lock_guard lock(ingest_mu_);
  auto report = ingest::DeleteDocuments(store_, request);
  if (report.ok() && !report->dry_run && !report->documents.empty()) index_.MarkStale();
  return report;
}

Result<ingest::DocumentPage> Daemon::ListDocuments(const std::string& prefix,
                                                   const std::string& after, size_t limit) {
  return ingest::ListDocuments(*store_, prefix, after, limit);
}

namespace {

// How a search waits for the daemon's part of a re-embed's swap.
constexpr int kSwapPollMs = 20;
constexpr int kSwapWaitMaxMs = 60 * 1000;

}  // namespace

Result<std::vector<index::SearchResult>> Daemon::Search(
    std::string_view query, const index::SearchOptions& options, std::string* embedder_id,
    index::SearchStats* stats, const format::EmbedderRecord* client_embedder) {
  // A bad request neither wakes the daemon nor loads the index.
  ROXI_RETURN_IF_ERROR(index::CheckSearchOptions(options));
  // A search is activity: it wakes the daemon from deep sleep and restarts the idle timer.
  Wake();
  std::shared_lock swap_lock(embedder_swap_mu_);
  // A client's embedder must be the store's, as for a search without a server. Between a
  // re-embed's swap in the store and the daemon's (after the old vectors are compacted away),
  // the store already holds the new embedder's vectors and the queries are not moved yet: wait
  // for them.
  for (int waited_ms = 0; client_embedder != nullptr; waited_ms += kSwapPollMs) {
    ROXI_RETURN_IF_ERROR(store_->CheckEmbedder(*client_embedder));
    {
      std::lock_guard lock(query_mu_);
      if (embedders::IdentityOf(query_embedder_->info()) == *client_embedder) break;
    }
    if (waited_ms >= kSwapWaitMaxMs) {
      return Status::Unavailable("server", "still moving its queries to embedder '" +
                                               client_embedder->id + "'; try again");
    }
    swap_lock.unlock();
    std::this_thread::sleep_for(std::chrono::milliseconds(kSwapPollMs));
    swap_lock.lock();
  }
  ROXI_ASSIGN_OR_RETURN(std::shared_ptr<const index::VectorIndex> idx, index_.Get());
  std::lock_guard lock(query_mu_);
  if (embedder_id != nullptr) *embedder_id = query_embedder_->info().id;
  return index::SearchStore(*store_, *idx, *query_embedder_, query, options, stats);
}

Result<StatusReport> Daemon::GetStatus() {
  ROXI_ASSIGN_OR_RETURN(StatusReport report, CollectStatus(*store_));
  DaemonStatus d;
  {
    std::lock_guard lock(mu_);
    d.state = std::string(DaemonStateName(state_));
    d.pause_reason = state_reason_;
    d.listen = options_.listen;
    d.target = options_.processor.target;
    d.last_batch_size = last_batch_.selected;
    d.last_batch_ms = static_cast<double>(last_batch_.micros) / 1000.0;
    d.last_batch_chunks_per_second =
        last_batch_.micros > 0 ? 1e6 * static_cast<double>(last_batch_.embedded) / last_batch_.micros : 0;
    d.last_batch_at_micros = last_batch_at_micros_;
    d.last_error = last_error_;
    d.batches_this_run = batches_this_run_;
    d.embedded_this_run = embedded_this_run_;
    d.reembedding = reembed_ != nullptr;
  }
  d.pid = static_cast<int>(getpid());
  d.uptime_seconds = (clock_.MonotonicMicros() - started_at_micros_) / 1000000;
  d.rss_bytes = ResidentBytes();
  d.index_loaded = index_.loaded();
  d.index_vectors = index_.vectors();
  report.daemon = d;
  return report;
}

}  // namespace roxi::server
