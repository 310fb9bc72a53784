#include "src/embedders/term_counts.h"

#include <gtest/gtest.h>

namespace roxi::embedders {
namespace {

TEST(TermCountsTest, CountsInOrderOfFirstOccurrence) {
  TermCounts counts;
  bool inserted = false;
  for (uint64_t key : {7u, 3u, 7u, 0u, 7u, 3u}) counts.Add(key, &inserted);
  ASSERT_EQ(counts.entries().size(), 3u);
  EXPECT_EQ(counts.entries()[0].key, 7u);
  EXPECT_EQ(counts.entries()[0].count, 3u);
  EXPECT_EQ(counts.entries()[1].key, 3u);
  EXPECT_EQ(counts.entries()[1].count, 2u);
  EXPECT_EQ(counts.entries()[2].key, 0u);
  EXPECT_EQ(counts.entries()[2].count, 1u);
}

TEST(TermCountsTest, ReportsFirstInsertAndKeepsCallerFields) {
  TermCounts counts;
  bool inserted = false;
  TermCounts::Entry* e = counts.Add(42, &inserted);
  EXPECT_TRUE(inserted);
  e->factor = 0.25f;
  e->word = 9;
  e = counts.Add(42, &inserted);
  EXPECT_FALSE(inserted);
  EXPECT_EQ(e->count, 2u);
  EXPECT_EQ(e->factor, 0.25f);
  EXPECT_EQ(e->word, 9u);
}

TEST(TermCountsTest, GrowsAndClearsForReuse) {
  TermCounts counts;
  bool inserted = false;
  for (int round = 0; round < 3; ++round) {
    for (uint64_t k = 0; k < 20000; ++k) counts.Add(k * 0x100000001ULL, &inserted);
    for (uint64_t k = 0; k < 20000; k += 2) counts.Add(k * 0x100000001ULL, &inserted);
    ASSERT_EQ(counts.entries().size(), 20000u);
    for (uint64_t k = 0; k < 20000; ++k) {
      ASSERT_EQ(counts.entries()[k].key, k * 0x100000001ULL);
      ASSERT_EQ(counts.entries()[k].count, k % 2 == 0 ? 2u : 1u);
    }
    counts.Clear();
    EXPECT_TRUE(counts.entries().empty());
    counts.Add(5, &inserted);
    EXPECT_TRUE(inserted);
    counts.Clear();
  }
}

}  // namespace
}  // namespace roxi::embedders
