#include "storage/backup.h"

#include <sys/stat.h>

#include <cerrno>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <mutex>
#include <random>

#include "format/hex.h"
#include "storage/archive_io.h"
#include "storage/archive_writer.h"
#include "storage/backup_budget.h"
#include "storage/backup_catalog.h"
#include "storage/backup_plan.h"
#include "storage/file_privacy.h"
#include "storage/verify_archive.h"

namespace roxi::storage {

namespace fs = std::filesystem;

namespace {

std::mutex g_backup_mu;  // one backup at a time in this process

format::ArchiveId RandomId() {
  std::random_device rd;
  format::ArchiveId id{};
  for (auto& b : id) b = static_cast<uint8_t>(rd());
  return id;
}

Status ValidateOptions(const BackupOptions& o) {
  if (o.folder.empty()) return Status::InvalidArgument("backup folder", "not set");
  if (o.level < kMinArchiveLevel || o.level > kMaxArchiveLevel) {
    return Status::InvalidArgument(
        "--level " + std::to_string(o.level),
        "want " + std::to_string(kMinArchiveLevel) + " to " + std::to_string(kMaxArchiveLevel));
  }
  if (o.threads < 0 || o.threads > kMaxArchiveThreads) {
    return Status::InvalidArgument("--threads " + std::to_string(o.threads),
                                   "want 0 to " + std::to_string(kMaxArchiveThreads));
  }
  return Status::OK();
}

// Removes .tmp archives of this store left by a killed backup. Only one backup of a store runs
// at a time (it holds the store and the folder), so none of them is being written.
void RemoveStaleTemps(const std::string& folder, const std::string& store_hex) {
  std::error_code ec;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.find(store_hex) != std::string::npos &&
        name.ends_with(std::string(kArchiveSuffix) + std::string(kTempSuffix))) {
      std::error_code rm;
      fs::remove(it->path(), rm);
    }
  }
}

// A name not yet taken in `folder`: the timestamped name, or with -2, -3... when a backup of the
// same store was made in the same second.
std::string FreeArchivePath(const std::string& folder, uint64_t micros,
                            const format::ArchiveId& store_id) {
  const std::string base = ArchiveNameFor(micros, store_id);
  const std::string stem = base.substr(0, base.size() - kArchiveSuffix.size());
  for (int n = 1;; ++n) {
    const std::string name =
        n == 1 ? base : stem + "-" + std::to_string(n) + std::string(kArchiveSuffix);
    std::error_code ec;
    if (!fs::exists(folder + "/" + name, ec) &&
        !fs::exists(folder + "/" + name + std::string(kTempSuffix), ec)) {
      return folder + "/" + name;
    }
  }
}

// What the checkpoint holds, read from the checkpoint itself (not the live store, which may have
// moved on).
Status DescribeCheckpoint(const std::string& staging, format::ArchiveManifest* m) {
  StoreOptions options;
  options.data_dir = staging;
  options.mode = StoreOptions::Mode::kReadOnly;
  ROXI_ASSIGN_OR_RETURN(std::unique_ptr<Store> copy, Store::Open(options));
  const format::CountersRecord c = copy->GetCounters();
  m->documents = c.documents;
  m->chunks = c.chunks;
  m->vectors = c.embedded;
  m->pending = c.pending;
  m->failed = c.failed;
  if (auto e = copy->GetEmbedder(); e.ok()) m->embedder_id = e->id;
  m->schema_version = copy->GetStoreInfo().schema_version;
  return Status::OK();
}

Result<uint64_t> WriteArchive(const BackupPlan& plan, const std::string& db_dir,
                              const std::string& path, const BackupOptions& o,
                              format::ArchiveManifest manifest, BackupReport* report) {
  ROXI_ASSIGN_OR_RETURN(ArchiveWriter writer,
                        ArchiveWriter::Create(path, o.level, o.threads, o.write_limit_for_testing));
  report->threads = writer.threads();
  for (const PlannedFile& f : plan.files) {
    if (f.reference) {
      writer.AddReference(*f.reference);
      continue;
    }
    ROXI_RETURN_IF_ERROR(writer.AddFile(db_dir + "/" + f.file.name, f.file.name, f.file.size)
                             .status()
                             .WithContext("backup"));
    if (o.hook) o.hook("backup:after_file");
  }
  manifest.parents = plan.parents;
  ROXI_ASSIGN_OR_RETURN(uint64_t bytes, writer.Seal(std::move(manifest)));
  if (o.hook) o.hook("backup:before_publish");
  ROXI_RETURN_IF_ERROR(writer.Publish());
  if (o.hook) o.hook("backup:after_publish");
  return bytes;
}

