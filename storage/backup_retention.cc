#include "storage/backup_retention.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <ctime>
#include <map>
#include <set>

#include "storage/archive_io.h"
#include "storage/backup_catalog.h"

namespace roxi::storage {

namespace {

std::string UtcLabel(uint64_t micros, const char* format) {
  const auto seconds = static_cast<time_t>(micros / 1000000);
  struct tm utc;
  gmtime_r(&seconds, &utc);
  char buf[32];
  std::strftime(buf, sizeof buf, format, &utc);
  return buf;
}

// Keeps the newest archive of each of the `count` newest periods (`format` labels a period).
void KeepPerPeriod(const std::vector<const format::CatalogArchive*>& newest_first, uint32_t count,
                   const char* format, const char* kind, std::map<std::string, std::string>* kept) {
  std::set<std::string> periods;
  for (const auto* a : newest_first) {
    if (periods.size() == count) break;
    const std::string label = UtcLabel(a->created_at_micros, format);
    if (!periods.insert(label).second) continue;
    kept->emplace(a->name, std::string(kind) + " " + label);
  }
}

}  // namespace

std::vector<RetentionDecision> PlanRetention(const format::BackupCatalog& catalog,
                                             const RetentionPolicy& policy) {
  std::map<format::ArchiveId, std::vector<const format::CatalogArchive*>> by_store;
  for (const auto& a : catalog.archives) by_store[a.store_id].push_back(&a);
  std::map<std::string, std::string> kept;  // name -> reason
  for (auto& [store, archives] : by_store) {
    std::sort(archives.begin(), archives.end(), [](const auto* x, const auto* y) {
      return std::tie(x->created_at_micros, x->name) > std::tie(y->created_at_micros, y->name);
    });
    for (size_t i = 0; i < archives.size() && i < policy.keep_last; ++i) {
      kept.emplace(archives[i]->name, "last " + std::to_string(policy.keep_last));
    }
    KeepPerPeriod(archives, policy.keep_daily, "%Y-%m-%d", "daily", &kept);
    KeepPerPeriod(archives, policy.keep_weekly, "%G-W%V", "weekly", &kept);
  }
  // Parents of kept archives are kept, and theirs (a parent holds its frames itself, so one level
  // suffices today, but the loop does not rely on that).
  std::map<std::string, const format::CatalogArchive*> by_name;
  for (const auto& a : catalog.archives) by_name[a.name] = &a;
  std::vector<std::string> work;
  for (const auto& [name, reason] : kept) work.push_back(name);
  while (!work.empty()) {
    const std::string name = work.back();
    work.pop_back();
    auto it = by_name.find(name);
    if (it == by_name.end()) continue;
    for (const auto& parent : it->second->parents) {
      if (kept.emplace(parent, "parent of " + name).second) work.push_back(parent);
    }
  }
  std::vector<RetentionDecision> out;
  for (const auto& a : catalog.archives) {
    auto it = kept.find(a.name);
    out.push_back({a.name, it != kept.end(), it != kept.end() ? it->second : "expired",
                   a.archive_bytes, a.created_at_micros});
  }
  std::sort(out.begin(), out.end(), [](const auto& x, const auto& y) {
    return std::tie(x.created_at_micros, x.name) > std::tie(y.created_at_micros, y.name);
  });
  return out;
}

Result<PruneReport> ApplyRetention(const std::string& folder, const RetentionPolicy& policy,
                                   bool dry_run) {
  if (policy.keep_last == 0 && policy.keep_daily == 0 && policy.keep_weekly == 0) {
    return Status::InvalidArgument("retention",
                                   "keeps nothing: give --keep-last, --keep-daily "
                                   "or --keep-weekly of at least 1");
  }
  ROXI_ASSIGN_OR_RETURN(FileLock lock, LockBackupFolder(folder, /*wait=*/false));
  ROXI_ASSIGN_OR_RETURN(CatalogLoad load, LoadCatalog(folder));
  PruneReport report;
  report.dry_run = dry_run;
  for (const auto& [name, why] : load.unreadable) report.untouched.push_back(name + ": " + why);
  report.decisions = PlanRetention(load.catalog, policy);
  std::set<std::string> removed;
  for (const auto& d : report.decisions) {
    if (d.keep) {
      ++report.kept;
      continue;
    }
    if (!dry_run) {
      const std::string path = folder + "/" + d.name;
      if (::unlink(path.c_str()) != 0 && errno != ENOENT) return ErrnoStatus("remove", path, errno);
    }
    removed.insert(d.name);
    ++report.removed;
    report.removed_bytes += d.bytes;
  }
  if (dry_run) return report;
  ROXI_RETURN_IF_ERROR(SyncDir(folder));
  auto& archives = load.catalog.archives;
  archives.erase(std::remove_if(archives.begin(), archives.end(),
                                [&](const auto& a) { return removed.count(a.name) > 0; }),
                 archives.end());
  if (load.changed || !removed.empty()) ROXI_RETURN_IF_ERROR(SaveCatalog(folder, load.catalog));
  return report;
}

}  // namespace roxi::storage
