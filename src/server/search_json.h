// The search reply, defined once with its JSON encoding: `roxi search --json` prints it, the
// daemon's /v1/search sends it, and `roxi search` reads it back from the server.
//
//   {"query": ..., "k": 5, "min_score": 0.2 (only when given), "results": [...],
//    "searched_vectors": N, "embedder": ..., "pending": N, "index": "flat",
//    "search_micros": N, "index_micros": N, "filtered_documents": N (only with a filter)}
//
// Each result: {"rank", "score", "document", "chunk", "byte_offset", "byte_length", "snippet",
// "metadata": {...} (document_metadata_json.h)}.
//
// Thread-safety: values and pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "src/index/searcher.h"

namespace roxi::server {

struct SearchReply {
  std::string query;
  size_t k = 0;
  std::optional<float> min_score;  // as asked; absent when none was given
  std::vector<index::SearchResult> results;
  std::string embedder;       // id of the embedder whose vectors answered
  index::SearchStats stats;   // index, searched vectors, pending chunks, timings
};

nlohmann::json SearchResultsToJson(const std::vector<index::SearchResult>& results);
// Parses what SearchResultsToJson wrote. InvalidArgument naming the field when malformed.
Result<std::vector<index::SearchResult>> SearchResultsFromJson(const nlohmann::json& json);

nlohmann::json SearchReplyToJson(const SearchReply& reply);
// Parses what SearchReplyToJson wrote; fields a server of an earlier version did not send keep
// their defaults. InvalidArgument naming the field when malformed.
Result<SearchReply> SearchReplyFromJson(const nlohmann::json& json);

}  // namespace roxi::server
