// The options of the API's HTTP server (http_server.h): keys, TLS files, limits and timeouts.
// Apart from the server so that the CLI can validate them without the HTTP library.
//
// Thread-safety: values and a pure function.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "format/status.h"
#include "src/server/http_access.h"

namespace roxi::server {

struct HttpServerOptions {
  ApiKeys keys;
  // PEM files of the server's certificate (chain) and private key; both empty: plain HTTP.
  std::string tls_cert;
  std::string tls_key;
  // Largest request body accepted, bytes. Default: 32 MiB.
  uint64_t max_body_bytes = uint64_t{32} << 20;
  // Open connections at once. Default: 256.
  size_t max_connections = 256;
  // Time a connection may take to send a request's headers, from its accept or the end of its
  // previous request. Default: 10 s.
  std::chrono::milliseconds header_timeout{10000};
  // Time a connection may wait for its next request (keep-alive), whole seconds. Default: 5 s.
  int idle_timeout_seconds = 5;
  // Time one read or write of a body may stall. Default: 30 s.
  int io_timeout_seconds = 30;
};

// The request line and all headers of one request, at most. Larger is refused (400) and the
// connection closed.
inline constexpr uint64_t kMaxHeaderBytes = 64 * 1024;

// InvalidArgument naming the option when a value is out of range or only one TLS file is given.
Status ValidateHttpServerOptions(const HttpServerOptions& options);

}  // namespace roxi::server
