#include "src/embedders/builtin_embedder.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdio>
#include <string>

#include "format/chunk_record.h"
#include "format/dcheck.h"
#include "format/hash.h"
#include "src/embedders/stop_words.h"
#include "src/text/english_stemmer.h"
#include "src/text/unicode.h"
#include "src/text/utf8.h"

namespace roxi::embedders {

namespace {

// The definition of "hash-v2". Every constant here shapes the vectors; all of them, and the
// Unicode tables the tokeniser uses, feed the fingerprint in the id (SettingsText), so an edit
// shows up as a new id rather than as vectors that silently stop matching the ones already stored.
// Changes to code rather than constants (the stemmer's rules included) need a new kAlgorithm;
// VectorsAreFrozenForHashV2 in the tests catches them.
constexpr std::string_view kAlgorithm = "hash-v2";
constexpr float kUnigramWeight = 1.0f;
constexpr float kBigramWeight = 0.5f;
constexpr float kCharNgramWeight = 0.8f;
constexpr float kStopWordFactor = 0.1f;
constexpr float kCommonWordFactor = 0.5f;
constexpr size_t kMaxNgramWordCodePoints = 32;
constexpr uint64_t kUnigramSalt = 0x2545F4914F6CDD1DULL;
constexpr uint64_t kBigramSalt = 0x9E3779B97F4A7C15ULL;
constexpr uint64_t kTrigramSalt = 0xCBF29CE484222325ULL;
constexpr uint64_t kFourgramSalt = 0x84222325CBF29CE4ULL;
// Odd, so multiplying by it is a bijection and distinct 3-gram packings stay distinct.
constexpr uint64_t kFourgramMultiplier = 0x00000100000001B3ULL;
// Word boundary markers inside n-grams: beyond U+10FFFF, so no text code point equals them.
constexpr char32_t kWordBegin = 0x110000;
constexpr char32_t kWordEnd = 0x110001;

// Enough room for a word's first kMaxNgramWordCodePoints code points and both markers.
constexpr size_t kMaxNgramCodePoints = kMaxNgramWordCodePoints + 2;
// The most n-grams (3- and 4-grams) one word yields.
constexpr size_t kMaxNgramsPerWord = (kMaxNgramCodePoints - 2) + (kMaxNgramCodePoints - 3);

// Slots of the word-term cache (a power of two). It is a memo, so its size changes speed, never a
// vector: 16384 slots (384 KiB) hold the working vocabulary of typical prose, where 4096 missed
// often enough to cost about 10% of throughput on the demo corpus (8,363 distinct words).
constexpr size_t kTermCacheSlots = 16384;

// The SplitMix64 finaliser: a bijection on 64 bits that spreads every input bit over the output.
inline uint64_t Mix64(uint64_t x) {
  x ^= x >> 30;
  x *= 0xBF58476D1CE4E5B9ULL;
  x ^= x >> 27;
  x *= 0x94D049BB133111EBULL;
  x ^= x >> 31;
  return x;
}

// Adds ±weight to the dimension `hash` picks. Using (low32 * dim) >> 32 rather than a modulo keeps
// the mapping uniform for any dim, not just powers of two.
inline void AddFeature(float* row, uint32_t dim, uint64_t hash, float weight) {
  const auto index = static_cast<size_t>(((hash & 0xFFFFFFFFULL) * dim) >> 32);
  row[index] += (hash >> 63) != 0 ? -weight : weight;
}

// 1 + ln(tf): repeated terms gain weight, but far less than linearly.
inline float TermFrequencyWeight(uint32_t count) {
  static const std::array<float, 64> kTable = [] {
    std::array<float, 64> t{};
    for (size_t c = 1; c < t.size(); ++c) t[c] = 1.0f + std::log(static_cast<float>(c));
    return t;
  }();
  return count < kTable.size() ? kTable[count] : 1.0f + std::log(static_cast<float>(count));
}

std::string SettingsText() {
  std::string s(kAlgorithm);
  const auto add = [&s](std::string_view name, uint64_t value) {
    s += ';';
    s += name;
    s += '=';
    s += std::to_string(value);
  };
  // Weights go in as their bit patterns: exact, and immune to the locale's decimal point.
  add("unigram", std::bit_cast<uint32_t>(kUnigramWeight));
  add("bigram", std::bit_cast<uint32_t>(kBigramWeight));
  add("ngram", std::bit_cast<uint32_t>(kCharNgramWeight));
  add("stop", std::bit_cast<uint32_t>(kStopWordFactor));
  add("common", std::bit_cast<uint32_t>(kCommonWordFactor));
  s += ";stemmer=porter1980";
  s += ";ngrams=3,4";
  add("ncp", kMaxNgramWordCodePoints);
  add("usalt", kUnigramSalt);
  add("bsalt", kBigramSalt);
  add("tsalt", kTrigramSalt);
  add("fsalt", kFourgramSalt);
  add("fmul", kFourgramMultiplier);
  add("begin", static_cast<uint32_t>(kWordBegin));
  add("end", static_cast<uint32_t>(kWordEnd));
  add("unicode", text::UnicodeTablesFingerprint());
  s += ";stopwords=";
  for (std::string_view w : EnglishStopWords()) {
    s += w;
    s += ',';
  }
  s += ";commonwords=";
  for (std::string_view w : EnglishCommonWords()) {
    s += w;
    s += ',';
  }
  return s;
}

std::string MakeId(uint32_t dim) {
  char fingerprint[9];
  std::snprintf(fingerprint, sizeof(fingerprint), "%08x",
                static_cast<unsigned>(format::Xxh3(SettingsText()) & 0xFFFFFFFFu));
  return "builtin:" + std::string(kAlgorithm) + ":" + std::to_string(dim) + ":" + fingerprint;
}

}  // namespace

const BuiltinEmbedder::WordTerm& BuiltinEmbedder::Term(std::string_view word) {
  const uint64_t word_hash = format::Xxh3(word);
  WordTerm& slot = term_cache_[word_hash & (kTermCacheSlots - 1)];
  if (slot.word_hash == word_hash && word_hash != 0) return slot;
  slot.word_hash = word_hash;
  slot.factor = IsEnglishStopWordHash(word_hash) ? kStopWordFactor : 1.0f;
  slot.term_hash = text::StemEnglish(word, &stem_) ? format::Xxh3(stem_) : word_hash;
  if (slot.factor == 1.0f && IsEnglishCommonStemHash(slot.term_hash)) {
    slot.factor = kCommonWordFactor;
  }
  return slot;
}

BuiltinEmbedder::BuiltinEmbedder(uint32_t dim) : term_cache_(kTermCacheSlots) {
  ROXI_DCHECK(dim >= kMinDim && dim <= kMaxDim);
  info_.dim = dim;
  info_.id = MakeId(dim);
}

Status BuiltinEmbedder::Embed(std::span<const std::string_view> texts, std::span<float> out,
                              std::vector<Status>* item_status) {
  const size_t dim = info_.dim;
  ROXI_RETURN_IF_ERROR(PrepareEmbedCall(texts.size(), out.size(), dim, item_status));
  for (size_t i = 0; i < texts.size(); ++i) {
    float* row = out.data() + i * dim;
    const std::string_view text = texts[i];
    Status status;
    if (text.size() > format::kMaxChunkTextBytes) {
      status = Status::InvalidArgument(
          "embed text", std::to_string(text.size()) + " bytes exceeds the limit of " +
                            std::to_string(format::kMaxChunkTextBytes));
    } else {
      status = text::CheckUtf8(text, "embed text");
    }
    if (!status.ok()) {
      std::fill(row, row + dim, 0.0f);
      (*item_status)[i] = std::move(status);
      continue;
    }
    EmbedText(text, row);
  }
  return Status::OK();
}

void BuiltinEmbedder::EmbedText(std::string_view text, float* row) {
  const uint32_t dim = info_.dim;
  std::fill(row, row + dim, 0.0f);
  text::TokenizeWords(text, &words_);
  unigrams_.Clear();
  bigrams_.Clear();
  if (words_.empty()) return;

  // Count distinct unigrams and bigrams first, so each feature is hashed and added once per text
  // with its tf weight, however often it occurs.
  uint64_t prev_hash = 0;
  float prev_factor = 1.0f;
  for (size_t i = 0; i < words_.size(); ++i) {
    const WordTerm& term = Term(words_[i]);
    const uint64_t hash = term.term_hash;
    bool inserted = false;
    TermCounts::Entry* unigram = unigrams_.Add(hash, &inserted);
    if (inserted) {
      unigram->factor = term.factor;
      unigram->word = static_cast<uint32_t>(i);
    }
    const float factor = term.factor;
    if (i > 0) {
      TermCounts::Entry* bigram =
          bigrams_.Add(Mix64(Mix64(prev_hash ^ kBigramSalt) ^ hash), &inserted);
      if (inserted) bigram->factor = std::sqrt(prev_factor * factor);
    }
    prev_hash = hash;
    prev_factor = factor;
  }

  for (const TermCounts::Entry& u : unigrams_.entries()) {
    const float weight = TermFrequencyWeight(u.count) * u.factor;
    AddFeature(row, dim, Mix64(u.key ^ kUnigramSalt), weight * kUnigramWeight);
    AddCharNgrams(words_[u.word], weight * kCharNgramWeight, row);
  }
  for (const TermCounts::Entry& b : bigrams_.entries()) {
    AddFeature(row, dim, b.key, TermFrequencyWeight(b.count) * b.factor * kBigramWeight);
  }

  double sum_squares = 0;
  for (uint32_t d = 0; d < dim; ++d) sum_squares += double{row[d]} * row[d];
  // Features may cancel exactly (opposite signs in one dimension); that text gets the zero vector.
  if (sum_squares == 0) return;
  const auto scale = static_cast<float>(1.0 / std::sqrt(sum_squares));
  for (uint32_t d = 0; d < dim; ++d) row[d] *= scale;
}

void BuiltinEmbedder::AddCharNgrams(std::string_view word, float weight, float* row) {
  static const std::array<float, kMaxNgramsPerWord + 1> kInverseSqrt = [] {
    std::array<float, kMaxNgramsPerWord + 1> t{};
    for (size_t c = 1; c < t.size(); ++c) t[c] = 1.0f / std::sqrt(static_cast<float>(c));
    return t;
  }();
  std::array<char32_t, kMaxNgramCodePoints> cps;
  size_t k = 0;
  cps[k++] = kWordBegin;
  size_t pos = 0;
  while (pos < word.size() && k < kMaxNgramWordCodePoints + 1) {
    const auto b = static_cast<uint8_t>(word[pos]);
    if (b < 0x80) {
      cps[k++] = b;
      ++pos;
    } else {
      cps[k++] = text::DecodeUtf8(word, &pos);
    }
  }
  // A word cut short has no end marker: its last n-grams are not a word ending.
  if (pos == word.size()) cps[k++] = kWordEnd;

  // k >= 3: a word has at least one code point, plus the begin marker and the end marker or
  // (when cut short) more code points.
  const size_t ngrams = (k - 2) + (k - 3);
  const float each = weight * kInverseSqrt[ngrams];
  const uint32_t dim = info_.dim;
  for (size_t i = 0; i + 3 <= k; ++i) {
    // Code points and markers fit in 21 bits, so three pack exactly into one word.
    const uint64_t packed =
        uint64_t{cps[i]} | (uint64_t{cps[i + 1]} << 21) | (uint64_t{cps[i + 2]} << 42);
    AddFeature(row, dim, Mix64(packed ^ kTrigramSalt), each);
    if (i + 4 <= k) {
      AddFeature(row, dim, Mix64((packed * kFourgramMultiplier + cps[i + 3]) ^ kFourgramSalt),
                 each);
    }
  }
}

}  // namespace roxi::embedders
