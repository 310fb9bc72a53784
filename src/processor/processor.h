// Processor: the background pipeline of roxi. Each batch goes through the same five stages:
//   1. select  - up to batch_size pending chunks, continuing after the last batch's position;
//   2. embed   - one Embedder call for the whole batch;
//   3. commit  - vectors, chunk states, pending deletions, counters and this processor's checkpoint,
//                in one WriteBatch (Store::CommitEmbeddings);
//   4. verify  - read the committed vectors back and check checksum, model, dimension and text hash;
//   5. clean up - drop the batch's buffers before the next one.
// A crash at any point loses nothing committed and never commits a batch twice: a chunk leaves the
// queue in the same WriteBatch that stores its vector.
//
// Run pipelines two batches, each on its own thread: while batch N is committed and verified (an
// fsync of several milliseconds), batch N+1 is embedded, so a remote embedding server is not left
// idle during commits, nor the CPU during fsyncs. With an embedder that takes concurrent calls
// (Embedder::AllowsConcurrentEmbed), batch N+1's embedding starts as soon as batch N-1 is
// committed, so its requests fill the server while batch N's last ones are still out. At most two
// batches are in memory; commits run one at a time in batch order, each still one WriteBatch, and
// none after a batch that failed; a batch never selects a chunk of a batch in flight, so no chunk
// is embedded twice and each attempt count is read after the last one was recorded. RunBatch is
// the plain sequential form, one batch at a time.
//
// Thread-safety: a Processor is driven by one thread (Run and RunBatch; the callbacks run on it).
// Stop() may be called from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "format/keys.h"
#include "format/meta_records.h"
#include "format/status.h"
#include "src/common/clock.h"
#include "src/embedders/embedder.h"
#include "storage/store.h"

namespace roxi::processor {

struct ProcessorOptions {
  // Chunks per batch (one embedder call, one WriteBatch). Default: 256.
  size_t batch_size = 256;
  // Stop once (embedded + failed) / chunks reaches this fraction, in (0, 1]. Default: 1 (all).
  double target = 1.0;
  // Attempts before a rejected chunk is marked failed. Default: 3.
  uint32_t max_attempts = 3;
  // Key of this processor's checkpoint. Default: "process".
  std::string name = "process";
};

// "50%" -> 0.5, "0.5" -> 0.5: a --target value as a fraction in (0, 1]. InvalidArgument naming the
// value otherwise.
Result<double> ParseTarget(std::string_view text);

// Validates options; InvalidArgument naming the option otherwise.
Status ValidateProcessorOptions(const ProcessorOptions& options);

struct BatchReport {
  size_t selected = 0;   // chunks read from the queue
  size_t embedded = 0;   // committed with a vector
  size_t rejected = 0;   // embedder refused; attempt recorded
  size_t failed = 0;     // of the rejected, gave up
  size_t stale = 0;      // changed or removed while being embedded
  uint64_t micros = 0;   // wall time of the batch
};

struct RunReport {
  uint64_t batches = 0;
  uint64_t embedded = 0;
  uint64_t rejected = 0;
  uint64_t failed = 0;
  uint64_t micros = 0;
  bool reached_target = false;  // stopped at the target rather than by running out of work
  bool stopped = false;         // Stop() was called
};

// (embedded + failed) / chunks of `counters`; 1 for an empty store.
double DoneFraction(const format::CountersRecord& counters);

// How many more chunks must be done (embedded or failed) for DoneFraction to reach `target`: the
// fewest n with (embedded + failed + n) / chunks >= target; 0 once it is reached. Run and RunBatch
// select no more than this, so a run stops at the target within one chunk, not one batch.
uint64_t ChunksToTarget(const format::CountersRecord& counters, double target);

class Processor {
 public:
  // REQUIRES: store (read-write) and embedder outlive the Processor; the store is bound to the
  // embedder's identity (Store::BindEmbedder) before Run.
  Processor(storage::Store* store, embedders::Embedder* embedder, ProcessorOptions options,
            const common::Clock& clock = common::SystemClock());
  Processor(const Processor&) = delete;
  Processor& operator=(const Processor&) = delete;

