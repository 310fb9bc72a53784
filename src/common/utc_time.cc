#include "src/common/utc_time.h"

#include <ctime>

namespace roxi::common {

std::string UtcTime(uint64_t unix_micros) {
  if (unix_micros == 0) return "never";
  const auto seconds = static_cast<time_t>(unix_micros / 1000000);
  struct tm utc;
  gmtime_r(&seconds, &utc);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buf;
}

namespace {

// Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (H. Hinnant's algorithm).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

unsigned DaysInMonth(int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

// Reads exactly `digits` decimal digits from the front of *in.
bool TakeNumber(std::string_view* in, size_t digits, unsigned* out) {
  if (in->size() < digits) return false;
  unsigned v = 0;
  for (size_t i = 0; i < digits; ++i) {
    const char c = (*in)[i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  in->remove_prefix(digits);
  *out = v;
  return true;
}

bool TakeChar(std::string_view* in, char c) {
  if (in->empty() || in->front() != c) return false;
  in->remove_prefix(1);
  return true;
}

}  // namespace

Result<uint64_t> ParseUtcTime(std::string_view what, std::string_view text) {
  const Status bad = Status::InvalidArgument(
      std::string(what) + " '" + std::string(text.substr(0, 80)) + "'",
      "want a UTC date or time such as 2026-12-01 or 2026-12-01T08:30:00Z");
  std::string_view in = text;
  unsigned year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!TakeNumber(&in, 4, &year) || !TakeChar(&in, '-') || !TakeNumber(&in, 2, &month) ||
      !TakeChar(&in, '-') || !TakeNumber(&in, 2, &day)) {
    return bad;
  }
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month)) return bad;
  uint64_t micros_of_second = 0;
  int64_t offset_minutes = 0;
  if (!in.empty()) {
    if (!TakeChar(&in, 'T') && !TakeChar(&in, 't') && !TakeChar(&in, ' ')) return bad;
    if (!TakeNumber(&in, 2, &hour) || !TakeChar(&in, ':') || !TakeNumber(&in, 2, &minute)) return bad;
    if (TakeChar(&in, ':')) {
      if (!TakeNumber(&in, 2, &second)) return bad;
      if (TakeChar(&in, '.')) {
        size_t digits = 0;
        uint64_t scale = 100000;
        while (!in.empty() && in.front() >= '0' && in.front() <= '9') {
          micros_of_second += static_cast<uint64_t>(in.front() - '0') * scale;
          scale /= 10;
          in.remove_prefix(1);
          ++digits;
        }
        if (digits == 0) return bad;
      }
    }
    if (hour > 23 || minute > 59 || second > 59) return bad;
    const bool zulu = TakeChar(&in, 'Z') || TakeChar(&in, 'z');
    if (!zulu && !in.empty() && (in.front() == '+' || in.front() == '-')) {
      const int sign = in.front() == '+' ? 1 : -1;
      in.remove_prefix(1);
      unsigned oh = 0, om = 0;
      if (!TakeNumber(&in, 2, &oh)) return bad;
      TakeChar(&in, ':');
      if (!TakeNumber(&in, 2, &om) || oh > 23 || om > 59) return bad;
      offset_minutes = sign * static_cast<int64_t>(oh * 60 + om);
    }
  }
  if (!in.empty()) return bad;
  const int64_t seconds = DaysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 +
                          second - offset_minutes * 60;
  if (seconds < 0) return bad;
  return static_cast<uint64_t>(seconds) * 1000000 + micros_of_second;
}

}  // namespace roxi::common
