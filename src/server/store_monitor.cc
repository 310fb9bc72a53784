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
  // A deletion moves documents from the counters to meta[deletions] in the same WriteBatch, so
  // their sum only grows; a drop means records were lost.
  const uint64_t documents_ever = now.documents + store_->GetDeletions().documents;
  if (previous_documents_ever_ && documents_ever < *previous_documents_ever_) {
    check.damaged = true;
    check.problem = "counters: documents held plus deleted went from " +
                    std::to_string(*previous_documents_ever_) + " to " +
                    std::to_string(documents_ever);
    return check;
  }
  previous_documents_ever_ = documents_ever;
  return check;
}

}  // namespace roxi::server
