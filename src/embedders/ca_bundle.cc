#include "src/embedders/ca_bundle.h"

#include <cstdlib>

namespace roxi::embedders {

CaBundle ResolveCaBundle(const std::optional<std::string>& configured) {
  if (configured && !configured->empty()) return {*configured, "option"};
  for (const char* var : {"ROXI_CA_BUNDLE", "SSL_CERT_FILE"}) {
    const char* value = std::getenv(var);
    if (value != nullptr && *value != '\0') return {value, var};
  }
  return {std::string(kDefaultCaBundle), "default"};
}

}  // namespace roxi::embedders
