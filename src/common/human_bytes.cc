#include "src/common/human_bytes.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace roxi::common {

namespace {

constexpr double kMaxBytes = 1152921504606846976.0;  // 2^60, far beyond any machine's memory

struct Unit {
  const char* name;  // lower case
  double bytes;
};

constexpr Unit kUnits[] = {
    {"", 1},         {"b", 1},
    {"kb", 1e3},     {"mb", 1e6},     {"gb", 1e9},     {"tb", 1e12},
    {"kib", 1024.0}, {"mib", 1048576.0}, {"gib", 1073741824.0}, {"tib", 1099511627776.0},
    {"k", 1024.0},   {"m", 1048576.0},   {"g", 1073741824.0},   {"t", 1099511627776.0},
};

}  // namespace

std::string HumanBytes(uint64_t bytes) {
  const char* units[] = {"B", "KB", "MB", "GB", "TB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1000.0 && unit < 4) {
    value /= 1000.0;
    ++unit;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, unit == 0 ? "%.0f %s" : "%.1f %s", value, units[unit]);
  return buf;
}

Result<uint64_t> ParseByteSize(std::string_view what, std::string_view text) {
  const Status bad = Status::InvalidArgument(
      std::string(what) + " '" + std::string(text) + "'",
      "want a size such as 512MB, 2GiB, 64k or a number of bytes");
  const size_t digits_end = text.find_first_not_of("0123456789.");
  std::string_view number = text.substr(0, digits_end);
  std::string_view unit_text =
      digits_end == std::string_view::npos ? std::string_view() : text.substr(digits_end);
  if (unit_text.starts_with(' ')) unit_text.remove_prefix(1);
  // strtod alone would take "inf", "0x10", " 5", "1e3" or "-1"; a size is digits and one point.
  if (number.empty() || number == "." || number.find('.') != number.rfind('.')) return bad;
  std::string unit;
  for (char c : unit_text) unit += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const Unit* found = nullptr;
  for (const Unit& u : kUnits) {
    if (unit == u.name) found = &u;
  }
  if (found == nullptr) return bad;
  // "1.5" bytes means nothing: a fraction needs a unit that makes it whole bytes.
  if (number.find('.') != std::string_view::npos && found->bytes == 1) return bad;
  const std::string copy(number);
  const double value = std::strtod(copy.c_str(), nullptr) * found->bytes;
  if (!(value >= 0) || value >= kMaxBytes) return bad;
  return static_cast<uint64_t>(std::floor(value));
}

}  // namespace roxi::common
