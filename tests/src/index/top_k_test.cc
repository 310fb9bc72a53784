#include "src/index/top_k.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <random>
#include <vector>

namespace roxi::index {
namespace {

std::vector<SearchHit> SortedFirstK(std::vector<SearchHit> all, size_t k) {
  std::sort(all.begin(), all.end(), HitBefore);
  all.resize(std::min(k, all.size()));
  return all;
}

TEST(TopKTest, EqualsTheFirstKOfASortWithManyTies) {
  std::mt19937 rng(9);
  for (size_t k : {size_t{1}, size_t{2}, size_t{10}, size_t{99}, size_t{100}, size_t{500}}) {
    std::vector<SearchHit> all;
    for (uint64_t id = 0; id < 100; ++id) {
      // Few distinct scores, so most places are ties settled by id.
      all.push_back({(id * 37) % 100, static_cast<float>(rng() % 5) * 0.25f});
    }
    TopK top(k, all.size());
    for (const SearchHit& h : all) top.Push(h.id, h.score);
    EXPECT_EQ(top.Take(), SortedFirstK(all, k)) << k;
  }
}

TEST(TopKTest, NanScoresSortLast) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  TopK top(3, 5);
  top.Push(1, nan);
  top.Push(2, -5);
  top.Push(3, nan);
  top.Push(4, 0.5);
  std::vector<SearchHit> got = top.Take();
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0], (SearchHit{4, 0.5}));
  EXPECT_EQ(got[1], (SearchHit{2, -5}));
  EXPECT_EQ(got[2].id, 1u);
  EXPECT_TRUE(std::isnan(got[2].score));
}

TEST(TopKTest, MergeOfPartsEqualsOneHeap) {
  std::mt19937 rng(4);
  std::vector<SearchHit> all;
  for (uint64_t id = 0; id < 1000; ++id) all.push_back({id, static_cast<float>(rng() % 50)});
  TopK a(25, 1000), b(25, 1000), whole(25, 1000);
  for (const SearchHit& h : all) {
    (h.id % 3 == 0 ? a : b).Push(h.id, h.score);
    whole.Push(h.id, h.score);
  }
  a.Merge(b);
  EXPECT_EQ(a.Take(), whole.Take());
}

}  // namespace
}  // namespace roxi::index