  // Runs one batch of up to batch_size chunks, and no more than the target still needs
  // (ChunksToTarget). A report with selected == 0 means the queue is empty or the target reached.
  // Errors: whatever the embedder returns for the batch as a whole (Unavailable, TimedOut), IOError
  // from the store, Corruption when a record is damaged or the read-back check fails.
  Result<BatchReport> RunBatch();

  using BatchCallback = std::function<void(const BatchReport&, const format::CountersRecord&)>;
  // Decides what Run does when the embedder cannot serve a batch (Unavailable or TimedOut; no
  // chunk is charged an attempt): return OK, typically after waiting, to try that batch again, or
  // a non-OK Status to make Run return it.
  using OutageCallback = std::function<Status(const Status& error)>;

  // Runs batches (pipelined, see the file comment) until the queue is empty, the target is
  // reached, or Stop() is called; calls on_batch after each commit, in batch order, with that
  // batch's report and the store's counters. The last batch is trimmed to what the target needs,
  // so a run that reaches its target stops there exactly (chunks the embedder rejects and that
  // stay queued are made up for by the next batch).
  // Errors: as RunBatch; an outage ends Run with its Unavailable or TimedOut unless on_outage says
  // to retry. A batch whose commit was under way when an error occurred is finished (and reported
  // to on_batch) before Run returns.
  Result<RunReport> Run(const BatchCallback& on_batch = {}, const OutageCallback& on_outage = {});

  // Makes Run return after the batches in flight (each commits whole or not at all) and makes
  // Run start no new batch.
  void Stop() { stop_.store(true); }

 private:
  // A batch embedded and ready to commit.
  struct EmbeddedBatch {
    storage::EmbeddingCommit commit;
    BatchReport report;  // selected filled in
    uint64_t start_micros = 0;
  };

  // Up to `limit` pending chunks after cursor_, leaving out `in_flight` (sorted ids of the
  // batch being committed). Advances cursor_ past what it returns.
  Result<std::vector<storage::PendingChunk>> Select(std::span<const format::ChunkId> in_flight,
                                                    size_t limit);
  // The size of the next batch: batch_size, or less when the target needs fewer chunks beyond
  // the `in_flight` ones already selected; 0 when the target is reached.
  size_t NextBatchLimit(uint64_t in_flight) const;
  // Embeds `batch` with one Embed call and builds its commit. Errors: the embedder's, for the
  // batch as a whole.
  Result<EmbeddedBatch> Embed(const std::vector<storage::PendingChunk>& batch,
                              uint64_t start_micros);
  // Commits and verifies an embedded batch; fires the processor:before_commit and
  // processor:after_write test hooks. Safe to run on another thread than Select and Embed.
  Result<BatchReport> CommitAndVerify(const EmbeddedBatch& batch) const;

  struct Flight;
  struct Pipeline;
  // The thread of one batch in Run: embed, wait for its turn, commit and verify.
  void RunFlight(Pipeline* pipeline, Flight* flight, std::vector<storage::PendingChunk> batch,
                 uint64_t start_micros);

  // Corruption naming the chunk unless every id's vector reads back with this embedder's model and
  // dimension and the text hash in `text_hash_of`. REQUIRES: every id is a key of text_hash_of.
  Status VerifyCommitted(std::span<const format::ChunkId> ids,
                         const std::unordered_map<format::ChunkId, uint64_t>& text_hash_of) const;

  storage::Store* const store_;
  embedders::Embedder* const embedder_;
  const ProcessorOptions options_;
  const common::Clock& clock_;
  const uint64_t model_;  // the embedder's fingerprint
  std::optional<format::ChunkId> cursor_;
  std::atomic<bool> stop_{false};
};

}  // namespace roxi::processor
