// VerifyReport: what `roxi verify` found, for a store or an archive: each problem with the check
// that found it and the key or file it concerns, and what was counted on the way. A report with no
// problems is clean. Only the first kMaxListedProblems problems are kept; all are counted.
//
// Thread-safety: a value.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "format/archive_manifest.h"
#include "format/meta_records.h"

namespace roxi::storage {

// Which store checks run (Store::CheckInto). The meta records and the presence and size of every
// live RocksDB file are always checked; that alone is cheap enough for a periodic health check.
struct StoreCheckOptions {
  // RocksDB re-reads every block of every file and checks its checksum. Default: true.
  bool rocksdb_checksums = true;
  // Every record of every family is read, decoded and cross-checked. Default: true.
  bool scan_records = true;
  // VerifyStoreAt: a data directory that group or others can reach is a problem, not a warning.
  // Default: false.
  bool strict_permissions = false;
};

struct VerifyProblem {
  std::string check;   // which check: "rocksdb", "record", "chunk", "vector", "pending", ...
  std::string key;     // "chunks[chunk 3:0]", a file name, or empty
  std::string detail;  // what is wrong
};

// What a store holds, counted by reading it (not from its counters).
struct StoreCensus {
  uint64_t documents = 0;
  uint64_t names = 0;
  uint64_t chunks = 0;
  uint64_t chunks_pending = 0;
  uint64_t chunks_embedded = 0;
  uint64_t chunks_failed = 0;
  uint64_t vectors = 0;          // in the active vector family
  uint64_t staging_vectors = 0;  // in the staging vector family (only during a re-embed)
  uint64_t pending_entries = 0;
  uint64_t checkpoints = 0;
  uint64_t text_vector_entries = 0;  // keys of the text_vectors index (FORMAT.md §2.7)
  // Ingest stages in progress (FORMAT.md §3.9), and their chunks that are not yet counted.
  uint64_t stages = 0;
  uint64_t staged_chunks = 0;
};

// What checking an archive covered.
struct ArchiveCensus {
  uint64_t files = 0;             // files the archive restores
  uint64_t files_held = 0;        // of which frames in this archive
  uint64_t files_in_parents = 0;  // of which frames in parents
  uint64_t file_bytes = 0;        // bytes they restore to
  uint64_t frame_bytes = 0;       // bytes of frames read, parents' included
  uint64_t archive_bytes = 0;     // size of the archive file
};

struct VerifyReport {
  static constexpr size_t kMaxListedProblems = 1000;

  std::vector<VerifyProblem> problems;  // at most kMaxListedProblems
  uint64_t problem_count = 0;           // all problems, listed or not
  // Findings that are not damage, such as a data directory others can read (file_privacy.h).
  std::vector<std::string> warnings;

  // Store checks (verify of a data directory, or the trial restore of a deep archive check).
  bool store_checked = false;
  StoreCensus census;
  std::optional<format::CountersRecord> counters;  // the store's own counters, if readable
  std::string embedder_id;                         // empty when none is recorded
  std::string reembed_target_id;                   // empty when no re-embed is in progress

  // Archive checks.
  bool archive_checked = false;
  ArchiveCensus archive;
  std::optional<format::ArchiveManifest> manifest;  // with `files` cleared, if readable

  bool clean() const { return problem_count == 0; }
  void Add(std::string check, std::string key, std::string detail) {
    ++problem_count;
    if (problems.size() < kMaxListedProblems) {
      problems.push_back({std::move(check), std::move(key), std::move(detail)});
    }
  }
};

}  // namespace roxi::storage
