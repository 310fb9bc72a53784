#include "src/text/utf8.h"

#include <algorithm>
#include <array>
#include <cstring>

#include "format/dcheck.h"

namespace roxi::text {

namespace {

// What a lead byte promises: the sequence length (0: cannot start a sequence) and the range the
// second byte must fall in. The narrowed ranges after E0, ED, F0 and F4 are what rule out overlong
// forms, surrogates and code points above U+10FFFF (Unicode §3.9 Table 3-7); C0, C1 and F5..FF
// can only start overlong or out-of-range forms, so they start nothing.
struct LeadInfo {
  uint8_t length = 0;
  uint8_t second_lo = 0;
  uint8_t second_hi = 0;
};

constexpr LeadInfo MakeLeadInfo(unsigned b) {
  if (b < 0x80) return {1, 0, 0};
  if (b < 0xC2) return {0, 0, 0};
  if (b < 0xE0) return {2, 0x80, 0xBF};
  if (b == 0xE0) return {3, 0xA0, 0xBF};
  if (b == 0xED) return {3, 0x80, 0x9F};
  if (b < 0xF0) return {3, 0x80, 0xBF};
  if (b == 0xF0) return {4, 0x90, 0xBF};
  if (b < 0xF4) return {4, 0x80, 0xBF};
  if (b == 0xF4) return {4, 0x80, 0x8F};
  return {0, 0, 0};
}

constexpr std::array<LeadInfo, 256> kLeadInfo = [] {
  std::array<LeadInfo, 256> table{};
  for (unsigned b = 0; b < 256; ++b) table[b] = MakeLeadInfo(b);
  return table;
}();

constexpr uint64_t kHighBits = 0x8080808080808080ULL;

inline bool IsContinuationByte(uint8_t b) { return (b & 0xC0) == 0x80; }

// Decodes one sequence at p[0..avail). Returns its length (> 0) and sets *cp when well-formed;
// otherwise returns minus the length of its maximal valid prefix (-1 to -3) and leaves *cp alone.
// REQUIRES: avail >= 1.
inline int DecodeSequence(const uint8_t* p, size_t avail, char32_t* cp) {
  const uint8_t b0 = p[0];
  const LeadInfo info = kLeadInfo[b0];
  if (info.length == 1) {
    *cp = b0;
    return 1;
  }
  if (info.length == 0) return -1;
  if (avail < 2 || p[1] < info.second_lo || p[1] > info.second_hi) return -1;
  if (info.length == 2) {
    *cp = (char32_t{b0 & 0x1Fu} << 6) | (p[1] & 0x3Fu);
    return 2;
  }
  if (avail < 3 || !IsContinuationByte(p[2])) return -2;
  if (info.length == 3) {
    *cp = (char32_t{b0 & 0x0Fu} << 12) | (char32_t{p[1] & 0x3Fu} << 6) | (p[2] & 0x3Fu);
    return 3;
  }
  if (avail < 4 || !IsContinuationByte(p[3])) return -3;
  *cp = (char32_t{b0 & 0x07u} << 18) | (char32_t{p[1] & 0x3Fu} << 12) |
        (char32_t{p[2] & 0x3Fu} << 6) | (p[3] & 0x3Fu);
  return 4;
}

}  // namespace

size_t FirstInvalidUtf8Offset(std::string_view text) {
  const auto* p = reinterpret_cast<const uint8_t*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    // Most text is ASCII: skip it a word at a time.
    while (i + 8 <= n) {
      uint64_t word;
      std::memcpy(&word, p + i, 8);
      if (word & kHighBits) break;
      i += 8;
    }
    if (i >= n) break;
    if (p[i] < 0x80) {
      ++i;
      continue;
    }
    char32_t cp;
    const int len = DecodeSequence(p + i, n - i, &cp);
    if (len < 0) return i;
    i += static_cast<size_t>(len);
  }
  return n;
}

Status CheckUtf8(std::string_view text, std::string_view what) {
  const size_t bad = FirstInvalidUtf8Offset(text);
  if (bad == text.size()) return Status::OK();
  return Status::InvalidArgument(what, "invalid utf-8 at byte " + std::to_string(bad));
}

bool LooksBinary(std::string_view text) {
  const size_t n = std::min(text.size(), kBinarySniffBytes);
  size_t controls = 0;
  for (size_t i = 0; i < n; ++i) {
    const auto b = static_cast<uint8_t>(text[i]);
    if (b >= 0x20 && b != 0x7F) continue;
    if (b == 0) return true;
    // Whitespace controls and ESC (ANSI colour codes in logs) are ordinary in text files.
    if (b == '\t' || b == '\n' || b == '\v' || b == '\f' || b == '\r' || b == 0x1B) continue;
    ++controls;
  }
  return controls * 16 > n;
}

char32_t DecodeUtf8(std::string_view text, size_t* pos) {
  ROXI_DCHECK(*pos < text.size());
  const auto* p = reinterpret_cast<const uint8_t*>(text.data()) + *pos;
  char32_t cp = kReplacementCodePoint;
  const int len = DecodeSequence(p, text.size() - *pos, &cp);
  if (len < 0) {
    *pos += static_cast<size_t>(-len);
    return kReplacementCodePoint;
  }
  *pos += static_cast<size_t>(len);
  return cp;
}

size_t EncodeUtf8(char32_t cp, char* out) {
  ROXI_DCHECK(cp <= kMaxCodePoint && (cp < 0xD800 || cp > 0xDFFF));
  if (cp < 0x80) {
    out[0] = static_cast<char>(cp);
    return 1;
  }
  if (cp < 0x800) {
    out[0] = static_cast<char>(0xC0 | (cp >> 6));
    out[1] = static_cast<char>(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = static_cast<char>(0xE0 | (cp >> 12));
    out[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out[2] = static_cast<char>(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = static_cast<char>(0xF0 | (cp >> 18));
  out[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
  out[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
  out[3] = static_cast<char>(0x80 | (cp & 0x3F));
  return 4;
}

void AppendUtf8(char32_t cp, std::string* out) {
  char buf[kMaxUtf8SequenceBytes];
  out->append(buf, EncodeUtf8(cp, buf));
}

size_t FloorCodePointBoundary(std::string_view text, size_t pos) {
  ROXI_DCHECK(pos <= text.size());
  if (pos == text.size()) return pos;
  size_t p = pos;
  while (p > 0 && pos - p < kMaxUtf8SequenceBytes - 1 && IsUtf8Continuation(text[p])) --p;
  return p;
}

size_t CeilCodePointBoundary(std::string_view text, size_t pos) {
  ROXI_DCHECK(pos <= text.size());
  size_t p = pos;
  while (p < text.size() && p - pos < kMaxUtf8SequenceBytes - 1 && IsUtf8Continuation(text[p])) {
    ++p;
  }
  return p;
}

}  // namespace roxi::text
