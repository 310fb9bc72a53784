#include "src/embedders/stop_words.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "format/hash.h"
#include "src/text/english_stemmer.h"
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

// Common words match by stem, so every inflection of a listed word does too.
uint64_t StemHash(std::string_view word) {
  std::string stem;
  text::StemEnglish(word, &stem);
  return format::Xxh3(stem);
}

TEST(StopWordsTest, RecognisesCommonWordsAndTheirInflectionsByStem) {
  for (std::string_view w : EnglishCommonWords()) {
    EXPECT_TRUE(IsEnglishCommonStemHash(StemHash(w))) << w;
  }
  for (std::string_view w : {"times", "making", "works", "used", "looked"}) {
    EXPECT_TRUE(IsEnglishCommonStemHash(StemHash(w))) << w;
  }
  for (std::string_view w : {"whetstone", "tide", "the", "of", "parity", ""}) {
    EXPECT_FALSE(IsEnglishCommonStemHash(StemHash(w))) << w;
  }
  EXPECT_FALSE(IsEnglishCommonStemHash(0));
}

TEST(StopWordsTest, CommonWordsAreDistinctTokenisedAndNoStopWords) {
  std::set<std::string_view> seen;
  text::WordList words;
  for (std::string_view w : EnglishCommonWords()) {
    EXPECT_TRUE(seen.insert(w).second) << "duplicate " << w;
    text::TokenizeWords(w, &words);
    ASSERT_EQ(words.size(), 1u) << w;
    EXPECT_EQ(words[0], w);
    // A stop word already has the lower factor; listing it twice would be a mistake.
    EXPECT_FALSE(IsEnglishStopWordHash(format::Xxh3(w))) << w;
  }
}

}  // namespace
}  // namespace roxi::embedders
