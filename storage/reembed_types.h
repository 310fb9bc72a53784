// Plain value types of a re-embed (Store::StartReembed ... TrySwapVectors, storage/store_reembed.cc):
// what the re-embedder reads, hands back to commit, and learns from a swap attempt. No RocksDB
// types appear here.
//
// Thread-safety: values.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "format/keys.h"
#include "storage/store_types.h"

namespace roxi::storage {

// The next chunks a re-embed must embed with its target: embedded chunks (they have an active
// vector) without a staging vector of the target for their current text.
struct ReembedWork {
  std::vector<PendingChunk> chunks;             // in ChunkId order
  std::optional<format::ChunkId> scanned_to;    // the last chunk looked at; unset if none
  bool reached_end = false;                     // the scan ran past the last chunk
};

// Staging vectors to commit, with the pass's new cursor, in one WriteBatch.
struct StagingCommit {
  std::vector<EmbeddedChunk> staged;           // vector_value of the re-embed's target model
  std::optional<format::ChunkId> cursor;       // persisted so that a rerun resumes here
};

struct StagingCommitSummary {
  std::vector<format::ChunkId> staged;  // committed
  uint64_t stale = 0;                   // skipped: chunk gone, changed, or no longer embedded
};

// What Store::TrySwapVectors found and did.
struct ReembedSwap {
  bool swapped = false;
  uint64_t missing = 0;          // embedded chunks still without a matching staging vector
  uint64_t vectors = 0;          // staging vectors that became the active set
  uint64_t dropped_staging = 0;  // stale staging vectors deleted in the swap
};

}  // namespace roxi::storage
