// StoreMonitor: the cheap health check `roxi serve` runs on open and every --check-every seconds.
//   - every live RocksDB file exists with its recorded size, and the meta records decode (the
//     always-on part of storage's store checks, without re-reading blocks or scanning records);
//   - the counters hold together (chunks = embedded + pending + failed);
//   - nothing vanished: roxi never deletes a document, so the document count may not shrink
//     between checks. (Embedded and chunk counts legitimately shrink when a document is replaced
//     by a shorter one, so they are not compared across checks.)
// A failed check is damage (RocksDB missing a file, a volume that lost writes, a store swapped
// under the server); the caller raises the alarm and recovers (auto_recovery.h).
//
// Thread-safety: a StoreMonitor is used by one thread; the store may be written meanwhile.
#pragma once

#include <optional>
#include <string>

#include "format/meta_records.h"
#include "format/status.h"
#include "storage/store.h"

namespace roxi::server {

struct HealthCheck {
  bool damaged = false;
  std::string problem;  // the first problem found, naming the file or counter
};

// The file and meta part of the check, for a store just opened.
HealthCheck CheckStoreFiles(const storage::Store& store);

class StoreMonitor {
 public:
  // REQUIRES: store outlives the monitor.
  explicit StoreMonitor(const storage::Store* store) : store_(store) {}

  // Runs every check above. Returns non-OK only if the checks could not run (an I/O error that is
  // not damage); damage is in the result.
  Result<HealthCheck> Check();

 private:
  const storage::Store* const store_;
  // Documents the store has held over its life: those it holds plus those deleted (counters and
  // meta[deletions] change in one WriteBatch), as of the last check. It never shrinks.
  std::optional<uint64_t> previous_documents_ever_;
};

}  // namespace roxi::server
