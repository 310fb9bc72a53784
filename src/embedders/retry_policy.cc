#include "src/embedders/retry_policy.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <string>

namespace roxi::embedders {

namespace {

constexpr uint64_t kMicrosPerSecond = 1000000;
// Waits are capped here (a day), so that sums of them cannot overflow.
constexpr uint64_t kMaxWaitMicros = 86400 * kMicrosPerSecond;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Reads exactly `width` decimal digits from the front of *s.
bool TakeNumber(std::string_view* s, size_t width, int* out) {
  if (s->size() < width || !AllDigits(s->substr(0, width))) return false;
  int value = 0;
  for (size_t i = 0; i < width; ++i) value = value * 10 + ((*s)[i] - '0');
  s->remove_prefix(width);
  *out = value;
  return true;
}

bool TakeLiteral(std::string_view* s, std::string_view literal) {
  if (!s->starts_with(literal)) return false;
  s->remove_prefix(literal.size());
  return true;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

// IMF-fixdate (RFC 9110 §5.6.7): "Sun, 06 Nov 1994 08:49:37 GMT". Unix seconds, or nullopt.
std::optional<int64_t> ParseImfFixdate(std::string_view s) {
  static constexpr std::array<std::string_view, 7> kDays = {"Mon", "Tue", "Wed", "Thu",
                                                            "Fri", "Sat", "Sun"};
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (s.size() < 4 || std::find(kDays.begin(), kDays.end(), s.substr(0, 3)) == kDays.end()) {
    return std::nullopt;
  }
  s.remove_prefix(3);
  int day = 0, year = 0, hour = 0, minute = 0, second = 0;
  if (!TakeLiteral(&s, ", ") || !TakeNumber(&s, 2, &day) || !TakeLiteral(&s, " ")) {
    return std::nullopt;
  }
  const auto month = std::find(kMonths.begin(), kMonths.end(), s.substr(0, 3));
  if (s.size() < 3 || month == kMonths.end()) return std::nullopt;
  s.remove_prefix(3);
  if (!TakeLiteral(&s, " ") || !TakeNumber(&s, 4, &year) || !TakeLiteral(&s, " ") ||
      !TakeNumber(&s, 2, &hour) || !TakeLiteral(&s, ":") || !TakeNumber(&s, 2, &minute) ||
      !TakeLiteral(&s, ":") || !TakeNumber(&s, 2, &second) || s != " GMT") {
    return std::nullopt;
  }
  if (day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  const auto m = static_cast<unsigned>(month - kMonths.begin() + 1);
  return DaysFromCivil(year, m, static_cast<unsigned>(day)) * 86400 + hour * 3600 + minute * 60 +
         second;
}

// A non-negative decimal number of seconds ("1", "1.5") as microseconds.
std::optional<uint64_t> ParseSeconds(std::string_view s) {
  double value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size() || !(value >= 0) || !std::isfinite(value)) {
    return std::nullopt;
  }
  const double micros = std::ceil(value * kMicrosPerSecond);
  return micros >= static_cast<double>(kMaxWaitMicros) ? kMaxWaitMicros
                                                       : static_cast<uint64_t>(micros);
}

std::optional<uint64_t> HeaderWait(const HttpResponse& r, std::string_view name) {
  std::optional<std::string_view> v = r.FindHeader(name);
  return v ? ParseResetDuration(*v) : std::nullopt;
}

bool HeaderIsZero(const HttpResponse& r, std::string_view name) {
  std::optional<std::string_view> v = r.FindHeader(name);
  return v && Trim(*v) == "0";
}

std::optional<uint64_t> Longest(std::optional<uint64_t> a, std::optional<uint64_t> b) {
  if (!a) return b;
  if (!b) return a;
  return std::max(*a, *b);
}

}  // namespace

HttpOutcome ClassifyHttpStatus(int status) {
  if (status >= 200 && status < 300) return HttpOutcome::kSuccess;
  if (status == 400 || status == 413 || status == 422) return HttpOutcome::kBadInput;
  if (status == 408 || status == 425 || status == 429) return HttpOutcome::kTransient;
  if (status >= 500 && status < 600 && status != 501 && status != 505) {
    return HttpOutcome::kTransient;
  }
  return HttpOutcome::kConfiguration;
}

std::optional<uint64_t> ParseRetryAfter(std::string_view value, uint64_t now_unix_micros) {
  value = Trim(value);
  if (AllDigits(value)) return ParseSeconds(value);
  const std::optional<int64_t> at = ParseImfFixdate(value);
  if (!at) return std::nullopt;
  const int64_t now_seconds = static_cast<int64_t>(now_unix_micros / kMicrosPerSecond);
  if (*at <= now_seconds) return 0;
  return std::min<uint64_t>(static_cast<uint64_t>(*at - now_seconds) * kMicrosPerSecond,
                            kMaxWaitMicros);
}

std::optional<uint64_t> ParseResetDuration(std::string_view value) {
  value = Trim(value);
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(),
                  [](char c) { return (c >= '0' && c <= '9') || c == '.'; })) {
    return ParseSeconds(value);
  }
  double total_seconds = 0;
  while (!value.empty()) {
    double number = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
    if (ec != std::errc() || !(number >= 0)) return std::nullopt;
    value.remove_prefix(static_cast<size_t>(end - value.data()));
    double unit = 0;
    if (TakeLiteral(&value, "ms")) {
      unit = 1e-3;
    } else if (TakeLiteral(&value, "us")) {
      unit = 1e-6;
    } else if (TakeLiteral(&value, "h")) {
      unit = 3600;
    } else if (TakeLiteral(&value, "m")) {
      unit = 60;
    } else if (TakeLiteral(&value, "s")) {
      unit = 1;
    } else {
      return std::nullopt;
    }
    total_seconds += number * unit;
  }
  if (!std::isfinite(total_seconds)) return std::nullopt;
  const double micros = std::ceil(total_seconds * kMicrosPerSecond);
  return micros >= static_cast<double>(kMaxWaitMicros) ? kMaxWaitMicros
                                                       : static_cast<uint64_t>(micros);
}

