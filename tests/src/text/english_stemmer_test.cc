#include "src/text/english_stemmer.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace roxi::text {
namespace {

std::string Stem(std::string_view word) {
  std::string stem;
  StemEnglish(word, &stem);
  return stem;
}

// The examples of each step in Porter's 1980 paper, plus a few words whose stems meet. Frozen:
// these stems shape the built-in embedder's vectors, so a change needs a new embedder version.
TEST(EnglishStemmerTest, FollowsThePublishedExamples) {
  const std::pair<const char*, const char*> kCases[] = {
      // Step 1a.
      {"caresses", "caress"},
      {"ponies", "poni"},
      {"ties", "ti"},
      {"caress", "caress"},
      {"cats", "cat"},
      // Step 1b, with the cleanups that follow it.
      {"feed", "feed"},
      {"agreed", "agre"},
      {"plastered", "plaster"},
      {"bled", "bled"},
      {"motoring", "motor"},
      {"sing", "sing"},
      {"conflated", "conflat"},
      {"troubled", "troubl"},
      {"sized", "size"},
      {"hopping", "hop"},
      {"tanned", "tan"},
      {"falling", "fall"},
      {"hissing", "hiss"},
      {"fizzed", "fizz"},
      {"failing", "fail"},
      {"filing", "file"},
      // Step 1c.
      {"happy", "happi"},
      {"sky", "sky"},
      // Step 2.
      {"relational", "relat"},
      {"conditional", "condit"},
      {"rational", "ration"},
      {"digitizer", "digit"},
      {"vietnamization", "vietnam"},
      {"operator", "oper"},
      {"feudalism", "feudal"},
      {"decisiveness", "decis"},
      {"hopefulness", "hope"},
      {"callousness", "callous"},
      {"sensibiliti", "sensibl"},
      // Step 3.
      {"triplicate", "triplic"},
      {"formative", "form"},
      {"formalize", "formal"},
      {"electrical", "electr"},
      {"hopeful", "hope"},
      {"goodness", "good"},
      // Step 4.
      {"revival", "reviv"},
      {"allowance", "allow"},
      {"inference", "infer"},
      {"airliner", "airlin"},
      {"gyroscopic", "gyroscop"},
      {"adjustable", "adjust"},
      {"defensible", "defens"},
      {"irritant", "irrit"},
      {"replacement", "replac"},
      {"adjustment", "adjust"},
      {"dependent", "depend"},
      {"adoption", "adopt"},
      {"communism", "commun"},
      {"activate", "activ"},
      {"homologous", "homolog"},
      {"effective", "effect"},
      {"bowdlerize", "bowdler"},
      // Step 5.
      {"probate", "probat"},
      {"rate", "rate"},
      {"cease", "ceas"},
      {"controll", "control"},
      {"roll", "roll"},
      // Whole runs.
      {"generalizations", "gener"},
      {"oscillators", "oscil"},
  };
  for (const auto& [word, stem] : kCases) EXPECT_EQ(Stem(word), stem) << word;
}

TEST(EnglishStemmerTest, InflectionsMeet) {
  EXPECT_EQ(Stem("pruning"), Stem("prune"));
  EXPECT_EQ(Stem("pruned"), Stem("prune"));
  EXPECT_EQ(Stem("trees"), Stem("tree"));
  EXPECT_EQ(Stem("tides"), Stem("tide"));
  EXPECT_EQ(Stem("feeding"), Stem("feed"));
  EXPECT_EQ(Stem("certificates"), Stem("certificate"));
}

TEST(EnglishStemmerTest, LeavesShortAndNonEnglishWordsAlone) {
  std::string stem = "junk";
  for (std::string_view word :
       {"", "a", "is", "as", "2024", "ipv4", "straße", "москва", "Cats", "naïve", "x_y"}) {
    EXPECT_FALSE(StemEnglish(word, &stem)) << word;
    EXPECT_EQ(stem, word);
  }
}

TEST(EnglishStemmerTest, ReportsWhetherTheWordChanged) {
  std::string stem;
  EXPECT_TRUE(StemEnglish("cats", &stem));
  EXPECT_EQ(stem, "cat");
  EXPECT_FALSE(StemEnglish("cat", &stem));
  EXPECT_EQ(stem, "cat");
  // The stem of a stem may differ ("generalizations" -> "gener" -> "gener"), but is never longer.
  for (std::string_view word : {"agreed", "hopping", "filing", "conflated", "sized", "motoring",
                                "happy", "relational", "activate", "abated", "aaaaaaaing"}) {
    StemEnglish(word, &stem);
    EXPECT_LE(stem.size(), word.size()) << word;
    EXPECT_FALSE(stem.empty()) << word;
  }
}

// Every word of up to 5 letters over the letters the suffix rules look at: each rule's boundary
// cases (suffix equal to the whole word, a stem of one letter) come up, and no stem may be empty,
// longer than its word or hold anything but letters.
TEST(EnglishStemmerTest, StemsEveryShortWordOverTheSuffixLetters) {
  constexpr std::string_view kLetters = "aeilnsty";
  std::string word;
  std::string stem;
  size_t changed = 0;
  size_t words = 0;
  for (size_t length = 1; length <= 5; ++length) {
    std::vector<size_t> digits(length, 0);
    while (true) {
      word.clear();
      for (size_t d : digits) word += kLetters[d];
      ++words;
      if (StemEnglish(word, &stem)) ++changed;
      ASSERT_FALSE(stem.empty()) << word;
      ASSERT_LE(stem.size(), word.size()) << word;
      ASSERT_EQ(stem.find_first_not_of("abcdefghijklmnopqrstuvwxyz"), std::string::npos) << word;
      size_t i = 0;
      while (i < length && ++digits[i] == kLetters.size()) digits[i++] = 0;
      if (i == length) break;
    }
  }
  EXPECT_EQ(words, 8u + 64u + 512u + 4096u + 32768u);
  EXPECT_GT(changed, words / 10);
}

}  // namespace
}  // namespace roxi::text
