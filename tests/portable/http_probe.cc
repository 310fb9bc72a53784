// roxi_http_probe: one HTTP(S) POST through HttpClient, from a program linked exactly like roxi
// (fully static). tools/check-portable.sh runs it inside a bare Debian root file system to prove
// that DNS (c-ares), TLS (OpenSSL) and the CA bundle lookup work with no shared libraries present.
//
// Usage: roxi_http_probe URL
// Prints the HTTP stack, then "status <code>, <n> bytes" and exits 0 when any response arrived;
// prints "roxi_http_probe: error: <status>" to stderr and exits 1 otherwise. The CA bundle comes
// from the environment (ROXI_CA_BUNDLE, SSL_CERT_FILE) or the default, as in roxi.
#include <cstdio>
#include <exception>
#include <string>

#include "src/embedders/http_client.h"
#include "src/embedders/http_global.h"

namespace {

int Run(const std::string& url) {
  using roxi::embedders::HttpClient;
  std::printf("%s\n", roxi::embedders::HttpClientVersion().c_str());
  std::fflush(stdout);  // before any error on stderr, so the two read in order
  roxi::Result<HttpClient> client = HttpClient::Create();
  if (!client.ok()) {
    std::fprintf(stderr, "roxi_http_probe: error: %s\n", client.status().ToString().c_str());
    return 1;
  }
  roxi::embedders::HttpRequest request;
  request.url = url;
  request.timeout_ms = 30000;
  roxi::Result<roxi::embedders::HttpResponse> response = client->Post(request);
  if (!response.ok()) {
    std::fprintf(stderr, "roxi_http_probe: error: %s\n", response.status().ToString().c_str());
    return 1;
  }
  std::printf("status %d, %zu bytes\n", response->status, response->body.size());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: roxi_http_probe URL\n");
    return 2;
  }
  try {
    if (!roxi::embedders::InitHttpGlobal().ok()) {
      std::fprintf(stderr, "roxi_http_probe: error: cannot initialise libcurl\n");
      return 1;
    }
    return Run(argv[1]);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "roxi_http_probe: error: %s\n", e.what());
    return 1;
  }
}
