#include "src/bench/sample_stats.h"

#include <gtest/gtest.h>

namespace roxi::bench {
namespace {

TEST(SampleStatsTest, PercentileIsANearestRankValue) {
  const std::vector<double> v = {5, 1, 4, 2, 3};
  EXPECT_EQ(Percentile(v, 50), 3);
  EXPECT_EQ(Percentile(v, 99), 5);
  EXPECT_EQ(Percentile(v, 100), 5);
  EXPECT_EQ(Percentile(v, 1), 1);
  EXPECT_EQ(Percentile({}, 50), 0);
  std::vector<double> hundred;
  for (int i = 1; i <= 100; ++i) hundred.push_back(i);
  EXPECT_EQ(Percentile(hundred, 99), 99);
  EXPECT_EQ(Percentile(hundred, 50), 50);
}

TEST(SampleStatsTest, SpreadGivesAMeasuredMedianAndTheExtremes) {
  Spread s = SpreadOf({3, 9, 1});
  EXPECT_EQ(s.median, 3);
  EXPECT_EQ(s.min, 1);
  EXPECT_EQ(s.max, 9);
  EXPECT_EQ(s.samples, 3u);
  EXPECT_EQ(SpreadOf({4, 2}).median, 2);  // the lower middle value, not 3
  EXPECT_EQ(SpreadOf({}).samples, 0u);
}

}  // namespace
}  // namespace roxi::bench
