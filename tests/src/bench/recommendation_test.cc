#include "src/bench/recommendation.h"

#include <gtest/gtest.h>

namespace roxi::bench {
namespace {

BenchPoint Point(size_t batch, double chunks_per_second, uint64_t peak,
                 IndexKind kind = IndexKind::kFlat, std::optional<uint32_t> flight = {}) {
  BenchPoint p;
  p.batch_size = batch;
  p.requests_in_flight = flight;
  p.index = kind;
  p.process_chunks_per_second = SpreadOf({chunks_per_second});
  p.recall = SpreadOf({1.0});
  p.search_ms_p50 = SpreadOf({1.0});
  p.peak_rss_bytes = peak;
  return p;
}

TEST(RecommendationTest, SmallestBatchWithinFivePercentOfTheBest) {
  BenchReport r;
  r.points = {Point(16, 5000, 100), Point(64, 9000, 110), Point(256, 9600, 120),
              Point(1024, 10000, 150)};
  Recommendation rec = Recommend(r, std::nullopt);
  ASSERT_TRUE(rec.found);
  EXPECT_EQ(rec.batch_size, 256u);  // 9600 >= 0.95 * 10000; 9000 is not
  EXPECT_EQ(rec.best_chunks_per_second, 10000);
  EXPECT_EQ(rec.index, IndexKind::kFlat);
}

TEST(RecommendationTest, AMemoryLimitThatExcludesTheFastestPointChangesIt) {
  BenchReport r;
  r.points = {Point(16, 5000, 100), Point(64, 9000, 110), Point(1024, 10000, 150)};
  EXPECT_EQ(Recommend(r, uint64_t{150}).batch_size, 1024u);
  Recommendation rec = Recommend(r, uint64_t{149});
  ASSERT_TRUE(rec.found);
  EXPECT_EQ(rec.batch_size, 64u);
  EXPECT_EQ(rec.best_chunks_per_second, 9000);
  EXPECT_FALSE(Fits(r.points[2], uint64_t{149}));
}

TEST(RecommendationTest, NothingFitsSaysSo) {
  BenchReport r;
  r.points = {Point(16, 5000, 100), Point(64, 9000, 110)};
  Recommendation rec = Recommend(r, uint64_t{99});
  EXPECT_FALSE(rec.found);
  EXPECT_NE(rec.reason.find("no grid point fits"), std::string::npos) << rec.reason;
}

TEST(RecommendationTest, FewestRequestsInFlightAmongTheFastest) {
  BenchReport r;
  r.points = {Point(64, 4000, 100, IndexKind::kFlat, 1), Point(64, 9700, 100, IndexKind::kFlat, 4),
              Point(64, 10000, 100, IndexKind::kFlat, 8)};
  Recommendation rec = Recommend(r, std::nullopt);
  ASSERT_TRUE(rec.found);
  EXPECT_EQ(rec.requests_in_flight.value_or(0), 4u);
}

TEST(RecommendationTest, PrefersAKindServeUses) {
  BenchReport r;
  r.points = {Point(64, 9000, 100, IndexKind::kFaissFlat), Point(64, 9000, 100, IndexKind::kFlat)};
  r.points[0].search_ms_p50 = SpreadOf({0.1});
  EXPECT_EQ(Recommend(r, std::nullopt).index, IndexKind::kFlat);
}

TEST(RecommendationTest, IndexKindsParseAndUnknownOnesAreNamed) {
  EXPECT_EQ(*ParseIndexKind("flat"), IndexKind::kFlat);
  EXPECT_EQ(*ParseIndexKind("auto"), IndexKind::kFlat);
  EXPECT_EQ(*ParseIndexKind("faiss-flat"), IndexKind::kFaissFlat);
  for (const char* bad : {"ivf", "hnsw", "", "Flat"}) {
    auto r = ParseIndexKind(bad);
    ASSERT_TRUE(r.status().IsInvalidArgument()) << bad;
    EXPECT_NE(r.status().message().find("'" + std::string(bad) + "'"), std::string::npos);
  }
}

}  // namespace
}  // namespace roxi::bench
