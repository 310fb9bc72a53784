// Daemon: the long-running heart of `roxi serve`. One thread runs the processor pipeline for months
// without a person:
//   processing -> idle       when the queue runs dry; it then polls with a growing interval
//                            (poll_min .. poll_max), and new work (an ingest, Wake) wakes it at once;
//   idle -> deep-sleep       after deep_sleep_after of idleness (or on request): the index is
//                            dropped, memtables flushed, the block cache shrunk, free heap returned
//                            to the OS; a search or new work wakes it;
//   any -> paused            while the machine is busy (LoadMonitor), resuming with hysteresis;
//   any -> backoff           while the embedder is unavailable: exponential backoff instead of
//                            burning every chunk's retries.
// Chunks the embedder rejects stay queued with their attempt counted and are retried later, until
// max_attempts marks them failed; they never block the queue.
//
// A re-embed (StartReembed, src/server/daemon_reembed.cc) runs on the same thread, one batch per
// turn beside the processing batches; at its swap the daemon moves its processor, queries and
// index to the new embedder at once.
//
// HTTP handlers call Ingest, Search, Status and the controls from their own threads.
//
// Thread-safety: all public methods are thread-safe. mu_ guards the state; no lock is held across
// an embedder call, a RocksDB write or an index build.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

#include "format/thread_annotations.h"
#include "src/common/clock.h"
#include "src/common/exponential_backoff.h"
#include "src/embedders/embedder.h"
#include "src/index/searcher.h"
#include "src/ingest/document_deleter.h"
#include "src/ingest/document_list.h"
#include "src/ingest/ingester.h"
#include "src/processor/processor.h"
#include "src/processor/reembedder.h"
#include "src/server/index_cache.h"
#include "src/server/load_monitor.h"
#include "src/server/status_report.h"
#include "storage/store.h"

namespace roxi::server {

enum class DaemonState { kStarting, kProcessing, kIdle, kDeepSleep, kPaused, kBackoff, kStopping };
std::string_view DaemonStateName(DaemonState state);

struct DaemonOptions {
  processor::ProcessorOptions processor;
  // Idle polling interval, growing from min to max while nothing arrives. Defaults: 1 s, 30 s.
  double poll_min_seconds = 1;
  double poll_max_seconds = 30;
  // Idle time before deep sleep. Default: 300 s.
  double deep_sleep_after_seconds = 300;
  LoadThresholds load;
  // How often the machine's load is read. Default: 5 s.
  double load_check_seconds = 5;
  // Backoff while the embedder is unavailable, doubling from min to max. Defaults: 1 s, 300 s.
  double outage_backoff_min_seconds = 1;
  double outage_backoff_max_seconds = 300;
  // Block cache while awake and in deep sleep. Defaults: 32 MiB, 1 MiB.
  size_t block_cache_bytes = 32u << 20;
  size_t deep_sleep_block_cache_bytes = 1u << 20;
  std::string listen;  // host:port of the API, for status
};

// InvalidArgument naming the option when a value is out of range.
Status ValidateDaemonOptions(const DaemonOptions& options);

struct IngestRequest {
  std::vector<std::string> paths;  // absolute paths on this machine
  std::optional<std::string> content;  // a document given as text; needs ingest.document_id
  ingest::IngestOptions ingest;
  // Afterwards, delete the documents under each folder of `paths` whose files are gone.
  bool sync = false;
};

class Daemon {
 public:
  // REQUIRES: store is open read-write and bound to the embedders' identity, and outlives the
  // Daemon. The two embedders are instances of the same embedder: one for the processor thread, one
  // for queries.
  Daemon(storage::Store* store, std::unique_ptr<embedders::Embedder> processing_embedder,
         std::unique_ptr<embedders::Embedder> query_embedder, DaemonOptions options,
         const common::Clock& clock = common::SystemClock());
  ~Daemon();
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  // Starts the processor thread.
  void Start();
  // Asks the thread to stop after the batch in flight (which commits whole or not at all) and
  // waits for it.
  void Stop();
  bool stop_requested() const;

  // New work or an explicit wake: leaves deep sleep and polls at once.
  void Wake();
  // Drops into deep sleep now; stays there until Wake or new work.
  void ForceDeepSleep();
  // Replaces the options (SIGHUP reload); applied from the next loop turn.
  void UpdateOptions(const DaemonOptions& options);
  // Sets the processor's target fraction (0, 1].
  Status SetTarget(double target);
  // Returns failed chunks to the queue and wakes the processor.
  Result<uint64_t> RetryFailed();

