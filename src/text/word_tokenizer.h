// Splits text into case-folded words for lexical features: a word is a maximal run of code points
// for which IsWordCodePoint holds (letters, digits, combining marks); everything else (spaces,
// punctuation, symbols, emoji, ill-formed bytes) separates words. So "Don't re-use x_y!" gives
// "don", "t", "re", "use", "x", "y".
//
// Each word is stored folded with FoldCase, as UTF-8. ASCII bytes take a table-driven fast path;
// other code points are decoded, classified and folded one by one.
//
// Thread-safety: TokenizeWords is a pure function; a WordList is a value owned by one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace roxi::text {

// The words of one text, back to back in one buffer so that tokenising allocates nothing once the
// buffers have grown: reuse one WordList across calls.
class WordList {
 public:
  size_t size() const { return ends_.size(); }
  bool empty() const { return ends_.empty(); }
  // The i-th word, case-folded UTF-8. REQUIRES: i < size(). Valid until the next Clear/Tokenize.
  std::string_view operator[](size_t i) const {
    const size_t begin = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(bytes_).substr(begin, ends_[i] - begin);
  }
  void Clear() {
    bytes_.clear();
    ends_.clear();
  }

 private:
  friend void TokenizeWords(std::string_view text, WordList* words);
  std::string bytes_;         // every word's folded bytes, concatenated
  std::vector<size_t> ends_;  // ends_[i]: one past word i's last byte in bytes_
};

// Replaces the contents of *words with the words of `text`, in order. Never fails: ill-formed UTF-8
// separates words like punctuation does.
void TokenizeWords(std::string_view text, WordList* words);

}  // namespace roxi::text
