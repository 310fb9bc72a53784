// Document metadata and search filters in JSON, defined once for the API, the CLI's requests to a
// server and `--json` output:
//
//   metadata: {"title": "Roxi notes", "tags": ["search", "edge"]}
//     a key with one value is a string, a key with several an array of strings;
//   filter:   {"metadata": {"lang": "en", "tags": ["a", "b"]}, "prefix": "/docs/",
//              "since": "2026-12-01", "until": "24h"}
//     every pair must match (an array asks for each of its values); since/until take what
//     index::ParseTimeBound reads: a UTC date or time, or a duration back from now.
//
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string_view>

#include "format/document_metadata.h"
#include "format/status.h"
#include "src/index/document_filter.h"

namespace roxi::server {

nlohmann::json MetadataToJson(const format::DocumentMetadata& metadata);

// Metadata given by a client: an object whose values are strings, numbers, booleans (kept as
// their JSON text) or arrays of those. InvalidArgument naming `what` and the key otherwise, or
// when a key or value breaks the limits (ingest/document_metadata_input.h); the result is
// canonical.
Result<format::DocumentMetadata> MetadataFromJson(const nlohmann::json& json, std::string_view what);

// The filter object above; time bounds are resolved against `now_micros`. InvalidArgument naming
// the field when malformed or when an unknown field is present.
Result<index::DocumentFilter> FilterFromJson(const nlohmann::json& json, uint64_t now_micros);

}  // namespace roxi::server
