// Retention of a backup folder: which archives to keep (the newest N, the newest of each of the
// last N days, the newest of each of the last N weeks, per store) and removing the rest, never an
// archive that a kept archive refers to (its parents are kept with it, transitively).
//
// Thread-safety: PlanRetention is pure; ApplyRetention holds the folder's lock.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "format/archive_catalog.h"
#include "format/status.h"

namespace roxi::storage {

struct RetentionPolicy {
  uint32_t keep_last = 0;    // the newest N archives. Default: 0.
  uint32_t keep_daily = 0;   // the newest archive of each of the last N UTC days with one
  uint32_t keep_weekly = 0;  // the newest archive of each of the last N ISO weeks with one
};

struct RetentionDecision {
  std::string name;
  bool keep = false;
  std::string reason;  // "last 2", "daily 2026-11-24", "weekly 2026-W48", "parent of X", "expired"
  uint64_t bytes = 0;
  uint64_t created_at_micros = 0;
};

// One decision per archive of `catalog`, newest first. Pure.
std::vector<RetentionDecision> PlanRetention(const format::BackupCatalog& catalog,
                                             const RetentionPolicy& policy);

struct PruneReport {
  bool dry_run = false;
  std::vector<RetentionDecision> decisions;
  uint64_t removed = 0;
  uint64_t removed_bytes = 0;
  uint64_t kept = 0;
  // Files in the folder that are not readable archives: never removed, listed here.
  std::vector<std::string> untouched;
};

// Applies `policy` to `folder` (or only plans, with `dry_run`). InvalidArgument if every keep
// count is 0 (that would remove everything); Busy if a backup or prune runs; IOError on failure
// (archives removed so far stay removed, and the catalog is reconciled on its next load).
Result<PruneReport> ApplyRetention(const std::string& folder, const RetentionPolicy& policy,
                                   bool dry_run);

}  // namespace roxi::storage
