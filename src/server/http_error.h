// The JSON error document every failing HTTP reply carries:
//   {"ok": false, "error": {"code": "<status code name>", "message": "..."}}
// Clients (src/cli/server_client.h) turn it back into the same Status.
//
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include "format/status.h"

namespace roxi::server {

nlohmann::json ErrorDocument(const Status& status);

// The document of an HTTP status the server answers by itself (a bad request line, 404, 405, 413,
// ...): code "invalid argument" for a 4xx the client can fix, "unavailable" for 503, "internal"
// otherwise; the message names the status and `detail`.
nlohmann::json ErrorDocumentForHttpStatus(int http_status, const std::string& detail);

// `document` as a reply body. Bytes that are not UTF-8 (a path or header the client sent) are
// replaced, never a reason to throw.
std::string ReplyBody(const nlohmann::json& document);

}  // namespace roxi::server
