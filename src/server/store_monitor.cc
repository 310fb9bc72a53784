#include "src/server/store_monitor.h"

#include "storage/verify_report.h"

namespace roxi::server {

namespace {

Result<HealthCheck> FilesAndMeta(const storage::Store& store) {
  storage::StoreCheckOptions cheap;
  cheap.rocksdb_checksums = false;
  cheap.scan_records = false;
  storage::VerifyReport report;
  ROXI_RETURN_IF_ERROR(store.CheckInto(cheap, &report));
  HealthCheck check;
  if (!report.clean()) {
    check.damaged = true;
    const auto& p = report.problems.front();
    check.problem = p.check + ": " + (p.key.empty() ? "" : p.key + ": ") + p.detail;
    if (report.problem_count > 1) {
      check.problem += " (and " + std::to_string(report.problem_count - 1) + " more)";
    }
  }
  return check;
}

}  // namespace

HealthCheck CheckStoreFiles(const storage::Store& store) {
  auto check = FilesAndMeta(store);
  if (check.ok()) return *check;
  // The checks could not even read the store's files: as damaged as a missing file.
  return HealthCheck{true, check.status().ToString()};
}

Result<HealthCheck> StoreMonitor::Check() {
  ROXI_ASSIGN_OR_RETURN(HealthCheck check, FilesAndMeta(*store_));
  if (check.damaged) return check;
  const format::CountersRecord now = store_->GetCounters();
  if (now.embedded + now.pending + now.failed != now.chunks) {
    check.damaged = true;
    check.problem = "counters: embedded " + std::to_string(now.embedded) + " + pending " +
                    std::to_string(now.pending) + " + failed " + std::to_string(now.failed) +
                    " != chunks " + std::to_string(now.chunks);
    return check;
  }
  if (previous_) {
    if (now.documents < previous_->documents) {
      check.damaged = true;
      check.problem = "counters: documents went from " + std::to_string(previous_->documents) +
                      " to " + std::to_string(now.documents) + " without a delete";
      return check;
    }
  }
  previous_ = now;
  return check;
}

}  // namespace roxi::server
