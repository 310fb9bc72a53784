// The few Unicode character properties roxi's tokenisation needs: which code points belong to
// words, and how to fold case so that "Straße", "STRASSE" and "strasse" meet as far as simple
// folding can.
//
// Both are table-driven subsets of the Unicode Character Database (UCD 14.0), frozen in unicode.cc:
// their content is part of every vector the built-in embedder produces, so a change here is a new
// embedder version. ASCII is answered inline from the header.
//
// FoldCase covers Latin-1 Supplement, Latin Extended-A and -B, Latin Extended Additional, Greek and
// Greek Extended (final sigma folds to sigma), Cyrillic and its supplement, Armenian, Georgian,
// the ohm, kelvin and angstrom signs and full-width Latin; there it follows CaseFolding.txt's
// simple (C and S) mappings, with the exceptions noted in unicode.cc, and it leaves every other
// code point unchanged. Folding never lengthens a code point's UTF-8 encoding.
// IsWordCodePoint is true for letters (L*), combining marks (M*) and decimal digits (Nd), up to
// U+3134F; so symbols, emoji, punctuation, spaces and number forms such as Roman numerals are not
// part of words.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>

namespace roxi::text {

// Out-of-line halves of the functions below, for code points >= 0x80.
char32_t FoldCaseNonAscii(char32_t cp);
bool IsWordCodePointNonAscii(char32_t cp);

// A hash of both tables (format::Xxh3 over their entries), for fingerprints of anything whose
// output they shape, such as the built-in embedder's id.
uint64_t UnicodeTablesFingerprint();

// The simple case folding of `cp` (usually its lowercase); `cp` itself if none is known.
constexpr char32_t FoldCase(char32_t cp) {
  if (cp < 0x80) return (cp >= 'A' && cp <= 'Z') ? cp + ('a' - 'A') : cp;
  return FoldCaseNonAscii(cp);
}

// True if `cp` is a letter, digit or combining mark, i.e. part of a word.
constexpr bool IsWordCodePoint(char32_t cp) {
  if (cp < 0x80) {
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
  }
  return IsWordCodePointNonAscii(cp);
}

}  // namespace roxi::text
