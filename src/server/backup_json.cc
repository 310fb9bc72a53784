#include "src/server/backup_json.h"

#include <sstream>

#include "src/common/human_bytes.h"
#include "src/common/utc_time.h"

namespace roxi::server {

nlohmann::json BackupReportToJson(const storage::BackupReport& r) {
  const double seconds = static_cast<double>(r.micros) / 1e6;
  const double mbps = seconds > 0 ? static_cast<double>(r.stored_bytes) / 1e6 / seconds : 0.0;
  return {{"path", r.path},
          {"name", r.name},
          {"archive_id", storage::HexId(r.archive_id)},
          {"store_id", storage::HexId(r.store_id)},
          {"created_at", common::UtcTime(r.created_at_micros)},
          {"incremental", r.incremental},
          {"parents", r.parents},
          {"files", r.files},
          {"files_stored", r.files_stored},
          {"files_referenced", r.files_referenced},
          {"checkpoint_bytes", r.checkpoint_bytes},
          {"stored_bytes", r.stored_bytes},
          {"archive_bytes", r.archive_bytes},
          {"sequence", r.sequence},
          {"documents", r.documents},
          {"chunks", r.chunks},
          {"vectors", r.vectors},
          {"estimated_bytes", r.estimated_bytes},
          {"free_bytes", r.free_bytes},
          {"seconds", seconds},
          {"mb_per_s", mbps},
          {"threads", r.threads},
          {"notes", r.notes}};
}

std::string BackupJsonToText(const nlohmann::json& doc) {
  const auto u64 = [&](const char* key) { return doc.value(key, uint64_t{0}); };
  const size_t parents = doc.contains("parents") ? doc["parents"].size() : 0;
  std::ostringstream text;
  text << "archive:     " << doc.value("path", std::string()) << "\n"
       << "kind:        "
       << (doc.value("incremental", false)
               ? "incremental (" + std::to_string(parents) + " parent(s))"
               : std::string("full"))
       << "\n"
       << "files:       " << u64("files") << " (" << u64("files_stored") << " stored, "
       << u64("files_referenced") << " in earlier archives)\n"
       << "size:        " << common::HumanBytes(u64("checkpoint_bytes")) << " of store, "
       << common::HumanBytes(u64("stored_bytes")) << " compressed to "
       << common::HumanBytes(u64("archive_bytes")) << "\n"
       << "contents:    " << u64("documents") << " documents, " << u64("chunks") << " chunks, "
       << u64("vectors") << " vectors\n";
  if (doc.contains("notes")) {
    for (const auto& note : doc["notes"]) text << "note:        " << note.get<std::string>() << "\n";
  }
  return text.str();
}

}  // namespace roxi::server
