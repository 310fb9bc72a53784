// BackupScheduler: the backups `roxi serve` takes by itself (--backup-every) and on request
// (POST /v1/backup), with the retention policy applied after each scheduled one.
//
// When due, a scheduled backup is skipped if the store has not changed since the newest archive
// of this store in the folder (same RocksDB sequence number): an idle or deep-sleeping server
// does not pile up identical archives, and does not wake its disk for nothing. At start the first
// backup is due one interval after the newest archive of this store (at once when there is none).
//
// Thread-safety: thread-safe. Backups run one at a time (mu_ is not held while one runs; running_
// and backup_mu_ serialise them).
#pragma once

#include <cstdint>
#include <mutex>
#include <string>

#include "format/status.h"
#include "src/common/clock.h"
#include "storage/backup.h"
#include "storage/backup_retention.h"
#include "storage/store.h"

namespace roxi::server {

struct BackupSchedule {
  // The backup folder. Required for scheduled backups; the default folder of POST /v1/backup.
  std::string folder;
  // Seconds between scheduled backups. Default: 0, none.
  double every_seconds = 0;
  // Applied after each scheduled backup; all zero keeps every archive. Default: keep everything.
  storage::RetentionPolicy retention;
  // Every Nth scheduled backup is full (and the first of a store always is): incremental archives
  // keep their parents alive, so without a full one now and then retention could remove nothing.
  // 0 or 1: every one is full. Default: 7.
  uint32_t full_every = 7;
  // zstd level and compression threads of scheduled backups. Defaults: 3, 2.
  int level = 3;
  int threads = 2;
};

// What the scheduler has done in this run, for status and /metrics.
struct BackupActivity {
  std::string folder;
  double every_seconds = 0;
  uint64_t backups_ok = 0;       // scheduled and requested
  uint64_t backups_failed = 0;
  uint64_t backups_skipped = 0;  // scheduled ones skipped because nothing changed
  uint64_t archives_pruned = 0;
  uint64_t last_backup_at_micros = 0;  // Unix time of the newest archive of this store; 0 if none
  std::string last_backup_name;
  uint64_t last_backup_bytes = 0;
  double last_backup_seconds = 0;  // how long the last backup of this run took
  std::string last_error;          // of the last failed backup or prune; cleared by a success
  uint64_t next_due_micros = 0;    // Unix time; 0 when nothing is scheduled
  bool running = false;
};

class BackupScheduler {
 public:
  // REQUIRES: store is open read-write and outlives the scheduler.
  BackupScheduler(storage::Store* store, BackupSchedule schedule,
                  const common::Clock& clock = common::SystemClock());
  BackupScheduler(const BackupScheduler&) = delete;
  BackupScheduler& operator=(const BackupScheduler&) = delete;

  // Takes the scheduled backup, verifies the new archive (every frame, recorded in the folder's
  // catalog) and applies retention if one is due (see above). Errors are
  // logged and recorded in the activity; the next attempt is one interval later.
  void RunIfDue();
  // Microseconds until the next scheduled backup is due (0 if due now); UINT64_MAX if none is.
  uint64_t MicrosUntilDue();

  // Backs up now, on the calling thread, into options.folder (the schedule's folder if empty).
  // Errors as storage::CreateBackup; Busy while another backup of this server runs.
  Result<storage::BackupReport> BackupNow(storage::BackupOptions options);

  void UpdateSchedule(const BackupSchedule& schedule);
  BackupActivity activity() const;

 private:
  // Reads the newest archive of this store in the folder (time, name, size, sequence), once.
  void LoadHistory();
  // Whether the next scheduled backup is to be full: fewer than full_every - 1 incremental
  // archives of this store follow its newest full one in the folder.
  bool NextShouldBeFull(const BackupSchedule& schedule) const;

  storage::Store* const store_;
  const common::Clock& clock_;
  std::mutex backup_mu_;  // held while a backup runs: one at a time

  mutable std::mutex mu_;
  BackupSchedule schedule_;   // guarded by mu_
  BackupActivity activity_;   // guarded by mu_
  bool history_loaded_ = false;  // guarded by mu_
  bool have_last_sequence_ = false;  // guarded by mu_
  uint64_t last_sequence_ = 0;   // guarded by mu_: the sequence of the newest archive of this store
};

}  // namespace roxi::server
