// The JSON form of an embedder's identity ({"id": ..., "dim": ...}), as `roxi search` sends it to
// a running server with each query: the server answers only for the embedder the store holds
// vectors of, and refuses another one as `roxi search` does without a server (Store::CheckEmbedder).
// The fingerprint is not sent: it is derived from the id (format/meta_records.h).
//
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include "format/meta_records.h"
#include "format/status.h"

namespace roxi::server {

nlohmann::json EmbedderIdentityToJson(const format::EmbedderRecord& identity);
// Parses what EmbedderIdentityToJson wrote. InvalidArgument naming the field when malformed.
Result<format::EmbedderRecord> EmbedderIdentityFromJson(const nlohmann::json& json);

}  // namespace roxi::server
