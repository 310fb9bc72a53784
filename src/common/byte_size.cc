#include "src/common/byte_size.h"

#include <cctype>
#include <string>

namespace roxi::common {

Result<uint64_t> ParseByteSize(std::string_view what, std::string_view text, uint64_t min,
                               uint64_t max) {
  const Status bad = Status::InvalidArgument(
      std::string(what) + " " + std::string(text),
      "want a size in bytes, optionally with K, M, G or T (powers of 1024), e.g. 4G");
  size_t i = 0;
  uint64_t number = 0;
  for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i) {
    const uint64_t digit = static_cast<uint64_t>(text[i] - '0');
    if (number > (UINT64_MAX - digit) / 10) return bad;
    number = number * 10 + digit;
  }
  if (i == 0) return bad;
  std::string_view unit = text.substr(i);
  int shift = 0;
  if (!unit.empty()) {
    switch (std::toupper(static_cast<unsigned char>(unit[0]))) {
      case 'K':
        shift = 10;
        break;
      case 'M':
        shift = 20;
        break;
      case 'G':
        shift = 30;
        break;
      case 'T':
        shift = 40;
        break;
      case 'B':
        shift = -1;
        break;
      default:
        return bad;
    }
    unit.remove_prefix(1);
    if (shift < 0) {
      if (!unit.empty()) return bad;
      shift = 0;
    } else if (!(unit.empty() || unit == "B" || unit == "i" || unit == "iB")) {
      return bad;
    }
  }
  if (shift > 0 && number > (UINT64_MAX >> shift)) return bad;
  const uint64_t bytes = number << shift;
  if (bytes < min || bytes > max) {
    return Status::InvalidArgument(
        std::string(what) + " " + std::string(text),
        "want " + std::to_string(min) + " to " + std::to_string(max) + " bytes");
  }
  return bytes;
}

}  // namespace roxi::common