// Adds the new archive to the catalog; the archive stands even if this fails, and the next
// catalog load adds it from its manifest.
void CatalogNewArchive(const std::string& folder, CatalogLoad* load, const std::string& path,
                       BackupReport* report) {
  auto reader = ArchiveReader::Open(path);
  if (!reader.ok()) {
    report->notes.push_back("catalog not updated: " + reader.status().ToString());
    return;
  }
  auto& archives = load->catalog.archives;
  archives.push_back(CatalogEntryFor(BaseName(path), *reader));
  std::sort(archives.begin(), archives.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  if (Status s = SaveCatalog(folder, load->catalog); !s.ok()) {
    report->notes.push_back("catalog not updated: " + s.ToString());
  }
}

Result<BackupReport> BackupLocked(Store& store, const BackupOptions& o,
                                  const std::string& staging) {
  const auto start = std::chrono::steady_clock::now();
  BackupReport report;
  const format::StoreInfoRecord info = store.GetStoreInfo();
  report.store_id = info.store_id;
  report.created_at_micros = o.now_micros != 0 ? o.now_micros : UnixMicrosNow();
  ROXI_ASSIGN_OR_RETURN(CatalogLoad load, LoadCatalog(o.folder));
  RemoveStaleTemps(o.folder, HexId(info.store_id));

  const std::string db_dir = staging + "/db";
  ROXI_ASSIGN_OR_RETURN(report.sequence, store.CreateCheckpoint(db_dir));
  if (o.hook) o.hook("backup:after_checkpoint");
  format::ArchiveManifest manifest;
  ROXI_RETURN_IF_ERROR(DescribeCheckpoint(staging, &manifest));
  ROXI_ASSIGN_OR_RETURN(std::vector<CheckpointFile> files, ListCheckpoint(db_dir));
  ROXI_ASSIGN_OR_RETURN(BackupPlan plan, PlanBackup(o.folder, load.catalog, info.store_id, db_dir,
                                                    std::move(files), o.full));
  report.notes = plan.notes;

  SpaceEstimate estimate = EstimateArchiveSpace(plan.stored_bytes, plan.files.size(),
                                                ObservedRatio(load.catalog, info.store_id));
  if (o.check_space) ROXI_RETURN_IF_ERROR(CheckBackupSpace(o.folder, &estimate));
  report.estimated_bytes = estimate.archive_bytes;
  report.free_bytes = estimate.free_bytes;

  manifest.archive_id = RandomId();
  manifest.store_id = info.store_id;
  manifest.created_at_micros = report.created_at_micros;
  manifest.created_by = std::string("roxi ") + ROXI_VERSION;
  manifest.sequence = report.sequence;
  report.archive_id = manifest.archive_id;
  report.documents = manifest.documents;
  report.chunks = manifest.chunks;
  report.vectors = manifest.vectors;

  report.path = FreeArchivePath(o.folder, report.created_at_micros, info.store_id);
  report.name = BaseName(report.path);
  ROXI_ASSIGN_OR_RETURN(report.archive_bytes,
                        WriteArchive(plan, db_dir, report.path, o, std::move(manifest), &report));
  CatalogNewArchive(o.folder, &load, report.path, &report);

  for (const auto& p : plan.parents) report.parents.push_back(p.name);
  report.incremental = !plan.parents.empty();
  for (const auto& f : plan.files) {
    ++report.files;
    ++(f.reference ? report.files_referenced : report.files_stored);
    report.checkpoint_bytes += f.file.size;
  }
  report.stored_bytes = plan.stored_bytes;
  report.micros = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                            std::chrono::steady_clock::now() - start)
                                            .count());
  return report;
}

}  // namespace

std::string HexId(const format::ArchiveId& id) { return format::HexEncode(id); }

std::string ArchiveNameFor(uint64_t unix_micros, const format::ArchiveId& store_id) {
  const auto seconds = static_cast<time_t>(unix_micros / 1000000);
  struct tm utc;
  gmtime_r(&seconds, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &utc);
  return std::string(stamp) + "-" + HexId(store_id) + std::string(kArchiveSuffix);
}

Result<BackupReport> CreateBackup(Store& store, const BackupOptions& o) {
  ROXI_RETURN_IF_ERROR(ValidateOptions(o));
  if (store.read_only()) {
    return Status::NotSupported("backup of " + store.data_dir(), "the store is open read-only");
  }
  const std::lock_guard<std::mutex> one_at_a_time(g_backup_mu);
  ROXI_ASSIGN_OR_RETURN(FolderPrivacy privacy, SecureBackupFolder(o.folder, o.strict_permissions));
  if (Status created = CreatePrivateDirectories(o.folder); !created.ok()) {
    return created.WithContext("backup folder " + o.folder);
  }
  ROXI_ASSIGN_OR_RETURN(FileLock folder_lock, LockBackupFolder(o.folder, /*wait=*/false));

  // A staging directory left by a killed backup holds hard links that keep deleted SST files
  // alive; this backup owns the store, so it is safe to remove.
  const std::string staging = store.data_dir() + "/" + std::string(kBackupStagingName);
  ROXI_RETURN_IF_ERROR(RemoveAll(staging));
  if (::mkdir(staging.c_str(), kPrivateDirMode) != 0) {
    return ErrnoStatus("create directory", staging, errno);
  }
  auto report = BackupLocked(store, o, staging);
  if (report.ok()) {
    report->notes.insert(report->notes.begin(), privacy.warnings.begin(), privacy.warnings.end());
  }
  // why: a staging directory left behind costs space until the next backup removes it.
  RemoveAll(staging).IgnoreError();
  return report;
}

}  // namespace roxi::storage
