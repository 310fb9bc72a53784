#include "storage/restore.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <random>

#include "storage/archive_io.h"
#include "storage/archive_reader.h"
#include "storage/archive_unpack.h"
#include "storage/backup.h"
#include "storage/backup_budget.h"
#include "storage/file_privacy.h"
#include "storage/restore_swap.h"
#include "storage/verify_archive.h"

namespace roxi::storage {

namespace fs = std::filesystem;

namespace {

uint64_t MicrosSince(std::chrono::steady_clock::time_point start) {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                   std::chrono::steady_clock::now() - start)
                                   .count());
}

bool Exists(const std::string& path) {
  std::error_code ec;
  return fs::exists(path, ec);
}

// Refuses a data directory whose store is open elsewhere, or that holds a store without `force`.
Status CheckTarget(const std::string& dir, bool force) {
  if (!Exists(dir + "/db/CURRENT")) return Status::OK();
  StoreOptions options;
  options.data_dir = dir;
  options.create_if_missing = false;
  auto store = Store::Open(options);
  if (!store.ok() && store.status().IsBusy()) {
    return Status::Busy("data directory " + dir,
                        "in use by another roxi process (a server, process or ingest); stop it "
                        "before restoring");
  }
  if (!force) {
    std::string what = "holds a store";
    if (store.ok())
      what += " of " + std::to_string((*store)->GetCounters().documents) + " documents";
    return Status::InvalidArgument(
        "data directory " + dir, what + "; pass --force to replace it (the old store is kept as " +
                                     BaseName(dir) + std::string(kPreviousInfix) + "<time>)");
  }
  return Status::OK();
}

Status CheckRoom(const std::string& parent, const format::ArchiveManifest& m) {
  uint64_t bytes = 0;
  for (const auto& f : m.files) bytes += f.size;
  SpaceEstimate estimate;
  estimate.archive_bytes = bytes;
  estimate.required_bytes = bytes + std::max<uint64_t>(kMinSpaceMarginBytes, bytes / 10);
  ROXI_ASSIGN_OR_RETURN(estimate.free_bytes, FreeBytes(parent));
  if (estimate.required_bytes > estimate.free_bytes) {
    return Status::IOError("restore into " + parent,
                           "not enough space: the store needs " + std::to_string(bytes) +
                               " bytes plus a margin, " + std::to_string(estimate.free_bytes) +
                               " are free");
  }
  return Status::OK();
}

// Unpacks into `dir` and checks the result as a store; `dir` must not exist.
Status UnpackAndCheck(ArchiveChain* chain, const std::string& dir, const RestoreOptions& o,
                      RestoreReport* report) {
  if (::mkdir(dir.c_str(), kPrivateDirMode) != 0)
    return ErrnoStatus("create directory", dir, errno);
  auto start = std::chrono::steady_clock::now();
  UnpackStats stats;
  ROXI_RETURN_IF_ERROR(UnpackArchive(chain, dir + "/db", o.hook, &stats));
  report->files = stats.files;
  report->bytes = stats.bytes;
  ROXI_RETURN_IF_ERROR(SyncDir(dir));
  report->unpack_micros = MicrosSince(start);
  if (o.hook) o.hook("restore:after_unpack");
  start = std::chrono::steady_clock::now();
  StoreOptions options;
  options.data_dir = dir;
  options.create_if_missing = false;
  ROXI_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, Store::Open(options));
  ROXI_RETURN_IF_ERROR(store->CheckInto(StoreCheckOptions{}, &report->check));
  if (!report->check.clean()) {
    const VerifyProblem& p = report->check.problems.front();
    return Status::Corruption("restored store", std::to_string(report->check.problem_count) +
                                                    " problem(s), first: " + p.key + ": " +
                                                    p.detail);
  }
  if (o.probe) ROXI_RETURN_IF_ERROR(o.probe(*store).WithContext("restored store"));
  report->check_store_micros = MicrosSince(start);
  if (o.hook) o.hook("restore:after_check");
  return Status::OK();
}

