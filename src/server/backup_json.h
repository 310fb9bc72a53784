// The JSON document of one backup, as `roxi backup --json` prints it. One definition serves the
// offline command and the server's POST /v1/backup, so a backup taken through a running server
// reports exactly what one taken directly does.
//
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "storage/backup.h"

namespace roxi::server {

nlohmann::json BackupReportToJson(const storage::BackupReport& report);
// The human-readable form of a BackupReportToJson document.
std::string BackupJsonToText(const nlohmann::json& doc);

}  // namespace roxi::server
