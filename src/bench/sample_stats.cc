#include "src/bench/sample_stats.h"

#include <algorithm>
#include <cmath>

namespace roxi::bench {

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const double rank = std::ceil(p / 100.0 * static_cast<double>(values.size()));
  const size_t index = rank < 1 ? 0 : static_cast<size_t>(rank) - 1;
  return values[std::min(index, values.size() - 1)];
}

Spread SpreadOf(std::vector<double> values) {
  Spread s;
  if (values.empty()) return s;
  std::sort(values.begin(), values.end());
  s.samples = values.size();
  s.min = values.front();
  s.max = values.back();
  s.median = values[(values.size() - 1) / 2];
  return s;
}

}  // namespace roxi::bench
