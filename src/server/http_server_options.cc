#include "src/server/http_server_options.h"

#include <string>

namespace roxi::server {

Status ValidateHttpServerOptions(const HttpServerOptions& o) {
  if (o.tls_cert.empty() != o.tls_key.empty()) {
    return Status::InvalidArgument(o.tls_cert.empty() ? "--tls-key" : "--tls-cert",
                                   "--tls-cert and --tls-key go together");
  }
  if (o.max_body_bytes < 1024) {
    return Status::InvalidArgument("--max-body " + std::to_string(o.max_body_bytes),
                                   "want at least 1024 bytes");
  }
  if (o.max_connections < 2 || o.max_connections > 4096) {
    return Status::InvalidArgument("--max-connections " + std::to_string(o.max_connections),
                                   "want 2..4096");
  }
  if (o.header_timeout.count() < 100) {
    return Status::InvalidArgument("--header-timeout", "want at least 0.1 seconds");
  }
  if (o.idle_timeout_seconds < 1 || o.io_timeout_seconds < 1) {
    return Status::InvalidArgument("--idle-timeout", "want at least 1 second");
  }
  return Status::OK();
}

}  // namespace roxi::server
