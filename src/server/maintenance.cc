#include "src/server/maintenance.h"

#include <algorithm>

#include "src/common/log.h"
#include "src/common/logged_thread.h"

namespace roxi::server {

namespace {

uint64_t Micros(double seconds) { return static_cast<uint64_t>(seconds * 1e6); }

// The longest the thread sleeps, so a changed schedule or a stop is noticed promptly.
constexpr uint64_t kMaxWaitMicros = 1000000;

}  // namespace

Status ValidateMaintenanceOptions(const MaintenanceOptions& o) {
  if (o.backups.every_seconds < 0) {
    return Status::InvalidArgument("backup-every", "want a duration of 0 (off) or more");
  }
  if (o.backups.every_seconds > 0 && o.backups.folder.empty()) {
    return Status::InvalidArgument("backup-dir", "scheduled backups need a backup folder");
  }
  if (!(o.check_every_seconds > 0)) {
    return Status::InvalidArgument("check-every", "want a positive number of seconds");
  }
  return Status::OK();
}

Maintenance::Maintenance(storage::Store* store, MaintenanceOptions options,
                         std::vector<RecoveryReport> recoveries,
                         std::function<void(const std::string&)> on_damage, const common::Clock& clock)
    : store_(store),
      clock_(clock),
      on_damage_(std::move(on_damage)),
      scheduler_(store, options.backups, clock),
      monitor_(store),
      options_(std::move(options)),
      recoveries_(std::move(recoveries)) {
  health_.auto_restore = options_.auto_restore;
}

Maintenance::~Maintenance() { Stop(); }

void Maintenance::Start() {
  thread_ = common::StartLoggedThread("maintenance thread", [this] { Loop(); });
}

void Maintenance::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Maintenance::UpdateOptions(const MaintenanceOptions& options) {
  scheduler_.UpdateSchedule(options.backups);
  {
    std::lock_guard lock(mu_);
    options_ = options;
    health_.auto_restore = options.auto_restore;
  }
  wake_.notify_all();
}

MaintenanceSnapshot Maintenance::Snapshot() const {
  MaintenanceSnapshot s;
  s.backups = scheduler_.activity();
  std::lock_guard lock(mu_);
  s.health = health_;
  s.recoveries = recoveries_;
  return s;
}

void Maintenance::RunHealthCheck() {
  auto check = monitor_.Check();
  bool raise = false;
  std::string problem;
  {
    std::lock_guard lock(mu_);
    ++health_.checks;
    health_.last_check_at_micros = clock_.NowMicros();
    if (!check.ok()) {
      common::LogWarn("health check could not run", {{"error", check.status()}});
      return;
    }
    if (check->damaged && !health_.alarm) {
      health_.alarm = true;
      health_.problem = check->problem;
      raise = true;
      problem = check->problem;
    }
  }
  if (!raise) return;
  common::LogError("ALARM: store damaged", {{"data_dir", store_->data_dir()}, {"problem", problem}});
  if (on_damage_) on_damage_(problem);
}

void Maintenance::Loop() {
  while (true) {
    double check_every = 0;
    {
      std::lock_guard lock(mu_);
      if (stop_) return;
      check_every = options_.check_every_seconds;
    }
    const uint64_t now = clock_.MonotonicMicros();
    if (now >= next_check_micros_) {
      RunHealthCheck();
      next_check_micros_ = clock_.MonotonicMicros() + Micros(check_every);
    }
    bool alarm = false;
    {
      std::lock_guard lock(mu_);
      alarm = health_.alarm;
    }
    // No backups of a damaged store: they would carry the damage into the folder.
    if (!alarm) scheduler_.RunIfDue();
    const uint64_t until_check =
        next_check_micros_ > clock_.MonotonicMicros() ? next_check_micros_ - clock_.MonotonicMicros() : 0;
    const uint64_t wait = std::max<uint64_t>(
        1000, std::min({kMaxWaitMicros, until_check, alarm ? kMaxWaitMicros : scheduler_.MicrosUntilDue()}));
    std::unique_lock lock(mu_);
    wake_.wait_for(lock, std::chrono::microseconds(wait), [this] { return stop_; });
  }
}

}  // namespace roxi::server
