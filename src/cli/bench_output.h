// How `roxi bench` shows its results: one JSON document (--json) with every figure of every grid
// point as median, min and max over the repeats, or a table with the medians and the spread of the
// throughput; both end with the recommendation and say how each figure was measured.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "src/bench/bench_runner.h"
#include "src/bench/recommendation.h"

namespace roxi::cli {

// What the run was asked and what it found, for both forms.
struct BenchSummary {
  const bench::BenchReport* report = nullptr;
  const bench::Recommendation* recommendation = nullptr;
  std::optional<uint64_t> memory_limit;
  std::string config_written;  // the file --write-config updated; empty when none
};

nlohmann::json BenchSummaryToJson(const BenchSummary& summary);
std::string BenchSummaryToText(const BenchSummary& summary);

}  // namespace roxi::cli
