// StatusReport: everything `roxi status` shows, gathered from a store, plus what a running daemon
// adds (state, pause reason, memory, last batch). One definition serves the local command and the
// daemon's /v1/status, so both print the same document.
//
// Thread-safety: values; CollectStatus may run beside the store's writers.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "format/checkpoint_record.h"
#include "format/meta_records.h"
#include "format/status.h"
#include "storage/store.h"

namespace roxi::server {

// What a running daemon adds to a status report.
struct DaemonStatus {
  std::string state;         // processing, idle, deep-sleep, paused, backoff, stopping
  std::string pause_reason;  // when paused or backing off: why
  std::string listen;        // host:port of the API
  int pid = 0;
  uint64_t uptime_seconds = 0;
  uint64_t rss_bytes = 0;
  bool index_loaded = false;
  uint64_t index_vectors = 0;
  double target = 1.0;
  uint64_t last_batch_size = 0;
  double last_batch_ms = 0;
  double last_batch_chunks_per_second = 0;
  uint64_t last_batch_at_micros = 0;
  std::string last_error;
  uint64_t batches_this_run = 0;
  uint64_t embedded_this_run = 0;
  bool reembedding = false;  // a re-embed runs in this server
};

// A re-embed in progress (FORMAT.md §2.6).
struct ReembedStatus {
  std::string target;       // the new embedder's id
  uint64_t done = 0;        // staging vectors written
  uint64_t total = 0;       // chunks with a vector of the current embedder
  uint64_t started_at_micros = 0;
};

struct StatusReport {
  std::string data_dir;
  std::string store_id;
  uint32_t schema_version = 0;
  format::CountersRecord counters;
  format::DeletionsRecord deletions;  // documents and chunks deleted over the store's life
  double percent_complete = 100;  // embedded and failed: how far processing has come
  double percent_embedded = 100;  // of all chunks, searchable
  double percent_failed = 0;      // of all chunks, given up on
  uint64_t store_bytes = 0;
  std::optional<format::EmbedderRecord> embedder;
  std::optional<format::CheckpointRecord> checkpoint;
  std::optional<ReembedStatus> reembed;
  // Failed chunks grouped by their last error without its volatile parts (FailureReasonGroup),
  // most frequent first (at most kMaxFailureReasons).
  std::vector<std::pair<std::string, uint64_t>> failures_by_reason;
  std::optional<DaemonStatus> daemon;
};

inline constexpr size_t kMaxFailureReasons = 10;

// A failure reason with what changes between runs of the same failure taken out, so that one
// cause makes one group: the port of every URL (a server restarted on another port), e.g.
// "openai embedder http://127.0.0.1:41234/v1: HTTP 400" -> "openai embedder http://127.0.0.1/v1:
// HTTP 400".
std::string FailureReasonGroup(std::string_view reason);

// Reads counters, embedder, checkpoint and size; scans failed chunks for their reasons when there
// are any. Errors: Corruption naming a key, IOError.
Result<StatusReport> CollectStatus(const storage::Store& store);

nlohmann::json StatusToJson(const StatusReport& report);
std::string StatusToText(const StatusReport& report);

}  // namespace roxi::server
