#include "src/server/auto_recovery.h"

#include <sys/stat.h>

#include <filesystem>
#include <map>
#include <set>

#include "src/common/log.h"
#include "src/server/store_monitor.h"
#include "storage/backup.h"
#include "storage/backup_list.h"
#include "storage/restore.h"
#include "storage/verify_archive.h"

namespace roxi::server {

namespace {

namespace fs = std::filesystem;

struct KnownDocument {
  std::string source_path;
  uint64_t content_hash = 0;
  uint64_t source_mtime_micros = 0;
};

struct Salvage {
  std::optional<format::ArchiveId> store_id;
  std::map<std::string, KnownDocument> documents;  // by name
  bool documents_read = false;
  std::string error;
};

// What a store still tells: its id and documents. Never fails; what could not be read is in
// `error`.
Salvage ReadDocuments(const std::string& data_dir, storage::StoreOptions::Mode mode) {
  Salvage salvage;
  storage::StoreOptions options;
  options.data_dir = data_dir;
  options.mode = mode;
  options.create_if_missing = false;
  // A damaged store is read for what it still tells; the restored one must be whole.
  options.check_live_files = mode == storage::StoreOptions::Mode::kReadWrite;
  auto store = storage::Store::Open(options);
  if (!store.ok()) {
    salvage.error = store.status().ToString();
    return salvage;
  }
  salvage.store_id = (*store)->GetStoreInfo().store_id;
  Status scan = (*store)->ForEachDocument(
      [&](format::DocumentId, const format::DocumentRecord& d) {
        salvage.documents[d.name] = {d.source_path, d.content_hash, d.source_mtime_micros};
        return Status::OK();
      });
  salvage.documents_read = scan.ok();
  if (!scan.ok()) salvage.error = scan.ToString();
  return salvage;
}

// The store the folder's archives belong to, when there is exactly one.
Result<format::ArchiveId> OnlyStoreIn(const std::string& folder) {
  ROXI_ASSIGN_OR_RETURN(storage::BackupListing listing, storage::ListBackups(folder));
  std::set<format::ArchiveId> stores;
  for (const auto& a : listing.archives) stores.insert(a.store_id);
  if (stores.empty()) return Status::NotFound("backup folder " + folder, "holds no archive");
  if (stores.size() > 1) {
    return Status::InvalidArgument("backup folder " + folder,
                                   "holds archives of " + std::to_string(stores.size()) +
                                       " stores and the damaged store's id cannot be read");
  }
  return *stores.begin();
}

// Unix mtime of a regular file in microseconds; nullopt if it is not one (gone, a folder).
std::optional<uint64_t> FileMtimeMicros(const std::string& path) {
  struct stat st {};
  if (path.empty() || ::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  return static_cast<uint64_t>(st.st_mtim.tv_sec) * 1000000 +
         static_cast<uint64_t>(st.st_mtim.tv_nsec) / 1000;
}

void CarryOverConfig(const std::string& from_dir, const std::string& to_dir) {
  const fs::path from = fs::path(from_dir) / "roxi.conf";
  const fs::path to = fs::path(to_dir) / "roxi.conf";
  std::error_code ec;
  if (from_dir.empty() || !fs::exists(from, ec) || fs::exists(to, ec)) return;
  fs::copy_file(from, to, ec);
  if (ec) {
    common::LogWarn("config file not carried over to the restored data directory",
                    {{"from", from.string()}, {"error", ec.message()}});
  }
}

}  // namespace

Result<RecoveryReport> RecoverDataDir(const std::string& data_dir, const std::string& backup_folder,
                                      const std::string& reason) {
  RecoveryReport report;
  report.reason = reason;
  const Salvage damaged = ReadDocuments(data_dir, storage::StoreOptions::Mode::kReadOnly);
  format::ArchiveId store_id{};
  if (damaged.store_id) {
    store_id = *damaged.store_id;
  } else {
    ROXI_ASSIGN_OR_RETURN(store_id, OnlyStoreIn(backup_folder));
  }
  ROXI_ASSIGN_OR_RETURN(report.archive, storage::NewestVerifiedArchive(backup_folder, store_id));
  common::LogWarn("restoring the newest verified archive", {{"archive", report.archive}});

  storage::RestoreOptions options;
  options.data_dir = data_dir;
  options.force = true;
  ROXI_ASSIGN_OR_RETURN(storage::RestoreReport restored, storage::RestoreBackup(report.archive, options));
  report.archive_created_at_micros = restored.manifest.created_at_micros;
  report.damaged_store_kept_in = restored.previous_dir;
  CarryOverConfig(restored.previous_dir, data_dir);

  const Salvage now = ReadDocuments(data_dir, storage::StoreOptions::Mode::kReadWrite);
  if (!now.documents_read) {
    return Status::Corruption("restored store in " + data_dir, "documents unreadable: " + now.error);
  }
  std::set<std::string> requeue;
  for (const auto& [name, doc] : damaged.documents) {
    auto it = now.documents.find(name);
    if (it != now.documents.end() && it->second.content_hash == doc.content_hash) continue;
    if (FileMtimeMicros(doc.source_path)) {
      requeue.insert(doc.source_path);
    } else {
      report.lost.push_back(name + (doc.source_path.empty() ? " (given as text, no source file)"
                                                            : " (source file gone)"));
    }
  }
  // Documents the archive holds whose file changed after it was taken.
  for (const auto& [name, doc] : now.documents) {
    const auto mtime = FileMtimeMicros(doc.source_path);
    if (mtime && *mtime != doc.source_mtime_micros) requeue.insert(doc.source_path);
  }
  report.requeue.assign(requeue.begin(), requeue.end());
  if (!damaged.documents_read) {
    report.note = "the damaged store's documents could not be read (" + damaged.error +
                  "): documents ingested after the archive are recovered only from watched "
                  "folders and changed source files";
  }
  report.at_micros = storage::UnixMicrosNow();
  return report;
}

Result<std::unique_ptr<storage::Store>> OpenForServing(const OpenForServingOptions& options,
                                                       std::optional<RecoveryReport>* recovery) {
  const std::string& data_dir = options.store.data_dir;
  std::string damage;
  {
    auto store = storage::Store::Open(options.store);
    if (!store.ok()) {
      const Status& s = store.status();
      if (!s.IsCorruption() && !s.IsIOError()) return s;
      damage = s.ToString();
    } else {
      const HealthCheck check = CheckStoreFiles(**store);
      if (!check.damaged) return store;
      damage = check.problem;
    }
  }  // the damaged store is closed here
  common::LogError("store damaged", {{"data_dir", data_dir}, {"problem", damage}});
  if (!options.auto_restore) {
    return Status::Corruption("store in " + data_dir,
                              damage + "; automatic restore is off (--no-auto-restore): check it "
                                       "with 'roxi verify' and restore it with 'roxi restore'");
  }
  auto report = RecoverDataDir(data_dir, options.backup_folder, damage);
  if (!report.ok()) {
    return Status::Corruption("store in " + data_dir,
                              damage + "; automatic restore from " + options.backup_folder +
                                  " failed: " + report.status().ToString());
  }
  *recovery = std::move(report).value();
  return storage::Store::Open(options.store);
}

}  // namespace roxi::server
