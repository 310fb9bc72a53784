#include "src/server/status_report.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <sstream>
#include <string_view>

#include "format/hex.h"
#include "src/common/human_bytes.h"
#include "src/processor/processor.h"
#include "src/processor/reembedder.h"

namespace roxi::server {

namespace {

double Percent(uint64_t part, uint64_t whole) {
  return whole == 0 ? 0.0 : 100.0 * static_cast<double>(part) / static_cast<double>(whole);
}

}  // namespace

std::string FailureReasonGroup(std::string_view reason) {
  std::string out;
  size_t at = 0;
  while (at < reason.size()) {
    const size_t scheme = reason.find("://", at);
    if (scheme == std::string_view::npos) break;
    size_t end = scheme + 3;  // the authority runs to the path, a space or the end
    while (end < reason.size() && reason[end] != '/' && reason[end] != ' ' && reason[end] != '\'') {
      ++end;
    }
    const std::string_view authority = reason.substr(scheme + 3, end - scheme - 3);
    const size_t colon = authority.rfind(':');
    const bool port = colon != std::string_view::npos && colon + 1 < authority.size() &&
                      authority.find_first_not_of("0123456789", colon + 1) == std::string_view::npos &&
                      authority.find(']', colon) == std::string_view::npos;
    out.append(reason.substr(at, scheme + 3 - at));
    out.append(port ? authority.substr(0, colon) : authority);
    at = end;
  }
  out.append(reason.substr(std::min(at, reason.size())));
  return out;
}

Result<StatusReport> CollectStatus(const storage::Store& store) {
  StatusReport r;
  const auto info = store.GetStoreInfo();
  r.data_dir = store.data_dir();
  r.store_id = format::HexEncode(info.store_id);
  r.schema_version = info.schema_version;
  r.counters = store.GetCounters();
  r.deletions = store.GetDeletions();
  r.percent_complete = 100.0 * processor::DoneFraction(r.counters);
  r.percent_embedded = r.counters.chunks == 0 ? 100.0 : Percent(r.counters.embedded, r.counters.chunks);
  r.percent_failed = Percent(r.counters.failed, r.counters.chunks);
  r.store_bytes = store.DiskBytes();
  if (auto e = store.GetEmbedder(); e.ok()) r.embedder = *e;
  if (auto cp = store.GetCheckpoint("process"); cp.ok()) {
    r.checkpoint = *cp;
  } else if (!cp.status().IsNotFound()) {
    return cp.status();
  }
  if (auto reembed = store.GetReembed(); reembed.ok()) {
    ReembedStatus rs;
    rs.target = reembed->target.id;
    rs.started_at_micros = reembed->started_at_micros;
    if (auto progress = processor::GetReembedProgress(store); progress.ok()) {
      rs.done = progress->done;
      rs.total = progress->total;
    }
    r.reembed = rs;
  }
  if (r.counters.failed > 0) {
    std::map<std::string, uint64_t> reasons;
    ROXI_RETURN_IF_ERROR(store.ForEachChunk([&](format::ChunkId, const format::ChunkRecord& c) {
      if (c.state == format::ChunkState::kFailed) ++reasons[FailureReasonGroup(c.last_error)];
      return Status::OK();
    }));
    r.failures_by_reason.assign(reasons.begin(), reasons.end());
    std::stable_sort(r.failures_by_reason.begin(), r.failures_by_reason.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    if (r.failures_by_reason.size() > kMaxFailureReasons) {
      r.failures_by_reason.resize(kMaxFailureReasons);
    }
  }
  return r;
}

nlohmann::json StatusToJson(const StatusReport& r) {
  const auto& c = r.counters;
  nlohmann::json failures = nlohmann::json::array();
  for (const auto& [reason, count] : r.failures_by_reason) {
    failures.push_back({{"reason", reason}, {"count", count}});
  }
  nlohmann::json doc = {{"data_dir", r.data_dir},
                        {"store_id", r.store_id},
                        {"schema_version", r.schema_version},
                        {"documents", c.documents},
                        {"documents_deleted", r.deletions.documents},
                        {"chunks_deleted", r.deletions.chunks},
                        {"chunks", c.chunks},
                        {"embedded", c.embedded},
                        {"pending", c.pending},
                        {"failed", c.failed},
                        {"failures_by_reason", failures},
                        {"embeddings_reused", c.embeddings_reused},
                        {"percent_complete", r.percent_complete},
                        {"percent_embedded", r.percent_embedded},
                        {"percent_failed", r.percent_failed},
                        {"store_bytes", r.store_bytes},
                        {"embedder", nullptr},
                        {"checkpoint", nullptr},
                        {"reembed", nullptr},
                        {"server", nullptr}};
  if (r.reembed) {
    doc["reembed"] = {{"target", r.reembed->target},
                      {"done", r.reembed->done},
                      {"total", r.reembed->total},
                      {"started_at_micros", r.reembed->started_at_micros}};
  }
  if (r.embedder) doc["embedder"] = {{"id", r.embedder->id}, {"dim", r.embedder->dim}};
  if (r.checkpoint) {
    const auto& cp = *r.checkpoint;
    doc["checkpoint"] = {{"batches_committed", cp.batches_committed},
                         {"chunks_embedded", cp.chunks_embedded},
                         {"chunks_failed", cp.chunks_failed},
                         {"last_batch_size", cp.last_batch_size},
                         {"last_batch_ms", static_cast<double>(cp.last_batch_micros) / 1000.0},
                         {"updated_at_micros", cp.updated_at_micros}};
  }
  if (r.daemon) {
    const auto& d = *r.daemon;
    doc["state"] = d.state;
    doc["pause_reason"] = d.pause_reason;
    doc["rss_bytes"] = d.rss_bytes;
    doc["server"] = {{"pid", d.pid},
                     {"listen", d.listen},
                     {"uptime_seconds", d.uptime_seconds},
                     {"index_loaded", d.index_loaded},
                     {"index_vectors", d.index_vectors},
                     {"target", d.target},
                     {"batches_this_run", d.batches_this_run},
                     {"embedded_this_run", d.embedded_this_run},
                     {"reembedding", d.reembedding},
                     {"last_batch",
                      {{"size", d.last_batch_size},
                       {"ms", d.last_batch_ms},
                       {"chunks_per_second", d.last_batch_chunks_per_second},
                       {"at_micros", d.last_batch_at_micros}}},
                     {"last_error", d.last_error}};
  } else {
    doc["state"] = "not serving";
  }
  return doc;
}

std::string StatusToText(const StatusReport& r) {
  const auto& c = r.counters;
  std::ostringstream text;
  // Done and failed apart: a store whose failures are "complete" is not all searchable.
  char pct[96];
  if (c.failed > 0) {
    std::snprintf(pct, sizeof pct, "%.1f%% embedded, %.1f%% failed", r.percent_embedded,
                  r.percent_failed);
  } else {
    std::snprintf(pct, sizeof pct, "%.1f%%", r.percent_complete);
  }
  text << "data dir:    " << r.data_dir << "\n";
  if (r.daemon) {
    text << "state:       " << r.daemon->state
         << (r.daemon->pause_reason.empty() ? "" : " (" + r.daemon->pause_reason + ")") << "\n"
         << "server:      pid " << r.daemon->pid << " at " << r.daemon->listen << ", up "
         << r.daemon->uptime_seconds << " s, rss " << common::HumanBytes(r.daemon->rss_bytes) << "\n";
  } else {
    text << "state:       not serving\n";
  }
  text << "store size:  " << common::HumanBytes(r.store_bytes) << "\n"
       << "embedder:    " << (r.embedder ? r.embedder->id : std::string("(none yet)")) << "\n";
  if (r.reembed) {
    char done[64];
    std::snprintf(done, sizeof done, "%.1f%%",
                  r.reembed->total == 0 ? 100.0 : 100.0 * r.reembed->done / r.reembed->total);
    text << "re-embed:    to " << r.reembed->target << ", " << r.reembed->done << "/"
         << r.reembed->total << " (" << done << ")\n";
  }
  text << "documents:   " << c.documents
       << (r.deletions.documents > 0
               ? " (" + std::to_string(r.deletions.documents) + " deleted so far)"
               : std::string())
       << "\n"
       << "chunks:      " << c.chunks << "\n"
       << "embedded:    " << c.embedded << "\n"
       << "pending:     " << c.pending << "\n"
       << "failed:      " << c.failed << "\n"
       << "reused:      " << c.embeddings_reused
       << " embeddings (identical text, not re-embedded)\n"
       << "complete:    " << pct << "\n";
  for (const auto& [reason, count] : r.failures_by_reason) {
    text << "  failed " << count << "x: " << reason << "\n";
  }
  if (r.daemon && !r.daemon->last_error.empty()) text << "last error:  " << r.daemon->last_error << "\n";
  return text.str();
}

}  // namespace roxi::server
