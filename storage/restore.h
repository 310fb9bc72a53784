// RestoreBackup: replaces a data directory with the store an archive holds, never leaving it
// half-restored.
//
// 1. An interrupted earlier restore of D is finished first (restore_swap.h).
// 2. The archive is opened and every frame it needs, its parents' included, is read and checked
//    against its XXH3 before anything is written: a damaged or incomplete archive (or a missing
//    parent) is refused naming the file and byte range.
// 3. D must not be in use: a process holding its store makes the restore fail with Busy. A D that
//    holds a store is replaced only with `force`.
// 4. The archive is unpacked into D.restoring (each file checked again as it is written and
//    fsynced), opened and put through every store check of verify_store.h, and `probe` if given.
// 5. D.restoring is swapped into place atomically (restore_swap.h); the old D is kept as
//    D.before-restore-<UTC time> unless `discard_old`.
//
// With `dry_run`, steps 4 runs in a scratch directory that is then removed; D is not touched.
//
// Thread-safety: thread-safe; restores of one D are serialised by its restore lock.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "format/archive_manifest.h"
#include "format/status.h"
#include "storage/store.h"
#include "storage/verify_report.h"

namespace roxi::storage {

struct RestoreOptions {
  // The data directory to restore into. Required.
  std::string data_dir;
  // Replace a data directory that holds a store. Default: false.
  bool force = false;
  // Restore into a scratch directory, check it, remove it; D is not touched. Default: false.
  bool dry_run = false;
  // Remove the old data directory once the new one is in place. Default: false (keep it).
  bool discard_old = false;
  // Where the scratch directory of a dry run goes. Default: empty, beside the data directory.
  std::string scratch_parent;
  // Run on the restored store after the store checks, before the swap; a non-OK result stops the
  // restore (e.g. trial searches). Default: none.
  std::function<Status(const Store&)> probe;
  // Called at named points ("restore:after_file", "restore:after_unpack", "restore:after_check",
  // then those of restore_swap.h), for crash tests. Default: none.
  std::function<void(std::string_view)> hook;
  // Unix time in microseconds naming D.before-restore-<time>. Default: 0, the clock.
  uint64_t now_micros = 0;
};

struct RestoreReport {
  std::string archive;
  std::string data_dir;
  std::string previous_dir;  // where the old data directory was kept; empty if none or discarded
  bool dry_run = false;
  bool recovered_interrupted = false;  // an interrupted earlier restore was finished first
  format::ArchiveManifest manifest;    // of the archive, `files` cleared
  uint64_t files = 0;
  uint64_t bytes = 0;                 // bytes of the restored files
  uint64_t archive_bytes = 0;         // frame bytes read (parents' included)
  VerifyReport check;                 // the store checks of the restored store (clean)
  uint64_t micros = 0;                // wall time, of which:
  uint64_t check_archive_micros = 0;  // reading every frame's bytes before writing anything
  uint64_t unpack_micros = 0;         // decompressing, writing and fsyncing the files
  uint64_t check_store_micros = 0;    // the store checks and the probe
};

// Restores `archive` per `options`. Corruption naming the file and range for a damaged archive
// (nothing is written), or when the restored store fails its checks (D untouched); NotFound for a
// missing archive or parent; NotSupported for a newer archive format; Busy if D's store is in use
// or another restore runs; InvalidArgument if D holds a store and `force` is not set; IOError
// (disk full included) on write failures, after which D is untouched.
Result<RestoreReport> RestoreBackup(const std::string& archive, const RestoreOptions& options);

}  // namespace roxi::storage
