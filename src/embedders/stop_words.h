// The built-in embedder's English stop words: very common function words ("the", "of", "and") whose
// features it down-weights, since they say little about what a text is about.
//
// The list is part of the built-in embedder's definition: changing it changes vectors, so it
// feeds the fingerprint in the embedder's id.
//
// Thread-safety: pure functions over immutable data (built once, thread-safely, on first use).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace roxi::embedders {

// Every stop word, lower case, in a fixed order.
std::span<const std::string_view> EnglishStopWords();

// True if `word_hash`, the format::Xxh3 of a case-folded word, is the hash of a stop word.
bool IsEnglishStopWordHash(uint64_t word_hash);

// Frequent English content words ("time", "make", "good"), lower case, in a fixed order.
std::span<const std::string_view> EnglishCommonWords();

// True if `stem_hash`, the format::Xxh3 of a text::StemEnglish stem, is the stem of a common word.
bool IsEnglishCommonStemHash(uint64_t stem_hash);

}  // namespace roxi::embedders
