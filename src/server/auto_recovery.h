// Automatic recovery of a damaged store, as `roxi serve` runs it when its store fails to open with
// Corruption or an I/O error, fails the health check on open, or fails it while serving
// (store_monitor.h):
//   1. what the damaged store still tells is salvaged: its store id and, if its documents can be
//      read, each document's name, source path and content hash;
//   2. the newest archive of that store in the backup folder that verifies clean is restored over
//      the data directory (storage/restore.h; the damaged store is kept beside it as
//      D.before-restore-<time>, and the config file roxi.conf is carried over);
//   3. the documents to ingest again are worked out: those the damaged store listed that the
//      archive lacks or holds in another version, and those of the archive whose source file
//      changed since, when their source file is still on disk. Documents without a source on disk
//      are listed as lost. The caller ingests the paths once the server runs (watched folders are
//      rescanned at start anyway).
//
// Thread-safety: functions; the caller must have closed its own handle on the store.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "format/status.h"
#include "storage/store.h"

namespace roxi::server {

struct RecoveryReport {
  uint64_t at_micros = 0;  // Unix time the recovery finished
  std::string reason;      // the damage that started it
  std::string archive;     // the archive restored
  uint64_t archive_created_at_micros = 0;
  std::string damaged_store_kept_in;  // D.before-restore-<time>
  std::vector<std::string> requeue;   // source paths to ingest again
  std::vector<std::string> lost;      // documents that could not be recovered, with why
  std::string note;                   // e.g. the damaged store could not be read at all
};

// Restores data_dir from the newest verified archive in backup_folder (see above). NotFound when
// no archive of the store verifies (or the folder is missing); InvalidArgument when the store id
// cannot be read and the folder holds archives of several stores; errors of RestoreBackup.
Result<RecoveryReport> RecoverDataDir(const std::string& data_dir, const std::string& backup_folder,
                                      const std::string& reason);

struct OpenForServingOptions {
  storage::StoreOptions store;
  std::string backup_folder;  // where archives to recover from are found
  bool auto_restore = true;
};

// Opens the store for `roxi serve`: a store that fails to open with Corruption or IOError, or
// that opens but fails the health check's file part, is recovered with RecoverDataDir (unless
// !auto_restore: Corruption then, naming the damage) and opened again; *recovery is set when that
// happened. Other open errors (Busy, NotFound, NotSupported) are returned as they are.
Result<std::unique_ptr<storage::Store>> OpenForServing(const OpenForServingOptions& options,
                                                       std::optional<RecoveryReport>* recovery);

}  // namespace roxi::server