std::string PreviousName(const std::string& dir, uint64_t micros) {
  const std::string parent = ParentDir(dir);
  const std::string stamp = ArchiveNameFor(micros, format::ArchiveId{}).substr(0, 16);
  const std::string base = BaseName(dir) + std::string(kPreviousInfix) + stamp;
  for (int n = 1;; ++n) {
    const std::string name = n == 1 ? base : base + "-" + std::to_string(n);
    if (!Exists(parent + "/" + name)) return name;
  }
}

std::string ScratchName(const std::string& parent, const std::string& base) {
  std::random_device rd;
  return parent + "/." + base + ".dry-run-" + std::to_string(::getpid()) + "-" +
         std::to_string(rd());
}

Status RestoreLocked(ArchiveChain* chain, const std::string& dir, const RestoreOptions& o,
                     RestoreReport* report) {
  const std::string parent = ParentDir(dir);
  const std::string base = BaseName(dir);
  if (!o.dry_run) ROXI_RETURN_IF_ERROR(CheckTarget(dir, o.force));
  ROXI_RETURN_IF_ERROR(CheckRoom(parent, chain->manifest()));
  const std::string incoming =
      o.dry_run ? ScratchName(o.scratch_parent.empty() ? parent : o.scratch_parent, base)
                : parent + "/" + base + std::string(kIncomingSuffix);
  // A D.restoring left by a killed restore: this restore holds the lock, so nobody uses it.
  ROXI_RETURN_IF_ERROR(RemoveAll(incoming));
  Status s = UnpackAndCheck(chain, incoming, o, report);
  if (!s.ok() || o.dry_run) {
    // why: a leftover is removed by the next restore; the error that matters is `s`.
    RemoveAll(incoming).IgnoreError();
    return s;
  }
  format::RestoreJournal journal;
  journal.target = base;
  journal.incoming = BaseName(incoming);
  if (Exists(dir)) {
    journal.previous = PreviousName(dir, o.now_micros != 0 ? o.now_micros : UnixMicrosNow());
  }
  journal.discard_previous = o.discard_old;
  journal.archive = chain->archive().path().substr(0, format::kMaxJournalArchivePathBytes);
  journal.created_at_micros = UnixMicrosNow();
  ROXI_RETURN_IF_ERROR(SwapIntoPlace(dir, journal, o.hook));
  if (!journal.previous.empty() && !o.discard_old)
    report->previous_dir = parent + "/" + journal.previous;
  return Status::OK();
}

}  // namespace

Result<RestoreReport> RestoreBackup(const std::string& archive, const RestoreOptions& o) {
  const auto start = std::chrono::steady_clock::now();
  const std::string dir = NormalizeDataDir(o.data_dir);
  if (dir.empty()) return Status::InvalidArgument("data directory", "not set");
  if (!fs::is_directory(ParentDir(dir))) {
    return Status::NotFound("data directory " + dir, "its parent does not exist");
  }
  RestoreReport report;
  report.archive = archive;
  report.data_dir = dir;
  report.dry_run = o.dry_run;
  ROXI_ASSIGN_OR_RETURN(report.recovered_interrupted, RecoverInterruptedRestore(dir));
  ROXI_ASSIGN_OR_RETURN(FileLock lock, LockRestore(dir, /*wait=*/false));

  ROXI_ASSIGN_OR_RETURN(ArchiveChain chain, ArchiveChain::Open(archive));
  const auto check_start = std::chrono::steady_clock::now();
  if (Status s = CheckArchiveBytes(&chain); !s.ok()) {
    return s.WithContext("archive refused, nothing was written");
  }
  report.check_archive_micros = MicrosSince(check_start);
  report.manifest = chain.manifest();
  report.manifest.files.clear();
  for (const auto& f : chain.manifest().files) report.archive_bytes += f.frame_size;
  ROXI_RETURN_IF_ERROR(RestoreLocked(&chain, dir, o, &report));
  // why: a lock file left behind is empty and harmless; the next read-write open removes it.
  lock.RemoveAndRelease().IgnoreError();
  report.micros = MicrosSince(start);
  return report;
}

}  // namespace roxi::storage
