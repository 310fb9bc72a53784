#include "src/bench/corpus_generator.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iterator>
#include <string_view>

namespace roxi::bench {

namespace {

constexpr std::string_view kWords[] = {
    "the",         "of",        "and",         "to",       "a",          "in",        "is",
    "that",        "for",       "it",          "as",       "was",        "with",      "be",
    "by",          "on",        "not",         "this",     "are",        "or",        "from",
    "at",          "which",     "but",         "have",     "an",         "they",      "were",
    "their",       "one",       "all",         "can",      "has",        "there",     "been",
    "if",          "more",      "when",        "will",     "time",       "people",    "year",
    "way",         "day",       "thing",       "life",     "world",      "school",    "state",
    "family",      "group",     "country",     "problem",  "hand",       "part",      "place",
    "case",        "week",      "company",     "system",   "program",    "question",  "work",
    "number",      "night",     "point",       "home",     "water",      "room",      "area",
    "money",       "story",     "fact",        "month",    "right",      "study",     "book",
    "word",        "business",  "issue",       "side",     "kind",       "house",     "service",
    "power",       "hour",      "game",        "line",     "end",        "member",    "law",
    "city",        "community", "name",        "team",     "minute",     "idea",      "body",
    "information", "level",     "office",      "door",     "health",     "art",       "history",
    "result",      "change",    "morning",     "reason",   "research",   "moment",    "air",
    "teacher",     "force",     "education",   "age",      "policy",     "process",   "music",
    "market",      "sense",     "plan",        "interest", "experience", "effect",    "class",
    "control",     "field",     "development", "role",     "rate",       "heart",     "light",
    "voice",       "mind",      "price",       "report",   "decision",   "view",      "town",
    "road",        "value",     "building",    "action",   "model",      "season",    "society",
    "record",      "paper",     "space",       "ground",   "form",       "event",     "matter",
    "center",      "site",      "project",     "activity", "star",       "table",     "court",
    "oil",         "cost",      "industry",    "figure",   "street",     "image",     "data",
    "picture",     "practice",  "land",        "product",  "doctor",     "wall",      "worker",
    "news",        "test",      "north",       "support",  "technology", "step",      "computer",
    "type",        "film",      "tree",        "source",   "window",     "evidence",  "population",
    "analysis",    "memory",    "network",     "storage",  "vector",     "search",    "index",
    "harbour",     "tide",      "lantern",     "copper",   "glacier",    "orchard",   "violin",
    "engine",      "river",     "mountain",    "quickly",  "carefully",  "important", "different",
    "large",       "small",     "social",      "national", "possible",   "local",     "major",
    "available",   "likely",    "clear",
};

// SplitMix64: the same output on every machine and compiler, unlike std::*_distribution.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  size_t Below(size_t n) { return static_cast<size_t>(Next() % n); }
  // Skewed towards small indices, as word frequencies are: the smaller of two uniform draws.
  size_t Skewed(size_t n) {
    const size_t a = Below(n), b = Below(n);
    return a < b ? a : b;
  }

 private:
  uint64_t state_;
};

void AppendSentence(Rng* rng, std::string* out) {
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

std::string Prose(uint64_t min_bytes, uint64_t seed) {
  Rng rng(seed);
  std::string text;
  while (text.size() < min_bytes) {
    if (!text.empty()) text += "\n\n";
    const size_t sentences = 3 + rng.Below(5);
    for (size_t s = 0; s < sentences; ++s) {
      if (s > 0) text += ' ';
      AppendSentence(&rng, &text);
    }
  }
  text += '\n';
  return text;
}

Status WriteWhole(const std::string& path, const std::string& content) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return Status::IOError("corpus file " + path, std::strerror(errno));
  const bool written = std::fwrite(content.data(), 1, content.size(), f) == content.size();
  const int saved = errno;
  if (std::fclose(f) != 0 || !written) {
    return Status::IOError("corpus file " + path, std::strerror(written ? errno : saved));
  }
  return Status::OK();
}

}  // namespace

Result<GeneratedCorpus> GenerateCorpus(const std::string& dir, uint64_t chunks,
                                       const text::ChunkerOptions& chunker_options, uint64_t seed) {
  if (chunks == 0) return Status::InvalidArgument("corpus chunks", "want at least 1");
  ROXI_ASSIGN_OR_RETURN(text::Chunker chunker, text::Chunker::Create(chunker_options));
  GeneratedCorpus corpus;
  while (corpus.chunks < chunks) {
    // A small corpus gets small files, so the chunk count lands near the one asked for.
    const uint64_t left = chunks - corpus.chunks;
    const uint64_t bytes =
        std::min<uint64_t>(kCorpusFileBytes, left * chunker_options.target_bytes);
    const std::string text = Prose(bytes, seed + corpus.files);
    char name[32];
    std::snprintf(name, sizeof name, "doc-%05llu.md",
                  static_cast<unsigned long long>(corpus.files));
    const std::string path = (std::filesystem::path(dir) / name).string();
    ROXI_RETURN_IF_ERROR(WriteWhole(path, text));
    corpus.files += 1;
    corpus.bytes += text.size();
    corpus.chunks += chunker.Split(text).size();
  }
  return corpus;
}

}  // namespace roxi::bench
