// The JSON forms of document listings and deletions, shared by `roxi documents --json`,
// `roxi delete --json` and the daemon's /v1/documents routes: one encoder and one decoder each, so
// the CLI prints the same document whether it read the store itself or asked a running server.
//
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include "format/status.h"
#include "src/ingest/document_deleter.h"
#include "src/ingest/document_list.h"

namespace roxi::server {

// {"documents": [{"name", "id", "source_path", "size_bytes", "chunks", "embedded", "pending",
//   "failed", "ingested_at", "ingested_at_micros"}...], "next_after": "..."}
nlohmann::json DocumentPageToJson(const ingest::DocumentPage& page);
// InvalidArgument naming the field when `json` is not what DocumentPageToJson writes.
Result<ingest::DocumentPage> DocumentPageFromJson(const nlohmann::json& json);

// {"dry_run", "documents": [{"name", "chunks"}...], "deleted_documents", "deleted_chunks"}
nlohmann::json DeleteReportToJson(const ingest::DeleteReport& report);
Result<ingest::DeleteReport> DeleteReportFromJson(const nlohmann::json& json);

// The request body of POST /v1/documents/delete: {"names": [...], "prefix": "...", "dry_run",
// "base_dir"}.
nlohmann::json DeleteRequestToJson(const ingest::DeleteRequest& request);
// InvalidArgument naming an unknown field or one of the wrong type.
Result<ingest::DeleteRequest> DeleteRequestFromJson(const nlohmann::json& json);

}  // namespace roxi::server
