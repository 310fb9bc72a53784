#include "src/embedders/stop_words.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "format/hash.h"
#include "src/text/word_tokenizer.h"

namespace roxi::embedders {
namespace {

TEST(StopWordsTest, RecognisesEveryListedWordAndNothingElse) {
  for (std::string_view w : EnglishStopWords()) {
    EXPECT_TRUE(IsEnglishStopWordHash(format::Xxh3(w))) << w;
  }
  for (std::string_view w : {"photosynthesis", "glacier", "The", "", "thee", "roxi"}) {
    EXPECT_FALSE(IsEnglishStopWordHash(format::Xxh3(w))) << w;
  }
  EXPECT_FALSE(IsEnglishStopWordHash(0));
}

TEST(StopWordsTest, ListIsDistinctAndAlreadyTokenised) {
  std::set<std::string_view> seen;
  text::WordList words;
  for (std::string_view w : EnglishStopWords()) {
    EXPECT_TRUE(seen.insert(w).second) << "duplicate " << w;
    // Each entry must be a single folded word, or it could never match a token.
    text::TokenizeWords(w, &words);
    ASSERT_EQ(words.size(), 1u) << w;
    EXPECT_EQ(words[0], w);
  }
}

}  // namespace
}  // namespace roxi::embedders