  Result<ingest::IngestReport> Ingest(const IngestRequest& request);
  // Deletes documents (ingest/document_deleter.h), one at a time with ingests. Deleted chunks are
  // never returned by a search from the moment their batch commits: the index is marked stale and
  // the searcher skips hits whose chunk is gone.
  Result<ingest::DeleteReport> Delete(const ingest::DeleteRequest& request);
  // A page of documents (ingest/document_list.h).
  Result<ingest::DocumentPage> ListDocuments(const std::string& prefix, const std::string& after,
                                             size_t limit);
  // Does only search work: no status report. *embedder_id, when given, receives the id of the
  // embedder whose vectors answered; *stats, when given, how the search was answered
  // (SearchStore's). With `client_embedder` (the embedder a client would query with), refuses as a
  // search without a server does (Store::CheckEmbedder: InvalidArgument naming both) unless it is
  // the store's. In the moment between a re-embed's swap in the store and in the daemon, it waits
  // for the latter (Unavailable if that takes over a minute).
  Result<std::vector<index::SearchResult>> Search(
      std::string_view query, const index::SearchOptions& options,
      std::string* embedder_id = nullptr, index::SearchStats* stats = nullptr,
      const format::EmbedderRecord* client_embedder = nullptr);
  Result<StatusReport> GetStatus();

  // Starts, in the background, a re-embed to the embedder `target` (or resumes the one the store
  // holds); `target_query` is a second instance of it for queries after the swap. Errors of
  // Store::StartReembed (InvalidArgument: the store already uses it, another re-embed is in
  // progress, ...). REQUIRES: both embedders have the same identity.
  Status StartReembed(std::unique_ptr<embedders::Embedder> target,
                      std::unique_ptr<embedders::Embedder> target_query, size_t batch_size);
  // Stops the re-embed and drops it from the store (Store::CancelReembed); NotFound without one.
  Status CancelReembed();

 private:
  // A re-embed the loop thread drives.
  struct ReembedJob {
    format::EmbedderRecord identity;
    std::unique_ptr<embedders::Embedder> target;  // the re-embed's, then the processor's
    std::unique_ptr<embedders::Embedder> query;   // queries' after the swap
    std::unique_ptr<processor::Reembedder> reembedder;
  };
  enum class ReembedTurn { kNone, kRan, kSwapped };
  // Runs one batch of the re-embed, if one is running; at the swap, moves the daemon to the new
  // embedder. Loop thread only.
  ReembedTurn RunReembedTurn();
  void SwapToReembedTarget(ReembedJob* job);

  void Loop();
  void RunOneTurn(processor::Processor* processor);
  // Waits up to `micros` or until woken/stopped.
  void WaitFor(uint64_t micros);
  void SetState(DaemonState state, std::string reason = {});
  void EnterDeepSleep();
  void LeaveDeepSleep();

  storage::Store* const store_;
  std::unique_ptr<embedders::Embedder> processing_embedder_;  // loop thread; replaced at a swap
  std::unique_ptr<embedders::Embedder> query_embedder_;       // guarded by query_mu_
  const common::Clock& clock_;
  const uint64_t started_at_micros_;
  IndexCache index_;

  mutable std::mutex mu_;
  std::condition_variable wake_cv_;
  DaemonOptions options_;                 // guarded by mu_
  uint64_t options_generation_ = 0;       // guarded by mu_
  DaemonState state_ = DaemonState::kStarting;  // guarded by mu_
  std::string state_reason_;              // guarded by mu_
  bool stop_ = false;                     // guarded by mu_
  bool wake_requested_ = false;           // guarded by mu_
  bool deep_sleep_requested_ = false;     // guarded by mu_
  std::string last_error_;                // guarded by mu_
  processor::BatchReport last_batch_;     // guarded by mu_
  uint64_t last_batch_at_micros_ = 0;     // guarded by mu_
  uint64_t batches_this_run_ = 0;         // guarded by mu_
  uint64_t embedded_this_run_ = 0;        // guarded by mu_

  // Loop-thread state.
  uint64_t poll_micros_ = 0;
  common::ExponentialBackoff outage_backoff_{1, 1};  // limits set by Loop
  uint64_t last_activity_micros_ = 0;
  uint64_t last_load_check_micros_ = 0;
  bool load_paused_ = false;
  std::string load_reason_;

  std::mutex ingest_mu_;  // one ingest at a time (they share the unchanged-document check)
  std::mutex query_mu_;   // guards query_embedder_ (embedders are single-threaded)
  // Held shared by each search (index and query embedder) and exclusively by a re-embed's swap,
  // so no search pairs one embedder's query with another's index. Searches never wait on each
  // other for it, only on a swap.
  std::shared_mutex embedder_swap_mu_;
  std::shared_ptr<ReembedJob> reembed_;   // guarded by mu_
  std::jthread thread_;   // last: started after everything above exists, joined by Stop()
};

}  // namespace roxi::server
