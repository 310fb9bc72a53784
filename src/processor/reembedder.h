// Reembedder: moves a store to another embedder without stopping searches (FORMAT.md §2.6). It
// walks the chunks in ChunkId order, from a cursor persisted with every batch, and embeds each
// embedded chunk that has no staging vector of the target for its current text:
//   1. select - up to batch_size such chunks (Store::ReadReembedWork);
//   2. embed  - one call of the target embedder;
//   3. commit - the staging vectors and the new cursor in one WriteBatch (Store::CommitStaging).
// When a pass reaches the last chunk it asks the store to swap (Store::TrySwapVectors), which
// re-checks completeness under the store's write lock. Chunks ingested, replaced or embedded by
// the old embedder meanwhile leave holes; the swap then refuses and a new pass fills them. Pending
// chunks are left alone: after the swap, the processor embeds them with the new embedder.
//
// A crash at any point leaves the store consistent: the active vectors are untouched until the
// swap, which is one WriteBatch, and a rerun resumes from the persisted cursor.
//
// Thread-safety: a Reembedder is driven by one thread. Stop() may be called from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>

#include "format/keys.h"
#include "format/meta_records.h"
#include "format/status.h"
#include "src/common/clock.h"
#include "src/embedders/embedder.h"
#include "storage/store.h"

namespace roxi::processor {

struct ReembedOptions {
  // Chunks per batch (one embedder call, one WriteBatch). Default: 256.
  size_t batch_size = 256;
  // Chunks looked at per batch at most, so that a pass over chunks that are already done still
  // persists its cursor now and then. Default: 65536.
  size_t max_scanned = 65536;
};

// InvalidArgument naming the option when a value is out of range.
Status ValidateReembedOptions(const ReembedOptions& options);

struct ReembedBatchReport {
  size_t selected = 0;     // chunks read that needed the target's vector
  size_t staged = 0;       // staging vectors committed
  size_t rejected = 0;     // the target embedder refused them (they are tried again next pass)
  size_t stale = 0;        // changed or removed while being embedded
  bool pass_ended = false;  // this batch reached the last chunk
  bool swapped = false;     // the staging vectors became the active set
  uint64_t missing = 0;     // when a swap was refused: embedded chunks still without one
  uint64_t micros = 0;
};

struct ReembedRunReport {
  uint64_t batches = 0;
  uint64_t staged = 0;
  uint64_t rejected = 0;
  uint32_t passes = 0;     // passes that reached the last chunk
  bool swapped = false;
  bool stopped = false;    // Stop() was called first
  uint64_t vectors = 0;    // when swapped: vectors of the new embedder now active
  uint64_t micros = 0;
};

// What a re-embed has done: staging vectors written (an estimate: replaced chunks count twice)
// and chunks with an active vector, the total it works towards.
struct ReembedProgress {
  uint64_t done = 0;
  uint64_t total = 0;
};
// NotFound when no re-embed is in progress.
Result<ReembedProgress> GetReembedProgress(const storage::Store& store);

class Reembedder {
 public:
  // REQUIRES: store (read-write) and target outlive the Reembedder.
  Reembedder(storage::Store* store, embedders::Embedder* target, ReembedOptions options,
             const common::Clock& clock = common::SystemClock());
  Reembedder(const Reembedder&) = delete;
  Reembedder& operator=(const Reembedder&) = delete;

  // Starts the re-embed to the target or resumes the one in progress from its cursor. Errors as
  // Store::StartReembed (InvalidArgument: same embedder, another re-embed in progress, ...).
  Status Start();

  // Runs one batch; after the last chunk, tries to swap. REQUIRES: Start() succeeded.
  // Errors: the embedder's for the batch as a whole (Unavailable, TimedOut), IOError or Corruption
  // from the store, and Unavailable when a pass embedded nothing new but the target embedder rejected
  // chunks, so the re-embed cannot complete (the message names one chunk and the reason).
  Result<ReembedBatchReport> RunBatch();

  // Runs batches until swapped or Stop(); calls on_batch after each batch.
  Result<ReembedRunReport> Run(const std::function<void(const ReembedBatchReport&)>& on_batch = {});

  // Makes Run return after the batch in flight (which commits whole or not at all).
  void Stop() { stop_.store(true); }

 private:
  storage::Store* const store_;
  embedders::Embedder* const target_;
  const ReembedOptions options_;
  const common::Clock& clock_;
  const format::EmbedderRecord identity_;
  std::optional<format::ChunkId> cursor_;
  uint64_t staged_this_pass_ = 0;
  uint64_t rejected_this_pass_ = 0;
  std::string last_rejection_;  // "chunk d:n: reason", for the error when a pass is stuck
  std::atomic<bool> stop_{false};
};

}  // namespace roxi::processor
