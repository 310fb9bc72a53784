#include "src/server/search_json.h"

#include "src/server/document_metadata_json.h"

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
                   {"snippet", r.snippet},
                   {"metadata", MetadataToJson(r.metadata)}});
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
      if (j.contains("metadata")) {
        ROXI_ASSIGN_OR_RETURN(r.metadata, MetadataFromJson(j.at("metadata"), "metadata"));
      }
      out.push_back(std::move(r));
    }
  } catch (const std::exception& e) {
    return Status::InvalidArgument("search results", e.what());
  }
  return out;
}

nlohmann::json SearchReplyToJson(const SearchReply& reply) {
  nlohmann::json doc = {{"query", reply.query},
                        {"k", reply.k},
                        {"results", SearchResultsToJson(reply.results)},
                        {"searched_vectors", reply.stats.searched_vectors},
                        {"embedder", reply.embedder},
                        {"pending", reply.stats.pending_chunks},
                        {"index", reply.stats.index},
                        {"search_micros", reply.stats.search_micros},
                        {"index_micros", reply.stats.index_micros}};
  if (reply.min_score) doc["min_score"] = *reply.min_score;
  if (reply.stats.filtered_documents) doc["filtered_documents"] = *reply.stats.filtered_documents;
  return doc;
}

Result<SearchReply> SearchReplyFromJson(const nlohmann::json& json) {
  SearchReply reply;
  nlohmann::json results;
  try {
    results = json.value("results", nlohmann::json::array());
    reply.query = json.value("query", std::string());
    reply.k = json.value("k", size_t{0});
    if (json.contains("min_score")) reply.min_score = json.at("min_score").get<float>();
    reply.embedder = json.value("embedder", std::string());
    reply.stats.searched_vectors = json.value("searched_vectors", uint64_t{0});
    reply.stats.pending_chunks = json.value("pending", uint64_t{0});
    reply.stats.index = json.value("index", std::string());
    reply.stats.search_micros = json.value("search_micros", uint64_t{0});
    reply.stats.index_micros = json.value("index_micros", uint64_t{0});
    if (json.contains("filtered_documents")) {
      reply.stats.filtered_documents = json.at("filtered_documents").get<uint64_t>();
    }
  } catch (const std::exception& e) {
    return Status::InvalidArgument("search reply", e.what());
  }
  ROXI_ASSIGN_OR_RETURN(reply.results, SearchResultsFromJson(results));
  return reply;
}

}  // namespace roxi::server
