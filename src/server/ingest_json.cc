#include "src/server/ingest_json.h"

namespace roxi::server {

nlohmann::json IngestReportToJson(const ingest::IngestReport& r) {
  nlohmann::json skipped = nlohmann::json::array();
  for (const auto& s : r.skipped) skipped.push_back({{"path", s.path}, {"reason", s.reason}});
  nlohmann::json warnings = nlohmann::json::array();
  for (const auto& w : r.warnings) warnings.push_back({{"path", w.path}, {"message", w.message}});
  return {{"files_seen", r.files_seen},
          {"created", r.created},
          {"replaced", r.replaced},
          {"unchanged", r.unchanged},
          {"chunks_queued", r.chunks_queued},
          {"chunks_reused", r.chunks_reused},
          {"bytes_read", r.bytes_read},
          {"skipped", skipped},
          {"warnings", warnings},
          {"deleted", r.deleted},
          {"deleted_documents", r.deleted.size()}};
}

}  // namespace roxi::server
