// The JSON form of an ingest report, shared by `roxi ingest --json` (run locally or through a
// server) and the daemon's POST /v1/ingest, so both print the same document.
//
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include "src/ingest/ingester.h"

namespace roxi::server {

// {"files_seen", "created", "replaced", "unchanged", "chunks_queued", "chunks_reused",
//  "bytes_read", "skipped": [{"path", "reason"}], "deleted": [names], "deleted_documents"}
nlohmann::json IngestReportToJson(const ingest::IngestReport& report);

}  // namespace roxi::server
