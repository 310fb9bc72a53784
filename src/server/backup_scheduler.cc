#include "src/server/backup_scheduler.h"

#include <algorithm>
#include <limits>

#include "src/common/log.h"
#include "storage/backup_list.h"
#include "storage/verify_archive.h"

namespace roxi::server {

namespace {

uint64_t Micros(double seconds) { return static_cast<uint64_t>(seconds * 1e6); }

// After a failed scheduled backup, try again after this long at most (a full disk may be freed).
constexpr uint64_t kRetryAfterFailureMicros = 300ull * 1000000;

bool KeepsEverything(const storage::RetentionPolicy& p) {
  return p.keep_last == 0 && p.keep_daily == 0 && p.keep_weekly == 0;
}

}  // namespace

BackupScheduler::BackupScheduler(storage::Store* store, BackupSchedule schedule,
                                 const common::Clock& clock)
    : store_(store), clock_(clock), schedule_(std::move(schedule)) {
  activity_.folder = schedule_.folder;
  activity_.every_seconds = schedule_.every_seconds;
}

void BackupScheduler::UpdateSchedule(const BackupSchedule& schedule) {
  std::lock_guard lock(mu_);
  const bool folder_changed = schedule.folder != schedule_.folder;
  const bool interval_changed = schedule.every_seconds != schedule_.every_seconds;
  schedule_ = schedule;
  activity_.folder = schedule.folder;
  activity_.every_seconds = schedule.every_seconds;
  if (folder_changed) {
    history_loaded_ = false;
    have_last_sequence_ = false;
    activity_.last_backup_at_micros = 0;
    activity_.last_backup_name.clear();
    activity_.last_backup_bytes = 0;
  }
  if (folder_changed || interval_changed) activity_.next_due_micros = 0;
}

BackupActivity BackupScheduler::activity() const {
  std::lock_guard lock(mu_);
  return activity_;
}

void BackupScheduler::LoadHistory() {
  std::string folder;
  {
    std::lock_guard lock(mu_);
    if (history_loaded_) return;
    history_loaded_ = true;
    folder = schedule_.folder;
  }
  if (folder.empty()) return;
  auto listing = storage::ListBackups(folder);
  if (!listing.ok()) {
    if (!listing.status().IsNotFound()) {
      common::LogWarn("backup folder not readable", {{"folder", folder}, {"error", listing.status()}});
    }
    return;
  }
  const format::ArchiveId store_id = store_->GetStoreInfo().store_id;
  for (const auto& a : listing->archives) {  // newest first
    if (a.store_id != store_id) continue;
    std::lock_guard lock(mu_);
    activity_.last_backup_at_micros = a.created_at_micros;
    activity_.last_backup_name = a.name;
    activity_.last_backup_bytes = a.archive_bytes;
    last_sequence_ = a.sequence;
    have_last_sequence_ = true;
    return;
  }
}

bool BackupScheduler::NextShouldBeFull(const BackupSchedule& schedule) const {
  if (schedule.full_every <= 1) return true;
  auto listing = storage::ListBackups(schedule.folder);
  if (!listing.ok()) return true;
  const format::ArchiveId store_id = store_->GetStoreInfo().store_id;
  uint32_t incrementals = 0;
  for (const auto& a : listing->archives) {  // newest first
    if (a.store_id != store_id) continue;
    if (a.parents.empty()) return incrementals + 1 >= schedule.full_every;
    ++incrementals;
  }
  return true;  // no full archive of this store: the first one is full anyway
}

uint64_t BackupScheduler::MicrosUntilDue() {
  LoadHistory();
  std::lock_guard lock(mu_);
  if (!(schedule_.every_seconds > 0) || schedule_.folder.empty()) {
    activity_.next_due_micros = 0;
    return std::numeric_limits<uint64_t>::max();
  }
  const uint64_t now = clock_.NowMicros();
  if (activity_.next_due_micros == 0) {
    activity_.next_due_micros = activity_.last_backup_at_micros == 0
                                    ? now
                                    : activity_.last_backup_at_micros + Micros(schedule_.every_seconds);
  }
  return activity_.next_due_micros > now ? activity_.next_due_micros - now : 0;
}

void BackupScheduler::RunIfDue() {
  if (MicrosUntilDue() > 0) return;
  BackupSchedule schedule;
  bool unchanged = false;
  {
    std::lock_guard lock(mu_);
    schedule = schedule_;
    unchanged = have_last_sequence_ && last_sequence_ == store_->LatestSequence();
    activity_.next_due_micros = clock_.NowMicros() + Micros(schedule.every_seconds);
    if (unchanged) ++activity_.backups_skipped;
  }
  if (unchanged) {
    common::LogDebug("scheduled backup skipped: store unchanged since the last archive", {});
    return;
  }
  storage::BackupOptions options;
  options.folder = schedule.folder;
  options.level = schedule.level;
  options.threads = schedule.threads;
  options.full = NextShouldBeFull(schedule);
  auto report = BackupNow(options);
  if (!report.ok()) {
    common::LogError("scheduled backup failed", {{"folder", schedule.folder}, {"error", report.status()}});
    std::lock_guard lock(mu_);
    activity_.next_due_micros =
        clock_.NowMicros() + std::min(Micros(schedule.every_seconds), kRetryAfterFailureMicros);
    return;
  }
  // Checked at once, so `backup list` shows it verified and a later recovery can trust it.
  auto verified = storage::VerifyArchive(report->path, storage::VerifyArchiveOptions{});
  if (!verified.ok() || !verified->clean()) {
    const std::string why = verified.ok() ? std::to_string(verified->problem_count) + " problem(s)"
                                          : verified.status().ToString();
    common::LogError("new archive does not verify", {{"archive", report->path}, {"problems", why}});
    std::lock_guard lock(mu_);
    activity_.last_error = "verify " + report->name + ": " + why;
  }
  if (KeepsEverything(schedule.retention)) return;
  auto pruned = storage::ApplyRetention(schedule.folder, schedule.retention, /*dry_run=*/false);
  std::lock_guard lock(mu_);
  if (!pruned.ok()) {
    common::LogError("backup retention failed", {{"folder", schedule.folder}, {"error", pruned.status()}});
    activity_.last_error = "retention: " + pruned.status().ToString();
    return;
  }
  activity_.archives_pruned += pruned->removed;
  if (pruned->removed > 0) {
    common::LogInfo("backups pruned", {{"folder", schedule.folder},
                                       {"removed", pruned->removed},
                                       {"kept", pruned->kept},
                                       {"removed_bytes", pruned->removed_bytes}});
  }
}

Result<storage::BackupReport> BackupScheduler::BackupNow(storage::BackupOptions options) {
  std::unique_lock running(backup_mu_, std::try_to_lock);
  if (!running.owns_lock()) {
    return Status::Busy("backup", "another backup of this server is running; try again later");
  }
  {
    std::lock_guard lock(mu_);
    if (options.folder.empty()) options.folder = schedule_.folder;
    activity_.running = true;
  }
  if (options.folder.empty()) {
    std::lock_guard lock(mu_);
    activity_.running = false;
    return Status::InvalidArgument("backup", "no backup folder: give one or start serve with --backup-dir");
  }
  common::LogInfo("backup started", {{"folder", options.folder}});
  auto report = storage::CreateBackup(*store_, options);
  std::lock_guard lock(mu_);
  activity_.running = false;
  if (!report.ok()) {
    ++activity_.backups_failed;
    activity_.last_error = report.status().ToString();
    return report.status();
  }
  ++activity_.backups_ok;
  activity_.last_error.clear();
  activity_.last_backup_seconds = static_cast<double>(report->micros) / 1e6;
  if (options.folder == schedule_.folder) {
    activity_.last_backup_at_micros = report->created_at_micros;
    activity_.last_backup_name = report->name;
    activity_.last_backup_bytes = report->archive_bytes;
    last_sequence_ = report->sequence;
    have_last_sequence_ = true;
  }
  common::LogInfo("backup done", {{"archive", report->path},
                                  {"bytes", report->archive_bytes},
                                  {"kind", report->incremental ? "incremental" : "full"},
                                  {"seconds", activity_.last_backup_seconds}});
  return report;
}

}  // namespace roxi::server
