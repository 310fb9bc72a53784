#include "src/bench/recommendation.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>

#include "src/common/human_bytes.h"

namespace roxi::bench {

namespace {

// The index kind to recommend; nullopt for a report with no points.
std::optional<IndexKind> PickIndex(const BenchReport& report) {
  bool any_servable = false;
  for (const auto& p : report.points) any_servable = any_servable || ServeUses(p.index);
  const BenchPoint* best = nullptr;
  for (const auto& p : report.points) {
    if (any_servable && !ServeUses(p.index)) continue;
    if (best == nullptr || p.recall.median > best->recall.median ||
        (p.recall.median == best->recall.median &&
         p.search_ms_p50.median < best->search_ms_p50.median)) {
      best = &p;
    }
  }
  if (best == nullptr) return std::nullopt;
  return best->index;
}

}  // namespace

bool Fits(const BenchPoint& point, std::optional<uint64_t> memory_limit) {
  return !memory_limit || point.peak_rss_bytes <= *memory_limit;
}

Recommendation Recommend(const BenchReport& report, std::optional<uint64_t> memory_limit,
                         double tolerance) {
  Recommendation r;
  const std::optional<IndexKind> kind = PickIndex(report);
  if (!kind) {
    r.reason = "nothing was measured";
    return r;
  }
  r.index = *kind;
  const BenchPoint* best = nullptr;
  uint64_t smallest_peak = UINT64_MAX;
  for (const auto& p : report.points) {
    if (p.index != *kind) continue;
    smallest_peak = std::min(smallest_peak, p.peak_rss_bytes);
    if (!Fits(p, memory_limit)) continue;
    if (best == nullptr ||
        p.process_chunks_per_second.median > best->process_chunks_per_second.median) {
      best = &p;
    }
  }
  if (best == nullptr) {
    r.reason = "no grid point fits under the memory limit of " + common::HumanBytes(*memory_limit) +
               ": the smallest peak measured was " + common::HumanBytes(smallest_peak);
    return r;
  }
  const double floor = (1.0 - tolerance) * best->process_chunks_per_second.median;
  const BenchPoint* pick = nullptr;
  for (const auto& p : report.points) {
    if (p.index != *kind || !Fits(p, memory_limit)) continue;
    if (p.process_chunks_per_second.median < floor) continue;
    if (pick == nullptr || p.batch_size < pick->batch_size ||
        (p.batch_size == pick->batch_size &&
         p.requests_in_flight.value_or(0) < pick->requests_in_flight.value_or(0))) {
      pick = &p;
    }
  }
  r.found = true;
  r.batch_size = pick->batch_size;
  r.requests_in_flight = pick->requests_in_flight;
  r.chunks_per_second = pick->process_chunks_per_second.median;
  r.best_chunks_per_second = best->process_chunks_per_second.median;
  r.peak_rss_bytes = pick->peak_rss_bytes;
  char text[256];
  std::snprintf(text, sizeof text,
                "the smallest batch within %.0f%% of the best throughput (%.0f of %.0f chunks/s)%s",
                tolerance * 100, r.chunks_per_second, r.best_chunks_per_second,
                memory_limit ? " among the points that fit the memory limit" : "");
  r.reason = text;
  return r;
}

}  // namespace roxi::bench
