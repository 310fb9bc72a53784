#include "src/common/duration.h"

#include <cmath>
#include <cstdlib>
#include <ctime>

namespace roxi::common {

namespace {

constexpr double kMaxMicros = 10.0 * 366 * 24 * 3600 * 1e6;

}  // namespace

Result<uint64_t> ParseDurationMicros(std::string_view what, std::string_view text) {
  const Status bad = Status::InvalidArgument(
      std::string(what) + " " + std::string(text),
      "want a duration such as 90s, 10m or 1h (a number without a unit is seconds)");
  double unit = 1e6;
  std::string_view number = text;
  if (number.ends_with("ms")) {
    unit = 1e3;
    number.remove_suffix(2);
  } else if (number.ends_with('s')) {
    number.remove_suffix(1);
  } else if (number.ends_with('m')) {
    unit = 60e6;
    number.remove_suffix(1);
  } else if (number.ends_with('h')) {
    unit = 3600e6;
    number.remove_suffix(1);
  }
  // strtod alone would take "inf", "0x10", " 5" or "-1"; a duration is digits and one point.
  if (number.empty() || number.find_first_not_of("0123456789.") != std::string_view::npos ||
      number.find('.') != number.rfind('.') || number == ".") {
    return bad;
  }
  const std::string copy(number);
  const double value = std::strtod(copy.c_str(), nullptr) * unit;
  if (!(value >= 0) || value > kMaxMicros) return bad;
  return static_cast<uint64_t>(std::llround(value));
}

std::string FormatDuration(uint64_t micros) {
  if (micros < 1000000) return std::to_string(micros / 1000) + "ms";
  const uint64_t seconds = micros / 1000000;
  if (seconds < 60) {
    const uint64_t tenths = micros / 100000 % 10;
    return std::to_string(seconds) + (tenths != 0 ? "." + std::to_string(tenths) : "") + "s";
  }
  if (seconds < 3600) return std::to_string(seconds / 60) + "m" + std::to_string(seconds % 60) + "s";
  return std::to_string(seconds / 3600) + "h" + std::to_string(seconds / 60 % 60) + "m";
}

std::string FormatUtcTime(uint64_t unix_micros) {
  const auto seconds = static_cast<std::time_t>(unix_micros / 1000000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buf;
}

}  // namespace roxi::common
