#include "src/embedders/json_scanner.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <string>

#include "src/text/utf8.h"

namespace roxi::embedders {

namespace {

class Scanner {
 public:
  Scanner(std::string_view text, JsonHandler* handler) : text_(text), handler_(handler) {}

  bool Run() {
    SkipSpace();
    if (!Value(0)) return false;
    SkipSpace();
    return pos_ == text_.size();
  }

 private:
  void SkipSpace() {
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return;
      ++pos_;
    }
  }

  bool Consume(char c) {
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  bool Literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    handler_->OtherScalar();
    return true;
  }

  bool Value(int depth) {
    if (pos_ >= text_.size()) return false;
    switch (text_[pos_]) {
      case '{':
        return Object(depth + 1);
      case '[':
        return Array(depth + 1);
      case '"': {
        std::string_view raw;
        if (!String(&raw)) return false;
        handler_->OtherScalar();
        return true;
      }
      case 't':
        return Literal("true");
      case 'f':
        return Literal("false");
      case 'n':
        return Literal("null");
      default:
        return NumberToken();
    }
  }

  bool Object(int depth) {
    if (depth > kMaxJsonDepth) return false;
    ++pos_;  // '{'
    handler_->StartObject();
    SkipSpace();
    if (Consume('}')) {
      handler_->EndObject();
      return true;
    }
    for (;;) {
      SkipSpace();
      std::string_view raw;
      if (pos_ >= text_.size() || text_[pos_] != '"' || !String(&raw)) return false;
      if (raw.find('\\') == std::string_view::npos) {
        handler_->Key(raw);
      } else {
        std::string key;
        if (!Unescape(raw, &key)) return false;
        handler_->Key(key);
      }
      SkipSpace();
      if (!Consume(':')) return false;
      SkipSpace();
      if (!Value(depth)) return false;
      SkipSpace();
      if (Consume('}')) break;
      if (!Consume(',')) return false;
    }
    handler_->EndObject();
    return true;
  }

  bool Array(int depth) {
    if (depth > kMaxJsonDepth) return false;
    ++pos_;  // '['
    handler_->StartArray();
    SkipSpace();
    if (Consume(']')) {
      handler_->EndArray();
      return true;
    }
    for (;;) {
      SkipSpace();
      if (!Value(depth)) return false;
      SkipSpace();
      if (Consume(']')) break;
      if (!Consume(',')) return false;
    }
    handler_->EndArray();
    return true;
  }

  // A string token starting at '"'; *raw is its content, escapes not decoded.
  bool String(std::string_view* raw) {
    const size_t start = ++pos_;
    bool plain_ascii = true;
    bool escaped = false;
    while (pos_ < text_.size()) {
      const auto c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') {
        *raw = text_.substr(start, pos_ - start);
        ++pos_;
        if (!plain_ascii && !text::IsValidUtf8(*raw)) return false;
        // Escapes are rare: only then is the string decoded, to check \u surrogate pairs.
        std::string scratch;
        return !escaped || Unescape(*raw, &scratch);
      }
      if (c < 0x20) return false;
      if (c >= 0x80) plain_ascii = false;
      if (c == '\\') {
        escaped = true;
        if (++pos_ >= text_.size()) return false;
        const char e = text_[pos_];
        if (e == 'u') {
          if (pos_ + 4 >= text_.size()) return false;
          for (int i = 1; i <= 4; ++i) {
            if (!std::isxdigit(static_cast<unsigned char>(text_[pos_ + i]))) return false;
          }
          pos_ += 4;
        } else if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos) {
          return false;
        }
      }
      ++pos_;
    }
    return false;
  }

  static uint32_t Hex4(std::string_view s) {
    uint32_t v = 0;
    for (char c : s.substr(0, 4)) {
      v = v * 16 +
          static_cast<uint32_t>(std::isdigit(static_cast<unsigned char>(c))
                                    ? c - '0'
                                    : (std::tolower(static_cast<unsigned char>(c)) - 'a' + 10));
    }
    return v;
  }

  // Decodes the escapes of a string whose syntax String() checked.
  static bool Unescape(std::string_view raw, std::string* out) {
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] != '\\') {
        out->push_back(raw[i]);
        continue;
      }
      const char e = raw[++i];
      switch (e) {
        case 'b':
          out->push_back('\b');
          break;
        case 'f':
          out->push_back('\f');
          break;
        case 'n':
          out->push_back('\n');
          break;
        case 'r':
          out->push_back('\r');
          break;
        case 't':
          out->push_back('\t');
          break;
        case 'u': {
          uint32_t cp = Hex4(raw.substr(i + 1));
          i += 4;
          if (cp >= 0xD800 && cp <= 0xDBFF) {  // a high surrogate needs its low half next
            if (i + 6 >= raw.size() || raw[i + 1] != '\\' || raw[i + 2] != 'u') return false;
            const uint32_t low = Hex4(raw.substr(i + 3));
            if (low < 0xDC00 || low > 0xDFFF) return false;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            i += 6;
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return false;
          }
          text::AppendUtf8(static_cast<char32_t>(cp), out);
          break;
        }
        default:
          out->push_back(e);
          break;  // '"', '\\', '/'
      }
    }
    return true;
  }

  static bool IsDigit(char c) { return c >= '0' && c <= '9'; }

  // -? (0 | [1-9][0-9]*) (\.[0-9]+)? ([eE][+-]?[0-9]+)?
  bool NumberToken() {
    const size_t start = pos_;
    Consume('-');
    if (pos_ >= text_.size() || !IsDigit(text_[pos_])) return false;
    if (text_[pos_] == '0') {
      ++pos_;
    } else {
      while (pos_ < text_.size() && IsDigit(text_[pos_])) ++pos_;
    }
    bool integer = true;
    bool negative_exponent = false;
    if (Consume('.')) {
      integer = false;
      if (pos_ >= text_.size() || !IsDigit(text_[pos_])) return false;
      while (pos_ < text_.size() && IsDigit(text_[pos_])) ++pos_;
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      integer = false;
      ++pos_;
      if (Consume('-')) {
        negative_exponent = true;
      } else {
        Consume('+');
      }
      if (pos_ >= text_.size() || !IsDigit(text_[pos_])) return false;
      while (pos_ < text_.size() && IsDigit(text_[pos_])) ++pos_;
    }
    const char* first = text_.data() + start;
    const char* last = text_.data() + pos_;
    if (integer) {
      int64_t n = 0;
      const auto [end, ec] = std::from_chars(first, last, n);
      if (ec == std::errc() && end == last) {
        handler_->Number(static_cast<double>(n), true, n);
        return true;
      }
    }
    double value = 0;
    const auto [end, ec] = std::from_chars(first, last, value);
    if (ec == std::errc::result_out_of_range) {
      // Too small for a double reads as zero; too large is an error, as for nlohmann::json.
      if (!negative_exponent) return false;
      value = text_[start] == '-' ? -0.0 : 0.0;
    } else if (ec != std::errc() || end != last) {
      return false;
    }
    handler_->Number(value, false, 0);
    return true;
  }

  const std::string_view text_;
  JsonHandler* const handler_;
  size_t pos_ = 0;
};

}  // namespace

bool ScanJson(std::string_view text, JsonHandler* handler) { return Scanner(text, handler).Run(); }

}  // namespace roxi::embedders
