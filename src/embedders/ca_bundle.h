// Which CA certificate bundle HttpClient trusts for https:// URLs.
//
// roxi is one static binary meant to run on machines it was not built on, so the bundle is looked
// up at run time in this order: the configured option (--ca-bundle), $ROXI_CA_BUNDLE,
// $SSL_CERT_FILE (the OpenSSL convention, which libcurl itself does not read), then Debian's system
// bundle, which is also the default compiled into libcurl by tools/build-curl.sh. Empty values
// count as unset.
//
// Thread-safety: ResolveCaBundle reads the environment; do not call it concurrently with setenv().
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace roxi::embedders {

// Debian's (and Ubuntu's) bundle, maintained by the ca-certificates package. Keep in sync with
// kCaBundle in tools/build-curl.sh.
inline constexpr std::string_view kDefaultCaBundle = "/etc/ssl/certs/ca-certificates.crt";

struct CaBundle {
  std::string path;
  // Where `path` came from, for error messages: "option", "ROXI_CA_BUNDLE", "SSL_CERT_FILE" or
  // "default".
  std::string source;
  bool is_default() const { return source == "default"; }
};

// Returns the bundle to use given the configured option. Never fails: whether the file can be read
// is found out, and reported, by the TLS handshake.
CaBundle ResolveCaBundle(const std::optional<std::string>& configured);

}  // namespace roxi::embedders
