// BuiltinEmbedder: roxi's offline embedder. It needs no network and no model file and is fully
// deterministic: lexical features of a text are hashed, with random signs, into a fixed number of
// dimensions ("signed feature hashing"), and the sum is L2-normalised. Texts sharing words land
// close together, which is what keyword-style search over chunks needs; it knows nothing of
// synonyms.
//
// Features (algorithm "hash-v2"), from the words of text::TokenizeWords (case-folded runs of
// letters, digits and combining marks):
//   - a word's term is its text::StemEnglish stem (Porter; lower-case ASCII words only, others stay
//     as they are), so "pruning", "pruned" and "prune" are one term;
//   - term unigrams, weight 1;
//   - term bigrams (consecutive words), weight 0.5;
//   - character 3- and 4-grams of each distinct term's first word as written, wrapped in boundary
//     markers ("<cat>": "<ca", "cat", "at>", "<cat", "cat>"), over its first 32 code points,
//     together weighted 0.8 (each n-gram 0.8 / sqrt(number of n-grams)), so typos, compounds and
//     inflections the stemmer does not know still share most features.
// A term occurring tf times counts 1 + ln(tf). Term factors, a fixed prior standing in for IDF:
// stop words (stop_words.h, matched as written) 0.1, common English content words (matched by
// stem) 0.5, all others 1; they scale a term's unigram and n-grams, and a bigram counts the
// geometric mean of its words' factors. Each feature's 64-bit hash picks a dimension from its low
// 32 bits, (low32 * dim) >> 32, and its sign from bit 63.
//
// Why no IDF learned from the store: the weights would drift as documents arrive, so a chunk's
// stored vector would stop equalling the vector of the same text computed later (a query's, or a
// re-embedded chunk's) unless the whole store were re-embedded on every change. Every weight here
// is a function of the text alone, so vectors are reproducible, order-independent and comparable
// across time.
//
// Hashes: a word is format::Xxh3 of its folded UTF-8, a term format::Xxh3 of its stem (the word's
// hash when the stem is the word); a unigram feature is Mix64(term ^ salt); a bigram is
// Mix64(Mix64(first ^ salt) ^ second); a 3-gram packs its code points (21 bits each) into one word
// and mixes it with a salt, and a 4-gram extends that packing by a multiply-add of its fourth code
// point before mixing. Mix64 is the SplitMix64 finaliser. All constants are fixed
// (builtin_embedder.cc), so a vector depends only on the text and dim.
//
// Texts that are not well-formed UTF-8, or longer than format::kMaxChunkTextBytes, are rejected per
// item with InvalidArgument.
//
// Thread-safety: not thread-safe; Embed reuses per-instance scratch buffers and a cache of word
// terms, so give each thread its own instance. info() is immutable and safe from any thread.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "src/embedders/embedder.h"
#include "src/embedders/term_counts.h"
#include "src/text/word_tokenizer.h"

namespace roxi::embedders {

class BuiltinEmbedder final : public Embedder {
 public:
  static constexpr uint32_t kDefaultDim = 384;
  static constexpr uint32_t kMinDim = 8;
  static constexpr uint32_t kMaxDim = 4096;

  // REQUIRES: kMinDim <= dim <= kMaxDim (CreateEmbedder checks user input against these).
  explicit BuiltinEmbedder(uint32_t dim = kDefaultDim);
  BuiltinEmbedder(const BuiltinEmbedder&) = delete;
  BuiltinEmbedder& operator=(const BuiltinEmbedder&) = delete;

  // id is "builtin:hash-v2:<dim>:<fingerprint>", the fingerprint being 8 hex digits of a hash over
  // every constant of the algorithm (weights, n-gram sizes, salts, the stop-word and common-word
  // lists, the Unicode tables), so editing any of them changes the id.
  const EmbedderInfo& info() const override { return info_; }

  // See Embedder::Embed. Never returns Unavailable or TimedOut; returns InvalidArgument if `out`
  // does not hold texts.size() * dim floats or item_status is null. Per text: OK, or
  // InvalidArgument for ill-formed UTF-8 or a text over format::kMaxChunkTextBytes (its row is
  // then zero). A text without words gets the zero vector.
  Status Embed(std::span<const std::string_view> texts, std::span<float> out,
               std::vector<Status>* item_status) override;

 private:
  // Writes the normalised vector of `text` to row[0, dim). REQUIRES: text is well-formed UTF-8.
  void EmbedText(std::string_view text, float* row);
  // Adds the n-grams of one case-folded word with total weight `weight` to row.
  void AddCharNgrams(std::string_view word, float weight, float* row);

  // What a word contributes: the hash of its stem (the term its features are keyed by) and its
  // weight factor. A memo of a pure function of the word, so it never changes a vector (words with
  // equal 64-bit hashes are one word to this embedder anyway, as they were to hash-v1's features).
  struct WordTerm {
    uint64_t word_hash = 0;  // format::Xxh3 of the case-folded word; 0: empty slot
    uint64_t term_hash = 0;
    float factor = 1.0f;
  };
  // The term of `word`, from the cache or computed into it. Valid until the next call.
  const WordTerm& Term(std::string_view word);

  EmbedderInfo info_;
  std::vector<WordTerm> term_cache_;  // direct-mapped by word hash, kTermCacheSlots entries
  std::string stem_;  // Term's scratch for a word's stem
  // Scratch reused across texts so that embedding allocates nothing once warmed up.
  text::WordList words_;
  TermCounts unigrams_;
  TermCounts bigrams_;
};

}  // namespace roxi::embedders
