// The JSON form of search results, shared by `roxi search --json` and the daemon's /v1/search.
#pragma once

#include <nlohmann/json.hpp>

#include <vector>

#include "src/index/searcher.h"

namespace roxi::server {

nlohmann::json SearchResultsToJson(const std::vector<index::SearchResult>& results);
// Parses what SearchResultsToJson wrote. InvalidArgument naming the field when malformed.
Result<std::vector<index::SearchResult>> SearchResultsFromJson(const nlohmann::json& json);

}  // namespace roxi::server
