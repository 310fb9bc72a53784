// English stemming for lexical matching: maps inflected and derived forms of a word to one stem, so
// that "pruning", "pruned" and "prune", or "tides" and "tide", meet as one term. It is the classic
// Porter algorithm (M. F. Porter, "An algorithm for suffix stripping", Program 14(3), 1980), steps
// 1a to 5b as published, applied to words of lower-case ASCII letters only: any other word (digits,
// non-ASCII letters, upper case) and any word under 3 letters is returned unchanged, since the
// rules are English and a wrong cut would merge unrelated words. A stem need not be a word
// ("relational" -> "relat"); it is only ever compared with other stems.
//
// The rules are part of the built-in embedder's definition (its vectors depend on them), so any
// change here needs a new embedder version; english_stemmer_test freezes the output.
//
// Thread-safety: pure function.
#pragma once

#include <string>
#include <string_view>

namespace roxi::text {

// Writes the stem of `word` to *stem (replacing its contents) and returns true if it differs from
// `word`; otherwise leaves *stem holding a copy of `word` and returns false. The stem is never
// longer than the word.
bool StemEnglish(std::string_view word, std::string* stem);

}  // namespace roxi::text
