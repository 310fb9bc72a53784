#include "src/server/folder_sync.h"

#include <algorithm>
#include <filesystem>

#include "src/common/log.h"

namespace roxi::server {

Result<WatchDeletes> ParseWatchDeletes(const std::string& text) {
  if (text == "delete") return WatchDeletes::kDelete;
  if (text == "keep") return WatchDeletes::kKeep;
  return Status::InvalidArgument("--watch-deletes " + text, "want delete or keep");
}

void ApplyFolderChanges(Daemon* daemon, const FolderWatcher::Changes& changes,
                        WatchDeletes deletes) {
  const bool follow = deletes == WatchDeletes::kDelete;
  for (const auto& path : changes.written) {
    IngestRequest request;
    request.paths = {path};
    request.sync = follow && std::find(changes.recheck.begin(), changes.recheck.end(), path) !=
                                 changes.recheck.end();
    auto report = daemon->Ingest(request);
    if (!report.ok()) {
      common::LogWarn("watched path not ingested", {{"path", path}, {"error", report.status()}});
      continue;
    }
    if (report->created + report->replaced > 0) {
      common::LogInfo("watched path ingested", {{"path", path},
                                                {"created", report->created},
                                                {"replaced", report->replaced},
                                                {"chunks", report->chunks_queued},
                                                {"reused", report->chunks_reused}});
    }
    for (const auto& name : report->deleted) {
      common::LogInfo("watched file gone, document deleted", {{"document", name}});
    }
  }
  if (!follow) return;
  for (const auto& path : changes.removed) {
    std::error_code ec;
    if (std::filesystem::exists(std::filesystem::symlink_status(path, ec))) continue;  // back again
    ingest::DeleteRequest request;
    request.names = {path};
    request.prefix = path + "/";
    request.has_prefix = true;
    request.ignore_unknown = true;
    auto report = daemon->Delete(request);
    if (!report.ok()) {
      common::LogWarn("watched path gone, documents not deleted",
                      {{"path", path}, {"error", report.status()}});
      continue;
    }
    for (const auto& d : report->documents) {
      common::LogInfo("watched file gone, document deleted",
                      {{"document", d.name}, {"chunks", d.chunks}});
    }
  }
}

}  // namespace roxi::server
