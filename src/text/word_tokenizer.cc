#include "src/text/word_tokenizer.h"

#include <array>

#include "src/text/unicode.h"
#include "src/text/utf8.h"

namespace roxi::text {

namespace {

// For each ASCII byte: its folded form if it belongs to a word, else 0.
constexpr std::array<char, 128> kAsciiWordFold = [] {
  std::array<char, 128> table{};
  for (char32_t c = 0; c < 128; ++c) {
    if (IsWordCodePoint(c)) table[c] = static_cast<char>(FoldCase(c));
  }
  return table;
}();

}  // namespace

void TokenizeWords(std::string_view text, WordList* words) {
  words->Clear();
  std::string& bytes = words->bytes_;
  // Writing through a raw pointer into pre-sized storage keeps the ASCII loop branch-light.
  // Invariant: w - base <= i, because folding never lengthens a code point's encoding (unicode_test
  // checks every code point), so text.size() bytes always suffice.
  bytes.resize(text.size());
  char* const base = bytes.data();
  char* w = base;
  bool in_word = false;
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    const auto b = static_cast<uint8_t>(text[i]);
    if (b < 0x80) {
      const char folded = kAsciiWordFold[b];
      if (folded != 0) {
        *w++ = folded;
        in_word = true;
      } else if (in_word) {
        words->ends_.push_back(static_cast<size_t>(w - base));
        in_word = false;
      }
      ++i;
      continue;
    }
    const char32_t cp = DecodeUtf8(text, &i);
    if (IsWordCodePointNonAscii(cp)) {
      w += EncodeUtf8(FoldCaseNonAscii(cp), w);
      in_word = true;
    } else if (in_word) {
      words->ends_.push_back(static_cast<size_t>(w - base));
      in_word = false;
    }
  }
  if (in_word) words->ends_.push_back(static_cast<size_t>(w - base));
  bytes.resize(static_cast<size_t>(w - base));
}

}  // namespace roxi::text
