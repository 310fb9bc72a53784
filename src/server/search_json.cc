#include "src/server/search_json.h"

namespace roxi::server {

nlohmann::json SearchResultsToJson(const std::vector<index::SearchResult>& results) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : results) {
    out.push_back({{"rank", r.rank},
                   {"score", r.score},
                   {"document", r.document},
                   {"chunk", r.chunk},
                   {"byte_offset", r.byte_offset},
                   {"byte_length", r.byte_length},
                   {"snippet", r.snippet}});
  }
  return out;
}

Result<std::vector<index::SearchResult>> SearchResultsFromJson(const nlohmann::json& json) {
  std::vector<index::SearchResult> out;
  try {
    for (const auto& j : json) {
      index::SearchResult r;
      r.rank = j.at("rank").get<size_t>();
      r.score = j.at("score").get<float>();
      r.document = j.at("document").get<std::string>();
      r.chunk = j.at("chunk").get<uint32_t>();
      r.byte_offset = j.at("byte_offset").get<uint64_t>();
      r.byte_length = j.at("byte_length").get<uint64_t>();
      r.snippet = j.at("snippet").get<std::string>();
      out.push_back(std::move(r));
    }
  } catch (const std::exception& e) {
    return Status::InvalidArgument("search results", e.what());
  }
  return out;
}

}  // namespace roxi::server
