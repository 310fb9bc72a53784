// Summaries of repeated measurements for `roxi bench`: percentiles of one run's samples (batch
// latencies, search latencies) and the median and spread of a figure over the repeats of a grid
// point. Percentiles use the nearest-rank method, so every figure reported is one that was
// measured, never an interpolation between two.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <vector>

namespace roxi::bench {

// The median of a figure over repeats, with its extremes: what `roxi bench` reports per point.
struct Spread {
  double median = 0;
  double min = 0;
  double max = 0;
  size_t samples = 0;  // 0 when nothing was measured (then every field is 0)
};

// The p-th percentile (0 < p <= 100) of `values` by nearest rank: the smallest value with at
// least p % of the values at or below it. 0 for no values.
double Percentile(std::vector<double> values, double p);

// Median (the lower middle value for an even count, so it is a measured one), minimum and
// maximum of `values`.
Spread SpreadOf(std::vector<double> values);

}  // namespace roxi::bench
