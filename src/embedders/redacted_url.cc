#include "src/embedders/redacted_url.h"

namespace roxi::embedders {

std::string RedactUrl(std::string_view url) {
  if (size_t hash = url.find('#'); hash != std::string_view::npos) url = url.substr(0, hash);
  std::string_view query;
  if (size_t q = url.find('?'); q != std::string_view::npos) {
    query = url.substr(q);
    url = url.substr(0, q);
  }

  // The authority runs from after "scheme://" to the next '/'; its userinfo ends at the last '@'.
  std::string out;
  size_t authority = 0;
  if (size_t scheme_end = url.find("://"); scheme_end != std::string_view::npos) {
    authority = scheme_end + 3;
  }
  size_t path = url.find('/', authority);
  if (path == std::string_view::npos) path = url.size();
  std::string_view host_part = url.substr(authority, path - authority);
  if (size_t at = host_part.rfind('@'); at != std::string_view::npos) {
    host_part.remove_prefix(at + 1);
  }
  out.append(url.substr(0, authority));
  out.append(host_part);
  out.append(url.substr(path));
  if (!query.empty()) out.append("?<redacted>");
  return out;
}

}  // namespace roxi::embedders
