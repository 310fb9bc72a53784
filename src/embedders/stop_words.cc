#include "src/embedders/stop_words.h"

#include <array>
#include <string>

#include "format/dcheck.h"
#include "format/hash.h"
#include "src/text/english_stemmer.h"

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

// Frequent English words that are not function words: they carry some meaning, but a match on
// "time", "make" or "good" says far less about a text than a match on "whetstone". The built-in
// embedder damps them less than stop words. Listed as words; matched by their stems.
constexpr std::string_view kCommonWords[] = {
    "able",    "add",     "ago",    "almost",  "already",   "always",    "another",  "anything",
    "around",  "ask",     "away",   "back",    "bad",       "best",      "better",   "big",
    "bring",   "call",    "case",   "come",    "day",       "different", "done",     "early",
    "either",  "else",    "end",    "enough",  "even",      "ever",      "every",    "example",
    "far",     "find",    "first",  "get",     "give",      "go",        "going",    "good",
    "great",   "help",    "high",   "however", "important", "keep",      "kind",     "know",
    "large",   "last",    "later",  "least",   "less",      "let",       "like",     "little",
    "long",    "look",    "lot",    "low",     "made",      "make",      "many",     "may",
    "mean",    "might",   "much",   "must",    "need",      "never",     "new",      "next",
    "often",   "old",     "one",    "part",    "people",    "place",     "point",    "put",
    "quite",   "rather",  "really", "right",   "say",       "see",       "seem",     "set",
    "several", "show",    "since",  "small",   "something", "sometimes", "still",    "sure",
    "take",    "tell",    "thing",  "think",   "though",    "time",      "together", "try",
    "two",     "usually", "use",    "want",    "way",       "well",      "whether",  "within",
    "without", "work",    "yet",
};

// An open-addressing set of the words' hashes (or their stems' hashes), at most a quarter full, so a
// lookup is one or two probes. Zero marks an empty slot; no listed word hashes to zero (checked
// when building). Words sharing a hash ("go" and "going" share a stem) take one slot.
constexpr size_t kSlots = 1024;
static_assert(std::size(kStopWords) * 4 <= kSlots);
static_assert(std::size(kCommonWords) * 4 <= kSlots);

class HashSet {
 public:
  template <class Hash>
  HashSet(std::span<const std::string_view> words, Hash hash) {
    for (std::string_view word : words) {
      const uint64_t h = hash(word);
      ROXI_DCHECK(h != 0);
      size_t i = h % kSlots;
      while (slots_[i] != 0 && slots_[i] != h) i = (i + 1) % kSlots;
      slots_[i] = h;
    }
  }

  bool Contains(uint64_t h) const {
    for (size_t i = h % kSlots;; i = (i + 1) % kSlots) {
      if (slots_[i] == h) return true;
      if (slots_[i] == 0) return false;
    }
  }

 private:
  std::array<uint64_t, kSlots> slots_{};
};

}  // namespace

std::span<const std::string_view> EnglishStopWords() { return kStopWords; }
std::span<const std::string_view> EnglishCommonWords() { return kCommonWords; }

bool IsEnglishStopWordHash(uint64_t word_hash) {
  static const HashSet kSet(kStopWords, [](std::string_view w) { return format::Xxh3(w); });
  return word_hash != 0 && kSet.Contains(word_hash);
}

bool IsEnglishCommonStemHash(uint64_t stem_hash) {
  static const HashSet kSet(kCommonWords, [](std::string_view w) {
    std::string stem;
    text::StemEnglish(w, &stem);
    return format::Xxh3(stem);
  });
  return stem_hash != 0 && kSet.Contains(stem_hash);
}

}  // namespace roxi::embedders
