// CreateBackup: a consistent, verified, compressed copy of a live store in a backup folder.
//
// 1. RocksDB's Checkpoint API makes a point-in-time copy of the store inside its data directory
//    (SST files are hard links), without pausing readers or writers.
// 2. Each file of the checkpoint becomes a run of zstd frames in a new archive (FORMAT.md §6), one
//    per 4 MiB segment, compressed `threads` segments at a time, so memory stays constant whatever
//    the store's size. Unless `full`, files an
//    earlier archive of the same store already holds are referred to, not stored (backup_plan.h).
// 3. Before writing, the archive's size is estimated and the folder's free space checked.
// 4. The archive is written as <name>.tmp, fsynced, renamed to <name> (never replacing a file),
//    and the folder fsynced; then the folder's catalog records it. A crash at any instant leaves
//    no partial archive under a final name.
//
// Archives are named <UTC time>-<store id>.roxibak, e.g. 20261124T120000Z-0a1b...9f.roxibak.
//
// Thread-safety: thread-safe; backups run one at a time per process, and the folder's lock keeps
// other processes' backups and prunes of the same folder out meanwhile.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "format/archive_manifest.h"
#include "format/status.h"
#include "storage/store.h"

namespace roxi::storage {

// Where a backup makes its checkpoint: <data_dir>/.backup-staging, inside the data directory so
// its SST files can be hard links. Removed when the backup ends, and by the next read-write open
// of the store after a backup was killed (storage/leftovers.h).
inline constexpr std::string_view kBackupStagingName = ".backup-staging";

struct BackupOptions {
  // The backup folder; created if missing. Required.
  std::string folder;
  // zstd level, 1 to 19. Default: 3.
  int level = 3;
  // Segments of files compressed at once, each in its own thread (0 and 1: one at a time, in the
  // calling thread); the archive's bytes are the same whatever the number. Default: 2.
  int threads = 2;
  // Store every file, referring to no earlier archive. Default: false (incremental).
  bool full = false;
  // Refuse a folder that group or others can reach, instead of noting it (file_privacy.h). The
  // folder is created 0700 and archives 0600 either way. Default: false.
  bool strict_permissions = false;
  // Refuse up front when the folder's file system lacks room (backup_budget.h). Default: true.
  bool check_space = true;
  // Called at named points ("backup:after_checkpoint", "backup:after_file",
  // "backup:before_publish", "backup:after_publish"), for crash tests. Default: none.
  std::function<void(std::string_view)> hook;
  // Tests only: archive writes fail as a full disk past this many bytes. Default: 0 (no limit).
  uint64_t write_limit_for_testing = 0;
  // Creation time, Unix microseconds. Default: 0, the clock.
  uint64_t now_micros = 0;
};

struct BackupReport {
  std::string path;  // the archive
  std::string name;  // its file name
  format::ArchiveId archive_id{};
  format::ArchiveId store_id{};
  uint64_t created_at_micros = 0;
  bool incremental = false;          // refers to at least one parent
  std::vector<std::string> parents;  // names of the archives it refers to
  uint64_t files = 0;
  uint64_t files_stored = 0;
  uint64_t files_referenced = 0;
  uint64_t checkpoint_bytes = 0;  // bytes of all files of the checkpoint
  uint64_t stored_bytes = 0;      // of which compressed into this archive
  uint64_t archive_bytes = 0;     // size of the archive
  uint64_t sequence = 0;          // RocksDB sequence number of the checkpoint
  uint64_t documents = 0;
  uint64_t chunks = 0;
  uint64_t vectors = 0;
  uint64_t estimated_bytes = 0;    // the disk budget's estimate of archive_bytes
  uint64_t free_bytes = 0;         // free in the folder's file system before writing
  uint64_t micros = 0;             // wall time
  int threads = 0;                 // zstd worker threads used
  std::vector<std::string> notes;  // e.g. a damaged parent not referred to
};

// Backs up `store` (open read-write) into options.folder. Returns InvalidArgument for bad options,
// NotSupported for a read-only store, Busy if the folder is in use by another backup or prune,
// IOError for a folder without room (before anything is written) or a failed write (disk full
// included; the partial file is removed). The store is never modified beyond RocksDB's flush.
Result<BackupReport> CreateBackup(Store& store, const BackupOptions& options);

// "20261124T120000Z-<32 hex digits of store_id>.roxibak". Pure.
std::string ArchiveNameFor(uint64_t unix_micros, const format::ArchiveId& store_id);
// The 32 lower-case hex digits of an id. Pure.
std::string HexId(const format::ArchiveId& id);

}  // namespace roxi::storage
