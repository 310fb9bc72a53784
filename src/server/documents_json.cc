#include "src/server/documents_json.h"

#include "src/common/utc_time.h"
#include "src/server/document_metadata_json.h"

namespace roxi::server {

nlohmann::json DocumentPageToJson(const ingest::DocumentPage& page) {
  nlohmann::json documents = nlohmann::json::array();
  for (const auto& d : page.documents) {
    documents.push_back({{"name", d.record.name},
                         {"id", d.id.value},
                         {"source_path", d.record.source_path},
                         {"size_bytes", d.record.size_bytes},
                         {"chunks", d.record.chunk_count},
                         {"embedded", d.embedded},
                         {"pending", d.pending},
                         {"failed", d.failed},
                         {"ingested_at", common::UtcTime(d.record.ingested_at_micros)},
                         {"ingested_at_micros", d.record.ingested_at_micros},
                         {"metadata", MetadataToJson(d.record.metadata)}});
  }
  return {{"documents", documents}, {"next_after", page.next_after}};
}

Result<ingest::DocumentPage> DocumentPageFromJson(const nlohmann::json& json) {
  ingest::DocumentPage page;
  try {
    for (const auto& j : json.at("documents")) {
      storage::DocumentSummary d;
      d.record.name = j.at("name").get<std::string>();
      d.id = format::DocumentId{j.at("id").get<uint64_t>()};
      d.record.source_path = j.at("source_path").get<std::string>();
      d.record.size_bytes = j.at("size_bytes").get<uint64_t>();
      d.record.chunk_count = j.at("chunks").get<uint32_t>();
      d.embedded = j.at("embedded").get<uint32_t>();
      d.pending = j.at("pending").get<uint32_t>();
      d.failed = j.at("failed").get<uint32_t>();
      d.record.ingested_at_micros = j.at("ingested_at_micros").get<uint64_t>();
      if (j.contains("metadata")) {
        ROXI_ASSIGN_OR_RETURN(d.record.metadata, MetadataFromJson(j.at("metadata"), "metadata"));
      }
      page.documents.push_back(std::move(d));
    }
    page.next_after = json.at("next_after").get<std::string>();
  } catch (const std::exception& e) {
    return Status::InvalidArgument("document listing", e.what());
  }
  return page;
}

nlohmann::json DeleteReportToJson(const ingest::DeleteReport& report) {
  nlohmann::json documents = nlohmann::json::array();
  for (const auto& d : report.documents)
    documents.push_back({{"name", d.name}, {"chunks", d.chunks}});
  return {{"dry_run", report.dry_run},
          {"documents", documents},
          {"deleted_documents", report.dry_run ? 0 : report.documents.size()},
          {"deleted_chunks", report.dry_run ? 0 : report.chunks}};
}

Result<ingest::DeleteReport> DeleteReportFromJson(const nlohmann::json& json) {
  ingest::DeleteReport report;
  try {
    report.dry_run = json.at("dry_run").get<bool>();
    for (const auto& j : json.at("documents")) {
      report.documents.push_back({j.at("name").get<std::string>(), j.at("chunks").get<uint32_t>()});
      report.chunks += report.documents.back().chunks;
    }
  } catch (const std::exception& e) {
    return Status::InvalidArgument("delete report", e.what());
  }
  return report;
}

nlohmann::json DeleteRequestToJson(const ingest::DeleteRequest& request) {
  nlohmann::json doc = {{"names", request.names}, {"dry_run", request.dry_run}};
  if (!request.base_dir.empty()) doc["base_dir"] = request.base_dir;
  if (request.has_prefix) doc["prefix"] = request.prefix;
  return doc;
}

Result<ingest::DeleteRequest> DeleteRequestFromJson(const nlohmann::json& json) {
  ingest::DeleteRequest request;
  if (!json.is_object()) return Status::InvalidArgument("request body", "want a JSON object");
  for (const auto& [key, value] : json.items()) {
    if (key == "names") {
      if (!value.is_array()) return Status::InvalidArgument("names", "want an array of strings");
      for (const auto& name : value) {
        if (!name.is_string()) return Status::InvalidArgument("names", "want an array of strings");
        request.names.push_back(name.get<std::string>());
      }
    } else if (key == "prefix") {
      if (!value.is_string()) return Status::InvalidArgument("prefix", "want a string");
      request.prefix = value.get<std::string>();
      request.has_prefix = true;
    } else if (key == "base_dir") {
      if (!value.is_string()) return Status::InvalidArgument("base_dir", "want a string");
      request.base_dir = value.get<std::string>();
    } else if (key == "dry_run") {
      if (!value.is_boolean()) return Status::InvalidArgument("dry_run", "want true or false");
      request.dry_run = value.get<bool>();
    } else {
      return Status::InvalidArgument("request body", "unknown field '" + key + "'");
    }
  }
  return request;
}

}  // namespace roxi::server
