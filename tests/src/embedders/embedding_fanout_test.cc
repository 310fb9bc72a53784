#include "src/embedders/embedding_fanout.h"

#include <gtest/gtest.h>

#include <string>

namespace roxi::embedders {
namespace {

std::vector<std::pair<size_t, size_t>> Pairs(const std::vector<InputRange>& ranges) {
  std::vector<std::pair<size_t, size_t>> out;
  for (const InputRange& r : ranges) out.emplace_back(r.begin, r.end);
  return out;
}

TEST(PlanBatchesTest, CutsByCount) {
  const std::vector<std::string_view> inputs(7, "abc");
  EXPECT_EQ(Pairs(PlanBatches(inputs, 3, 1000)),
            (std::vector<std::pair<size_t, size_t>>{{0, 3}, {3, 6}, {6, 7}}));
  EXPECT_EQ(Pairs(PlanBatches(inputs, 1, 1000)).size(), 7u);
  EXPECT_TRUE(PlanBatches({}, 3, 1000).empty());
}

TEST(PlanBatchesTest, CutsByBytesAndSendsALargeInputAlone) {
  const std::string big(50, 'x');
  const std::vector<std::string_view> inputs = {"aaaa", "bbbb", "cccc", big, "dddd", "eeee"};
  EXPECT_EQ(Pairs(PlanBatches(inputs, 100, 10)),
            (std::vector<std::pair<size_t, size_t>>{{0, 2}, {2, 3}, {3, 4}, {4, 6}}));
}

}  // namespace
}  // namespace roxi::embedders
