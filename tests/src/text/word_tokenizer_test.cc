#include "src/text/word_tokenizer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace roxi::text {
namespace {

std::vector<std::string> Words(std::string_view text) {
  WordList list;
  TokenizeWords(text, &list);
  std::vector<std::string> out;
  for (size_t i = 0; i < list.size(); ++i) out.emplace_back(list[i]);
  return out;
}

using V = std::vector<std::string>;

TEST(WordTokenizerTest, SplitsOnPunctuationAndFoldsCase) {
  EXPECT_EQ(Words("Don't re-use x_y!"), (V{"don", "t", "re", "use", "x", "y"}));
  EXPECT_EQ(Words("GPT-4o was released in 2024."),
            (V{"gpt", "4o", "was", "released", "in", "2024"}));
}

TEST(WordTokenizerTest, FoldsNonAsciiWords) {
  EXPECT_EQ(Words("Straße, ÉCOLE; Москва — ΣΟΦΊΑ."), (V{"straße", "école", "москва", "σοφία"}));
  EXPECT_EQ(Words("naïve café"), (V{"naïve", "café"}));
}

TEST(WordTokenizerTest, NoWordsInEmptyOrPunctuation) {
  EXPECT_TRUE(Words("").empty());
  EXPECT_TRUE(Words("  \n\t ").empty());
  EXPECT_TRUE(Words("... --- !!! 😀 «»").empty());
}

TEST(WordTokenizerTest, IllFormedBytesSeparateWords) {
  EXPECT_EQ(Words("ab\xFF"
                  "cd\xE2\x82"
                  "ef"),
            (V{"ab", "cd", "ef"}));
}

TEST(WordTokenizerTest, ReusedListHoldsOnlyTheLatestText) {
  WordList list;
  TokenizeWords("one two three", &list);
  TokenizeWords("Four", &list);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0], "four");
}

TEST(WordTokenizerTest, CombiningMarksStayInTheWord) {
  // "é" spelled as e + U+0301.
  EXPECT_EQ(Words("Cafe\u0301 au lait"), (V{"cafe\u0301", "au", "lait"}));
}

}  // namespace
}  // namespace roxi::text
