// How backup, restore and verify print what they found: verification reports as text and JSON,
// and times as UTC. Shared by the three commands.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "storage/verify_report.h"

namespace roxi::cli {

// "2026-11-24T12:00:00Z"; "never" for 0.
std::string UtcTime(uint64_t unix_micros);

// The report's census and problems.
nlohmann::json VerifyReportJson(const storage::VerifyReport& report);
// One line per problem ("  chunk  chunks[chunk 3:0]: embedded but has no vector"), then counts.
std::string VerifyReportText(const storage::VerifyReport& report);

}  // namespace roxi::cli
