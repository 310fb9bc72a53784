#include "src/server/http_access.h"

namespace roxi::server {

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  // Every byte of the longer input is visited, so the time tells at most the lengths.
  const size_t n = a.size() > b.size() ? a.size() : b.size();
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (size_t i = 0; i < n; ++i) {
    const unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
    const unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
    diff |= static_cast<unsigned char>(x ^ y);
  }
  return diff == 0;
}

int CheckAccess(const ApiKeys& keys, std::string_view authorization, Access needed) {
  if (needed == Access::kPublic || !keys.enabled()) return 0;
  constexpr std::string_view kBearer = "Bearer ";
  if (authorization.size() <= kBearer.size() ||
      authorization.substr(0, kBearer.size()) != kBearer) {
    return 401;
  }
  const std::string_view given = authorization.substr(kBearer.size());
  // Both comparisons always run, so the time does not tell which key matched.
  const bool admin = ConstantTimeEquals(given, keys.admin);
  const bool read = !keys.read.empty() && ConstantTimeEquals(given, keys.read);
  if (admin) return 0;
  if (!read) return 401;
  return needed == Access::kRead ? 0 : 403;
}

}  // namespace roxi::server
