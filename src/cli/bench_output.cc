#include "src/cli/bench_output.h"

#include <cstdio>
#include <sstream>
#include <string_view>
#include <utility>

#include "src/common/human_bytes.h"

namespace roxi::cli {

namespace {

// How each figure is measured, shown in both forms: a benchmark that does not say what it timed
// cannot be compared with another.
constexpr std::pair<const char*, const char*> kMethods[] = {
    {"ingest_chunks_per_second",
     "chunks stored by ingest::Ingester (what roxi ingest runs) over its wall time, from reading "
     "the corpus files to the last fsynced commit, in a fresh store"},
    {"process_chunks_per_second",
     "chunks embedded and committed by processor::Processor (what roxi process and serve run) "
     "with the point's batch size, over the run's wall time, two batches in flight"},
    {"batch_ms",
     "p50 and p99 over one run's batches of a batch's time from its selection to its verified "
     "commit (embedding, the fsynced WriteBatch and the read-back check included)"},
    {"peak_rss_bytes",
     "peak resident set of the whole process (VmHWM, reset before each phase through "
     "/proc/self/clear_refs): the pipeline phase (store open, ingest, process) and the search "
     "phase apart; a memory limit is checked against the larger of the two, worst repeat"},
    {"wake_ms",
     "wall time from opening the closed store to the first answer: index built from RocksDB, the "
     "query embedded, searched and its chunks' records read, as a server waking from deep sleep "
     "or a one-shot roxi search"},
    {"search_ms",
     "p50 and p99 over the queries of embedding one query and taking its top k from the index "
     "(no record reads); queries are 8-word spans of chunks spread through the store"},
    {"recall",
     "share of the exact top k the index returned, mean over the queries; the exact top k comes "
     "from a separate float32 scan of the stored vectors summed in double precision"},
    {"spread",
     "every figure is the median over the repeats (each repeat a fresh store and a fresh ingest), "
     "with the minimum and maximum"},
};

nlohmann::json SpreadJson(const bench::Spread& s) {
  return {{"median", s.median}, {"min", s.min}, {"max", s.max}, {"samples", s.samples}};
}

nlohmann::json PointJson(const bench::BenchPoint& p, std::optional<uint64_t> limit) {
  return {
      {"batch_size", p.batch_size},
      {"requests_in_flight",
       p.requests_in_flight ? nlohmann::json(*p.requests_in_flight) : nlohmann::json(nullptr)},
      {"index", std::string(bench::IndexKindName(p.index))},
      {"index_used_by_serve", bench::ServeUses(p.index)},
      {"ingest_chunks_per_second", SpreadJson(p.ingest_chunks_per_second)},
      {"process_chunks_per_second", SpreadJson(p.process_chunks_per_second)},
      {"batch_ms_p50", SpreadJson(p.batch_ms_p50)},
      {"batch_ms_p99", SpreadJson(p.batch_ms_p99)},
      {"pipeline_peak_rss_bytes", SpreadJson(p.pipeline_peak_rss_bytes)},
      {"search_peak_rss_bytes", SpreadJson(p.index_peak_rss_bytes)},
      {"peak_rss_bytes", p.peak_rss_bytes},
      {"index_bytes", p.index_bytes},
      {"search_ms_p50", SpreadJson(p.search_ms_p50)},
      {"search_ms_p99", SpreadJson(p.search_ms_p99)},
      {"recall_at_k", SpreadJson(p.recall)},
      {"wake_to_first_answer_ms", SpreadJson(p.wake_ms)},
      {"fits_memory_limit", bench::Fits(p, limit)},
  };
}

std::string Format(const char* format, double a, double b = 0, double c = 0) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, a, b, c);
  return buf;
}

std::string RecommendationText(const bench::Recommendation& r) {
  if (!r.found) return "recommendation: none: " + r.reason + "\n";
  std::ostringstream out;
  out << "recommendation: batch-size " << r.batch_size;
  if (r.requests_in_flight) out << ", requests-in-flight " << *r.requests_in_flight;
  out << ", index " << bench::IndexKindName(r.index) << ": " << r.reason << "; peak "
      << common::HumanBytes(r.peak_rss_bytes) << "\n";
  return out.str();
}

}  // namespace

