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

}  // namespace roxi::common
