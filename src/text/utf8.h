// UTF-8 validation, decoding and encoding, and a binary-content sniffer: the byte-level layer under
// every piece of text roxi stores or tokenises.
//
// Validation is strict, as Unicode 15 §3.9 Table 3-7 ("well-formed UTF-8 byte sequences") defines
// it: it rejects overlong forms, surrogates (U+D800..U+DFFF), code points above U+10FFFF, stray
// continuation bytes and sequences cut short. Runs of ASCII are checked eight bytes at a time.
//
// Decoding never fails: an ill-formed sequence decodes to U+FFFD and advances past its maximal
// valid prefix (at least one byte), the "substitution of maximal subparts" practice of §3.9.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "format/status.h"

namespace roxi::text {

inline constexpr char32_t kReplacementCodePoint = 0xFFFD;
inline constexpr char32_t kMaxCodePoint = 0x10FFFF;
inline constexpr size_t kMaxUtf8SequenceBytes = 4;
// LooksBinary inspects at most this many leading bytes.
inline constexpr size_t kBinarySniffBytes = 8192;

// Returns the offset of the first byte of the first ill-formed sequence in `text`, or text.size()
// if all of `text` is well-formed UTF-8.
size_t FirstInvalidUtf8Offset(std::string_view text);

// True iff `text` is well-formed UTF-8 (the empty string is).
inline bool IsValidUtf8(std::string_view text) {
  return FirstInvalidUtf8Offset(text) == text.size();
}

// OK if `text` is well-formed UTF-8; otherwise InvalidArgument "<what>: invalid utf-8 at byte N",
// N being FirstInvalidUtf8Offset(text).
Status CheckUtf8(std::string_view text, std::string_view what);

// True if the first kBinarySniffBytes of `text` hold a NUL byte, or if more than 1 in 16 of them
// are C0 control bytes other than tab, line feed, vertical tab, form feed, carriage return and
// escape (or DEL). Says nothing about UTF-8 validity: check that separately.
bool LooksBinary(std::string_view text);

// True for the bytes 0x80..0xBF, which never start a code point.
inline bool IsUtf8Continuation(char c) { return (static_cast<uint8_t>(c) & 0xC0) == 0x80; }

// Decodes the code point starting at text[*pos] and advances *pos past it. An ill-formed sequence
// yields kReplacementCodePoint and advances past its maximal valid prefix (1 to 3 bytes).
// REQUIRES: *pos < text.size().
char32_t DecodeUtf8(std::string_view text, size_t* pos);

// Writes the UTF-8 form of `cp` to out[0..n) and returns n (1 to 4).
// REQUIRES: cp <= kMaxCodePoint and cp is not a surrogate; out has room for 4 bytes.
size_t EncodeUtf8(char32_t cp, char* out);

// Appends the UTF-8 form of `cp` to *out. REQUIRES: as EncodeUtf8.
void AppendUtf8(char32_t cp, std::string* out);

// The largest offset <= pos that does not fall on a continuation byte, moving back at most three
// bytes (so for ill-formed input it may still return a continuation offset). pos == text.size()
// is returned unchanged. REQUIRES: pos <= text.size().
size_t FloorCodePointBoundary(std::string_view text, size_t pos);

// The smallest offset >= pos that does not fall on a continuation byte, moving forward at most
// three bytes, or text.size(). REQUIRES: pos <= text.size().
size_t CeilCodePointBoundary(std::string_view text, size_t pos);

}  // namespace roxi::text
