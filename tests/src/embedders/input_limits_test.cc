#include "src/embedders/input_limits.h"

#include <gtest/gtest.h>

#include <string>

#include "src/text/utf8.h"

namespace roxi::embedders {
namespace {

TEST(InputLimitsTest, ParsesPolicies) {
  EXPECT_EQ(*ParseOversizePolicy("truncate"), OversizePolicy::kTruncate);
  EXPECT_EQ(*ParseOversizePolicy("split"), OversizePolicy::kSplit);
  Result<OversizePolicy> bad = ParseOversizePolicy("drop");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().ToString(),
            "invalid argument: oversize policy \"drop\": want truncate or split");
}

TEST(InputLimitsTest, EstimatesThreeBytesPerToken) {
  EXPECT_EQ(EstimateTokens(""), 0u);
  EXPECT_EQ(EstimateTokens("a"), 1u);
  EXPECT_EQ(EstimateTokens("abc"), 1u);
  EXPECT_EQ(EstimateTokens("abcd"), 2u);
}

TEST(InputLimitsTest, ATextThatFitsIsSentWhole) {
  const std::string text = "twelve bytes";
  for (auto policy : {OversizePolicy::kTruncate, OversizePolicy::kSplit}) {
    EXPECT_EQ(LimitInput(text, 4, policy), std::vector<std::string_view>({text}));
  }
}

TEST(InputLimitsTest, TruncatesAtWhitespaceInTheSecondHalf) {
  // 4 tokens = 12 bytes: the cut falls after "hello wide " (11 bytes).
  EXPECT_EQ(LimitInput("hello wide world", 4, OversizePolicy::kTruncate),
            std::vector<std::string_view>({"hello wide "}));
  // No whitespace in the second half: cut at the byte limit.
  EXPECT_EQ(LimitInput("abcdefghijklmnop", 4, OversizePolicy::kTruncate),
            std::vector<std::string_view>({"abcdefghijkl"}));
}

TEST(InputLimitsTest, SplitsIntoPiecesThatCoverTheText) {
  const std::string text = "one two three four five six seven eight nine ten";
  std::vector<std::string_view> pieces = LimitInput(text, 4, OversizePolicy::kSplit);
  std::string joined;
  for (std::string_view p : pieces) {
    EXPECT_LE(p.size(), 12u);
    EXPECT_FALSE(p.empty());
    joined += p;
  }
  EXPECT_EQ(joined, text);
  EXPECT_GT(pieces.size(), 4u);
}

TEST(InputLimitsTest, NeverCutsAUtf8Sequence) {
  // 2-byte letters: a 1-token (3-byte) limit can only take one of them at a time.
  const std::string text = "ééééé";
  std::vector<std::string_view> pieces = LimitInput(text, 1, OversizePolicy::kSplit);
  ASSERT_EQ(pieces.size(), 5u);
  for (std::string_view p : pieces) EXPECT_TRUE(text::IsValidUtf8(p)) << p;
  // A 4-byte code point longer than the whole limit still makes progress.
  const std::string emoji = "\xF0\x9F\x98\x80\xF0\x9F\x98\x80";
  pieces = LimitInput(emoji, 1, OversizePolicy::kSplit);
  ASSERT_EQ(pieces.size(), 2u);
  EXPECT_EQ(pieces[0], "\xF0\x9F\x98\x80");
}

}  // namespace
}  // namespace roxi::embedders
