// What `roxi bench` recommends from its measurements:
//   - the index kind: among the kinds `roxi serve` can use (all measured kinds if none of them
//     was), the one with the best median recall@k, then the lowest median search p50;
//   - with that kind, among the grid points whose peak memory fits the limit (the larger of the
//     pipeline's and the index phase's peak, worst repeat), the best median embed+commit
//     throughput T; then the smallest batch size whose throughput is within `tolerance` of T
//     (at least (1 - tolerance) * T), and for an openai: embedder the fewest requests in flight
//     among those: more buys nothing the measurement can tell from noise, and costs memory, latency
//     and load on the embedding server.
//
// Thread-safety: pure function.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "src/bench/bench_runner.h"

namespace roxi::bench {

struct Recommendation {
  bool found = false;  // false: no point fits under the limit; `reason` says why
  size_t batch_size = 0;
  std::optional<uint32_t> requests_in_flight;
  IndexKind index = IndexKind::kFlat;
  double chunks_per_second = 0;       // the recommended point's median
  double best_chunks_per_second = 0;  // the best fitting point's median
  uint64_t peak_rss_bytes = 0;        // the recommended point's
  std::string reason;                 // one sentence on why this point (or why none)
};

inline constexpr double kThroughputTolerance = 0.05;

// True when `point` fits under `memory_limit` (none: every point fits).
bool Fits(const BenchPoint& point, std::optional<uint64_t> memory_limit);

Recommendation Recommend(const BenchReport& report, std::optional<uint64_t> memory_limit,
                         double tolerance = kThroughputTolerance);

}  // namespace roxi::bench
