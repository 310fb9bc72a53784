#include "src/common/human_bytes.h"
#include "src/cli/backup_output.h"

#include <sstream>

#include "src/cli/command_line.h"
#include "src/common/utc_time.h"
#include "storage/backup.h"

namespace roxi::cli {

std::string UtcTime(uint64_t unix_micros) { return common::UtcTime(unix_micros); }

nlohmann::json VerifyReportJson(const storage::VerifyReport& r) {
  nlohmann::json problems = nlohmann::json::array();
  for (const auto& p : r.problems) {
    problems.push_back({{"check", p.check}, {"key", p.key}, {"detail", p.detail}});
  }
  nlohmann::json doc = {{"clean", r.clean()},
                        {"problem_count", r.problem_count},
                        {"problems", problems},
                        {"problems_listed", r.problems.size()},
                        {"warnings", r.warnings}};
  if (r.store_checked) {
    const auto& c = r.census;
    doc["store"] = {{"documents", c.documents},
                    {"names", c.names},
                    {"chunks", c.chunks},
                    {"chunks_pending", c.chunks_pending},
                    {"chunks_embedded", c.chunks_embedded},
                    {"chunks_failed", c.chunks_failed},
                    {"vectors", c.vectors},
                    {"staging_vectors", c.staging_vectors},
                    {"pending_entries", c.pending_entries},
                    {"text_vector_entries", c.text_vector_entries},
                    {"checkpoints", c.checkpoints},
                    {"embedder", r.embedder_id},
                    {"reembed_target", r.reembed_target_id},
                    {"index_cache", "none"}};
    if (r.counters) {
      doc["store"]["counters"] = {{"documents", r.counters->documents},
                                  {"chunks", r.counters->chunks},
                                  {"embedded", r.counters->embedded},
                                  {"pending", r.counters->pending},
                                  {"failed", r.counters->failed}};
    }
  }
  if (r.archive_checked) {
    const auto& a = r.archive;
    doc["archive"] = {{"files", a.files},
                      {"files_held", a.files_held},
                      {"files_in_parents", a.files_in_parents},
                      {"file_bytes", a.file_bytes},
                      {"frame_bytes", a.frame_bytes},
                      {"archive_bytes", a.archive_bytes}};
    if (r.manifest) {
      const auto& m = *r.manifest;
      nlohmann::json parents = nlohmann::json::array();
      for (const auto& p : m.parents) parents.push_back(p.name);
      doc["archive"]["manifest"] = {{"archive_id", storage::HexId(m.archive_id)},
                                    {"store_id", storage::HexId(m.store_id)},
                                    {"created_at", UtcTime(m.created_at_micros)},
                                    {"created_by", m.created_by},
                                    {"schema_version", m.schema_version},
                                    {"sequence", m.sequence},
                                    {"embedder", m.embedder_id},
                                    {"documents", m.documents},
                                    {"chunks", m.chunks},
                                    {"vectors", m.vectors},
                                    {"pending", m.pending},
                                    {"failed", m.failed},
                                    {"parents", parents}};
    }
  }
  return doc;
}

std::string VerifyReportText(const storage::VerifyReport& r) {
  std::ostringstream out;
  for (const auto& p : r.problems) {
    out << "  " << p.check << "  " << (p.key.empty() ? "" : p.key + ": ") << p.detail << "\n";
  }
  if (r.problem_count > r.problems.size()) {
    out << "  ... and " << r.problem_count - r.problems.size() << " more\n";
  }
  for (const auto& w : r.warnings) out << "warning:   " << w << "\n";
  if (r.archive_checked) {
    const auto& a = r.archive;
    out << "archive:   " << a.files << " files (" << a.files_held << " held, " << a.files_in_parents
        << " in parents), " << common::HumanBytes(a.file_bytes) << " restored from "
        << common::HumanBytes(a.frame_bytes) << " of frames\n";
    if (r.manifest) {
      out << "contents:  " << r.manifest->documents << " documents, " << r.manifest->chunks
          << " chunks, " << r.manifest->vectors << " vectors, taken "
          << UtcTime(r.manifest->created_at_micros) << "\n";
    }
  }
  if (r.store_checked) {
    const auto& c = r.census;
    out << "store:     " << c.documents << " documents, " << c.chunks << " chunks ("
        << c.chunks_embedded << " embedded, " << c.chunks_pending << " pending, " << c.chunks_failed
        << " failed), " << c.vectors << " vectors, " << c.pending_entries << " queued\n";
  }
  out << (r.clean() ? "clean\n" : std::to_string(r.problem_count) + " problem(s) found\n");
  return out.str();
}

}  // namespace roxi::cli