ServerWait ReadServerWait(const HttpResponse& response, uint64_t now_unix_micros) {
  ServerWait wait;
  const bool requests_out = HeaderIsZero(response, "x-ratelimit-remaining-requests");
  const bool tokens_out = HeaderIsZero(response, "x-ratelimit-remaining-tokens");
  std::optional<uint64_t> reset;
  if (requests_out) reset = Longest(reset, HeaderWait(response, "x-ratelimit-reset-requests"));
  if (tokens_out) reset = Longest(reset, HeaderWait(response, "x-ratelimit-reset-tokens"));
  wait.pause_micros = reset;
  if (std::optional<std::string_view> v = response.FindHeader("retry-after")) {
    wait.retry_after_micros = ParseRetryAfter(*v, now_unix_micros);
  }
  if (!wait.retry_after_micros && response.status == 429) {
    // A 429 without Retry-After: the reset of whichever limit ran out, or of both if the headers
    // do not say which.
    wait.retry_after_micros = reset ? reset
                                    : Longest(HeaderWait(response, "x-ratelimit-reset-requests"),
                                              HeaderWait(response, "x-ratelimit-reset-tokens"));
  }
  return wait;
}

uint64_t RetryPolicy::BackoffMicros(uint32_t retry, std::mt19937_64* rng) const {
  const uint64_t max_step = options_.max_backoff_ms * 1000;
  uint64_t step = options_.initial_backoff_ms * 1000;
  for (uint32_t i = 1; i < retry && step < max_step; ++i) step *= 2;
  step = std::min(step, max_step);
  if (step == 0) return 0;
  std::uniform_int_distribution<uint64_t> spread(0, step / 2);
  return step - step / 2 + spread(*rng);
}

uint64_t RetryPolicy::ServerWaitMicros(uint64_t server_micros, std::mt19937_64* rng) const {
  const uint64_t max_extra = std::min<uint64_t>(server_micros / 10, kMicrosPerSecond);
  std::uniform_int_distribution<uint64_t> spread(0, max_extra);
  return server_micros + spread(*rng);
}

}  // namespace roxi::embedders
