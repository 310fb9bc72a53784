#include "storage/verify_archive.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <random>
#include <tuple>

#include "storage/archive_reader.h"
#include "storage/archive_unpack.h"
#include "storage/archive_zstd.h"
#include "storage/backup_catalog.h"
#include "storage/file_privacy.h"

namespace roxi::storage {

namespace {

// Reads and checks every frame; damage becomes problems, only I/O failures are returned.
Status CheckFrames(ArchiveChain* chain, VerifyReport* report) {
  ROXI_ASSIGN_OR_RETURN(FrameDecompressor decompressor, FrameDecompressor::Create());
  ArchiveCensus& census = report->archive;
  for (const auto& entry : chain->manifest().files) {
    ++census.files;
    census.file_bytes += entry.size;
    ++(entry.source == 0 ? census.files_held : census.files_in_parents);
    auto holder = chain->HolderOf(entry);
    if (!holder.ok()) {
      if (!holder.status().IsNotFound() && !holder.status().IsCorruption() &&
          !holder.status().IsNotSupported()) {
        return holder.status();
      }
      report->Add("parent", entry.name, std::string(holder.status().message()));
      continue;
    }
    census.frame_bytes += entry.frame_size;
    Status s = decompressor.Extract((*holder)->file(), entry, nullptr);
    if (s.IsCorruption()) {
      report->Add("frame", entry.name, std::string(s.message()));
    } else if (!s.ok()) {
      return s;
    }
  }
  return Status::OK();
}

std::string ScratchDir(const std::string& parent) {
  std::random_device rd;
  return parent + "/.roxi-verify-" + std::to_string(::getpid()) + "-" + std::to_string(rd());
}

// Restores into a scratch directory and checks the store there.
Status DeepCheck(ArchiveChain* chain, const VerifyArchiveOptions& options, VerifyReport* report) {
  const std::string scratch =
      ScratchDir(options.scratch_parent.empty() ? chain->folder() : options.scratch_parent);
  ROXI_RETURN_IF_ERROR(RemoveAll(scratch));
  if (::mkdir(scratch.c_str(), kPrivateDirMode) != 0)
    return ErrnoStatus("create directory", scratch, errno);
  auto cleanup = [&]() {
    // why: a scratch directory left behind wastes space but harms nothing; its name says what it
    // is.
    RemoveAll(scratch).IgnoreError();
  };
  UnpackStats stats;
  Status s = UnpackArchive(chain, scratch + "/db", nullptr, &stats);
  if (!s.ok()) {
    cleanup();
    if (!s.IsCorruption()) return s;
    report->Add("restore", "", std::string(s.message()));
    return Status::OK();
  }
  {
    StoreOptions store_options;
    store_options.data_dir = scratch;
    store_options.create_if_missing = false;
    store_options.sync_writes = false;
    auto store = Store::Open(store_options);
    if (!store.ok()) {
      report->Add("restore", scratch, "restored store does not open: " + store.status().ToString());
    } else {
      s = (*store)->CheckInto(StoreCheckOptions{}, report);
      if (s.ok() && options.probe) {
        Status probe = options.probe(**store);
        if (!probe.ok()) report->Add("probe", "", probe.ToString());
      }
    }
  }
  cleanup();
  return s;
}

void RecordInCatalog(const std::string& folder, const std::string& name, bool clean,
                     uint64_t now_micros) {
  // Recording is a convenience for `backup list`: when the folder is busy or the catalog cannot
  // be written, the verification result stands without it.
  auto lock = LockBackupFolder(folder, /*wait=*/false);
  if (!lock.ok()) return;
  auto load = LoadCatalog(folder);
  if (!load.ok()) return;
  format::CatalogArchive* entry = FindArchive(&load->catalog, name);
  if (entry == nullptr) return;
  entry->verify_state = clean ? format::VerifyState::kClean : format::VerifyState::kProblems;
  entry->verified_at_micros = std::max<uint64_t>(1, now_micros);
  // why: see above; a failed save leaves the previous catalog, which is still valid.
  SaveCatalog(folder, load->catalog).IgnoreError();
}

}  // namespace

uint64_t UnixMicrosNow() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

Result<VerifyReport> VerifyArchive(const std::string& path, const VerifyArchiveOptions& options) {
  VerifyReport report;
  report.archive_checked = true;
  auto chain = ArchiveChain::Open(path);
  if (!chain.ok()) {
    if (!chain.status().IsCorruption()) return chain.status();
    report.Add("archive", path, std::string(chain.status().message()));
  } else {
    report.archive.archive_bytes = chain->archive().size();
    report.manifest = chain->manifest();
    report.manifest->files.clear();
    ROXI_RETURN_IF_ERROR(CheckFrames(&*chain, &report));
    if (options.deep && report.clean()) ROXI_RETURN_IF_ERROR(DeepCheck(&*chain, options, &report));
  }
  if (options.record_in_catalog) {
    RecordInCatalog(ParentDir(path), BaseName(path), report.clean(),
                    options.now_micros != 0 ? options.now_micros : UnixMicrosNow());
  }
  return report;
}

Result<std::string> NewestVerifiedArchive(const std::string& folder,
                                          const format::ArchiveId& store_id) {
  ROXI_ASSIGN_OR_RETURN(CatalogLoad load, LoadCatalog(folder));
  std::vector<const format::CatalogArchive*> candidates;
  for (const auto& a : load.catalog.archives) {
    if (a.store_id == store_id) candidates.push_back(&a);
  }
  std::sort(candidates.begin(), candidates.end(), [](const auto* x, const auto* y) {
    return std::tie(x->created_at_micros, x->name) > std::tie(y->created_at_micros, y->name);
  });
  for (const auto* a : candidates) {
    const std::string path = folder + "/" + a->name;
    auto report = VerifyArchive(path, VerifyArchiveOptions{});
    if (report.ok() && report->clean()) return path;
  }
  return Status::NotFound("backup folder " + folder, "no archive of this store verifies clean");
}

}  // namespace roxi::storage
