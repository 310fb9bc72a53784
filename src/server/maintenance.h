// Maintenance: what `roxi serve` does for the store besides embedding, on its own thread:
// scheduled backups with retention (backup_scheduler.h) and the periodic health check
// (store_monitor.h). When a check finds damage it raises the alarm (logged as an error, shown by
// status and /metrics) and calls on_damage once, so the server can restore the store
// (auto_recovery.h) unless automatic restore is off.
//
// Thread-safety: thread-safe. The thread never holds mu_ across a backup or a check.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "src/common/clock.h"
#include "src/server/auto_recovery.h"
#include "src/server/backup_scheduler.h"
#include "src/server/store_monitor.h"
#include "storage/store.h"

namespace roxi::server {

struct MaintenanceOptions {
  BackupSchedule backups;
  // Seconds between health checks. Default: 60.
  double check_every_seconds = 60;
  // Restore the newest verified archive when the store is damaged. Default: true.
  bool auto_restore = true;
};

// InvalidArgument naming the option when a value is out of range.
Status ValidateMaintenanceOptions(const MaintenanceOptions& options);

struct HealthState {
  uint64_t checks = 0;
  uint64_t last_check_at_micros = 0;  // Unix time
  bool alarm = false;                 // damage found and not (yet) repaired
  std::string problem;
  bool auto_restore = true;
};

// What status and /metrics show about maintenance.
struct MaintenanceSnapshot {
  BackupActivity backups;
  HealthState health;
  std::vector<RecoveryReport> recoveries;  // of this process, oldest first
};

class Maintenance {
 public:
  // REQUIRES: store is open read-write and outlives this object. `recoveries` are the recoveries
  // this process already made (shown in status). on_damage runs on the maintenance thread.
  Maintenance(storage::Store* store, MaintenanceOptions options,
              std::vector<RecoveryReport> recoveries, std::function<void(const std::string&)> on_damage,
              const common::Clock& clock = common::SystemClock());
  ~Maintenance();
  Maintenance(const Maintenance&) = delete;
  Maintenance& operator=(const Maintenance&) = delete;

  void Start();
  // Waits for a backup in flight to finish, then stops the thread.
  void Stop();
  void UpdateOptions(const MaintenanceOptions& options);

  // A backup now, on the calling thread (POST /v1/backup); see BackupScheduler::BackupNow.
  Result<storage::BackupReport> BackupNow(const storage::BackupOptions& options) {
    return scheduler_.BackupNow(options);
  }
  MaintenanceSnapshot Snapshot() const;

 private:
  void Loop();
  void RunHealthCheck();

  storage::Store* const store_;
  const common::Clock& clock_;
  const std::function<void(const std::string&)> on_damage_;
  BackupScheduler scheduler_;
  StoreMonitor monitor_;  // maintenance thread only

  mutable std::mutex mu_;
  std::condition_variable wake_;
  MaintenanceOptions options_;             // guarded by mu_
  HealthState health_;                     // guarded by mu_
  std::vector<RecoveryReport> recoveries_;  // guarded by mu_
  bool stop_ = false;                      // guarded by mu_
  uint64_t next_check_micros_ = 0;         // maintenance thread only (monotonic)
  std::jthread thread_;                    // last
};

}  // namespace roxi::server
