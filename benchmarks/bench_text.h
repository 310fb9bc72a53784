// Deterministic English-like text for the benchmarks: words drawn from a few hundred common English
// words with a Zipf-like skew, in sentences of 5 to 20 words, in paragraphs of 3 to 7 sentences
// separated by blank lines. A fixed seed gives the same bytes on every machine and run.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace roxi::bench {

namespace internal {

inline constexpr std::string_view kWords[] = {
    "the", "of", "and", "to", "a", "in", "is", "that", "for", "it", "as", "was", "with", "be", "by",
    "on", "not", "he", "this", "are", "or", "his", "from", "at", "which", "but", "have", "an",
    "had", "they", "you", "were", "their", "one", "all", "we", "can", "her", "has", "there",
    "been", "if", "more", "when", "will", "would", "who", "so", "no", "time", "people", "year",
    "way", "day", "man", "thing", "woman", "life", "child", "world", "school", "state", "family",
    "student", "group", "country", "problem", "hand", "part", "place", "case", "week", "company",
    "system", "program", "question", "work", "government", "number", "night", "point", "home",
    "water", "room", "mother", "area", "money", "story", "fact", "month", "lot", "right", "study",
    "book", "eye", "job", "word", "business", "issue", "side", "kind", "head", "house", "service",
    "friend", "father", "power", "hour", "game", "line", "end", "member", "law", "car", "city",
    "community", "name", "president", "team", "minute", "idea", "kid", "body", "information",
    "back", "parent", "face", "others", "level", "office", "door", "health", "person", "art",
    "war", "history", "party", "result", "change", "morning", "reason", "research", "girl", "guy",
    "moment", "air", "teacher", "force", "education", "foot", "boy", "age", "policy", "process",
    "music", "market", "sense", "nation", "plan", "college", "interest", "death", "experience",
    "effect", "class", "control", "care", "field", "development", "role", "effort", "rate",
    "heart", "drug", "show", "leader", "light", "voice", "wife", "police", "mind", "price",
    "report", "decision", "son", "view", "relationship", "town", "road", "arm", "difference",
    "value", "building", "action", "model", "season", "society", "tax", "director", "position",
    "player", "record", "paper", "space", "ground", "form", "event", "official", "matter",
    "center", "couple", "site", "project", "activity", "star", "table", "need", "court", "oil",
    "situation", "cost", "industry", "figure", "street", "image", "phone", "data", "picture",
    "practice", "piece", "land", "product", "doctor", "wall", "patient", "worker", "news", "test",
    "movie", "north", "love", "support", "technology", "step", "baby", "computer", "type",
    "attention", "film", "tree", "source", "organization", "hair", "window", "evidence",
    "population", "analysis", "memory", "network", "storage", "vector", "search", "index",
    "quickly", "carefully", "important", "different", "large", "small", "political", "social",
    "national", "possible", "economic", "local", "major", "available", "likely", "clear",
};

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  // SplitMix64: fixed, portable output (unlike std::*_distribution).
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  size_t Below(size_t n) { return static_cast<size_t>(Next() % n); }
  // Skewed towards small indices, as word frequencies are: the minimum of two uniform draws.
  size_t Skewed(size_t n) {
    const size_t a = Below(n), b = Below(n);
    return a < b ? a : b;
  }

 private:
  uint64_t state_;
};

inline void AppendSentence(Rng* rng, std::string* out) {
  const size_t words = 5 + rng->Below(16);
  for (size_t w = 0; w < words; ++w) {
    std::string word(kWords[rng->Skewed(std::size(kWords))]);
    if (w == 0) {
      word[0] = static_cast<char>(word[0] - 'a' + 'A');
    } else {
      *out += ' ';
    }
    *out += word;
    if (w + 1 < words && rng->Below(12) == 0) *out += ',';
  }
  *out += rng->Below(10) == 0 ? '?' : '.';
}

}  // namespace internal

// Paragraphs of English-like prose until the text holds at least `min_bytes`.
inline std::string EnglishLikeText(size_t min_bytes, uint64_t seed) {
  internal::Rng rng(seed);
  std::string text;
  while (text.size() < min_bytes) {
    if (!text.empty()) text += "\n\n";
    const size_t sentences = 3 + rng.Below(5);
    for (size_t s = 0; s < sentences; ++s) {
      if (s > 0) text += ' ';
      internal::AppendSentence(&rng, &text);
    }
  }
  return text;
}

// `count` chunks of whole sentences, each just over `bytes_each` bytes.
inline std::vector<std::string> EnglishLikeChunks(size_t count, size_t bytes_each, uint64_t seed) {
  internal::Rng rng(seed);
  std::vector<std::string> chunks(count);
  for (std::string& chunk : chunks) {
    while (chunk.size() < bytes_each) {
      if (!chunk.empty()) chunk += ' ';
      internal::AppendSentence(&rng, &chunk);
    }
  }
  return chunks;
}

}  // namespace roxi::bench
