#include "src/embedders/stop_words.h"

#include <array>

#include "format/dcheck.h"
#include "format/hash.h"

namespace roxi::embedders {

namespace {

// Close to the classic SMART/NLTK English lists, plus the fragments the tokeniser makes of
// contractions ("don't" -> "don", "t"; "we'll" -> "we", "ll").
constexpr std::string_view kStopWords[] = {
    "a",       "about", "above",     "after",  "again",   "against",    "all",        "also",
    "am",      "an",    "and",       "any",    "are",     "as",         "at",         "be",
    "because", "been",  "before",    "being",  "below",   "between",    "both",       "but",
    "by",      "can",   "could",     "d",      "did",     "do",         "does",       "doing",
    "don",     "down",  "during",    "each",   "few",     "for",        "from",       "further",
    "had",     "has",   "have",      "having", "he",      "her",        "here",       "hers",
    "herself", "him",   "himself",   "his",    "how",     "i",          "if",         "in",
    "into",    "is",    "it",        "its",    "itself",  "just",       "ll",         "m",
    "me",      "more",  "most",      "my",     "myself",  "no",         "nor",        "not",
    "now",     "of",    "off",       "on",     "once",    "only",       "or",         "other",
    "our",     "ours",  "ourselves", "out",    "over",    "own",        "re",         "s",
    "same",    "she",   "should",    "so",     "some",    "such",       "t",          "than",
    "that",    "the",   "their",     "theirs", "them",    "themselves", "then",       "there",
    "these",   "they",  "this",      "those",  "through", "to",         "too",        "under",
    "until",   "up",    "ve",        "very",   "was",     "we",         "were",       "what",
    "when",    "where", "which",     "while",  "who",     "whom",       "why",        "will",
    "with",    "would", "you",       "your",   "yours",   "yourself",   "yourselves",
};

// An open-addressing set of the words' hashes, at most a quarter full, so a lookup is one or two
// probes. Zero marks an empty slot; no stop word hashes to zero (checked when building).
constexpr size_t kSlots = 1024;
static_assert(std::size(kStopWords) * 4 <= kSlots);

struct HashSet {
  std::array<uint64_t, kSlots> slots{};

  HashSet() {
    for (std::string_view word : kStopWords) {
      const uint64_t h = format::Xxh3(word);
      ROXI_DCHECK(h != 0);
      size_t i = h % kSlots;
      while (slots[i] != 0) i = (i + 1) % kSlots;
      slots[i] = h;
    }
  }

  bool Contains(uint64_t h) const {
    for (size_t i = h % kSlots;; i = (i + 1) % kSlots) {
      if (slots[i] == h) return true;
      if (slots[i] == 0) return false;
    }
  }
};

}  // namespace

std::span<const std::string_view> EnglishStopWords() { return kStopWords; }

bool IsEnglishStopWordHash(uint64_t word_hash) {
  static const HashSet kSet;
  return word_hash != 0 && kSet.Contains(word_hash);
}

}  // namespace roxi::embedders
