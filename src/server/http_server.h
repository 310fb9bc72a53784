// HttpServer: cpp-httplib's server made safe to expose to a network. It adds, before any handler:
//   - limits: a body larger than max_body_bytes is refused with 413 from its Content-Length,
//     before a byte of it is read; chunked or compressed bodies, and bodies without a length, are
//     refused (411, 415); the request line and headers are capped at kMaxHeaderBytes;
//   - connections: one thread per connection, at most max_connections of them; a connection that
//     has not sent its headers within header_timeout, or the oldest such one when the limit is
//     reached, is dropped (connection_table.h), so half-open or slow clients never starve
//     /v1/health;
//   - routing: 404 for an unknown path, 405 with Allow for a wrong method (http_routes.h);
//   - keys: 401 / 403 (http_access.h);
//   - TLS when a certificate and key are given;
//   - every error as the JSON error document (http_error.h), including the library's own (400 for
//     a malformed request, 414, 500 for an exception).
// A request answered before its body was read closes its connection, so the unread body is never
// taken for a next request.
//
// Thread-safety: routes are registered (routes()) before Start; Start and Stop from the owning
// thread; handlers run on the connections' threads.
#pragma once

#include <httplib.h>

#include <memory>
#include <string>
#include <thread>

#include "format/status.h"
#include "src/server/http_server_options.h"

namespace roxi::server {

class HttpServer {
 public:
  // REQUIRES: ValidateHttpServerOptions(options) is OK. A TLS certificate or key that cannot be
  // loaded is reported by Start.
  explicit HttpServer(HttpServerOptions options);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Where handlers are registered. REQUIRES: before Start.
  httplib::Server& routes();

  // Binds host:port (port 0: any free port) and serves on a thread. InvalidArgument naming the
  // address when it cannot be bound, or naming the files when the TLS certificate or key cannot be
  // loaded.
  Status Start(const std::string& host, int port);
  int port() const { return port_; }
  bool tls() const;
  // Stops accepting, drops idle connections, waits for requests in flight and the serving thread.
  void Stop();

  // Connections dropped (limit or header timeout) so far.
  size_t dropped_connections() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
};

}  // namespace roxi::server
