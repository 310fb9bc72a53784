// How a running server shows its maintenance (backups, health checks, recoveries): as members of
// the status document, as lines of `roxi status`, and as Prometheus text for GET /metrics.
//
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "src/server/maintenance.h"
#include "src/server/status_report.h"

namespace roxi::server {

// Adds "backups", "health" and "recoveries" to a status document.
void AddMaintenanceJson(const MaintenanceSnapshot& snapshot, nlohmann::json* status);
// Lines appended to the text status.
std::string MaintenanceText(const MaintenanceSnapshot& snapshot);
// The Prometheus text exposition (version 0.0.4) of a status report and maintenance snapshot.
std::string MetricsText(const StatusReport& status, const MaintenanceSnapshot& snapshot);

}  // namespace roxi::server