nlohmann::json BenchSummaryToJson(const BenchSummary& s) {
  const bench::BenchReport& r = *s.report;
  nlohmann::json points = nlohmann::json::array();
  for (const auto& p : r.points) points.push_back(PointJson(p, s.memory_limit));
  nlohmann::json methods = nlohmann::json::object();
  for (const auto& [name, text] : kMethods) methods[name] = text;
  const bench::Recommendation& rec = *s.recommendation;
  nlohmann::json recommendation = nullptr;
  if (rec.found) {
    recommendation = {
        {"batch_size", rec.batch_size},
        {"requests_in_flight", rec.requests_in_flight ? nlohmann::json(*rec.requests_in_flight)
                                                      : nlohmann::json(nullptr)},
        {"index", std::string(bench::IndexKindName(rec.index))},
        {"chunks_per_second", rec.chunks_per_second},
        {"best_chunks_per_second", rec.best_chunks_per_second},
        {"peak_rss_bytes", rec.peak_rss_bytes},
        {"reason", rec.reason}};
  }
  return {
      {"embedder", r.embedder_id},
      {"dim", r.dim},
      {"corpus",
       {{"generated", r.corpus_generated},
        {"documents", r.documents},
        {"chunks", r.chunks},
        {"bytes", r.corpus_bytes}}},
      {"repeat", r.repeat},
      {"queries", r.queries},
      {"k", r.k},
      {"simd_path", r.simd_path},
      {"peak_rss_reset", r.peak_reset},
      {"memory_limit_bytes", s.memory_limit ? nlohmann::json(*s.memory_limit) : nlohmann::json()},
      {"points", points},
      {"recommendation", recommendation},
      {"no_recommendation_reason",
       rec.found ? nlohmann::json(nullptr) : nlohmann::json(rec.reason)},
      {"config_written",
       s.config_written.empty() ? nlohmann::json() : nlohmann::json(s.config_written)},
      {"seconds", static_cast<double>(r.micros) / 1e6},
      {"methods", methods},
  };
}

std::string BenchSummaryToText(const BenchSummary& s) {
  const bench::BenchReport& r = *s.report;
  std::ostringstream out;
  out << "roxi bench: " << r.chunks << " chunks in " << r.documents << " documents ("
      << (r.corpus_generated ? "generated, " : "") << common::HumanBytes(r.corpus_bytes)
      << "), embedder " << r.embedder_id << ", " << r.repeat << " repeats, " << r.queries
      << " queries, k " << r.k << ", simd " << (r.simd_path.empty() ? "-" : r.simd_path) << ", "
      << Format("%.1f", static_cast<double>(r.micros) / 1e6) << " s\n\n";
  char head[256];
  std::snprintf(head, sizeof head, "%6s %6s %-10s %9s %22s %15s %9s %15s %7s %8s %4s\n", "batch",
                "flight", "index", "ingest/s", "process/s (min-max)", "batch p50/p99", "peak",
                "search p50/p99", "recall", "wake", "fits");
  out << head;
  for (const auto& p : r.points) {
    char line[320];
    const std::string flight =
        p.requests_in_flight ? std::to_string(*p.requests_in_flight) : std::string("-");
    const std::string process =
        Format("%.0f (%.0f-%.0f)", p.process_chunks_per_second.median,
               p.process_chunks_per_second.min, p.process_chunks_per_second.max);
    const std::string batch = Format("%.1f/%.1f ms", p.batch_ms_p50.median, p.batch_ms_p99.median);
    const std::string search =
        Format("%.2f/%.2f ms", p.search_ms_p50.median, p.search_ms_p99.median);
    std::snprintf(line, sizeof line, "%6zu %6s %-10s %9.0f %22s %15s %9s %15s %7.3f %5.0f ms %4s\n",
                  p.batch_size, flight.c_str(), std::string(bench::IndexKindName(p.index)).c_str(),
                  p.ingest_chunks_per_second.median, process.c_str(), batch.c_str(),
                  common::HumanBytes(p.peak_rss_bytes).c_str(), search.c_str(), p.recall.median,
                  p.wake_ms.median, bench::Fits(p, s.memory_limit) ? "yes" : "no");
    out << line;
  }
  out << "\n" << RecommendationText(*s.recommendation);
  if (!s.config_written.empty()) out << "settings written to " << s.config_written << "\n";
  out << "\nhow each figure was measured:\n";
  for (const auto& [name, text] : kMethods) out << "  " << name << ": " << text << "\n";
  if (!r.peak_reset) {
    out << "  (the kernel refused to reset the memory high-water mark: peaks cover the whole "
           "run)\n";
  }
  return out.str();
}

}  // namespace roxi::cli
