// ServerClient: how a roxi command reaches the `roxi serve` that owns a data directory. The server
// is found through <data_dir>/roxi.server; a file whose process is gone is stale and ignored.
//
// Thread-safety: one client per thread.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "format/server_file.h"
#include "format/status.h"
#include "src/embedders/http_client.h"

namespace roxi::cli {

class ServerClient {
 public:
  // NotFound when no server runs on data_dir (no file, or its process is gone); Corruption for a
  // damaged server file; Unavailable if the server's process lives but does not answer.
  static Result<ServerClient> Find(const std::string& data_dir);

  // The server's reply document. Errors the server reports come back as the same Status code and
  // message; transport errors as Unavailable/TimedOut naming the server.
  Result<nlohmann::json> Get(const std::string& path);
  Result<nlohmann::json> Post(const std::string& path, const nlohmann::json& body);

  // `text` percent-encoded for a URL query value (RFC 3986: unreserved characters stay).
  static std::string UrlEncode(std::string_view text);

  const format::ServerFileRecord& server() const { return server_; }
  std::string Describe() const;  // "roxi pid 123 at 127.0.0.1:4567"

 private:
  ServerClient(format::ServerFileRecord server, embedders::HttpClient http)
      : server_(std::move(server)), http_(std::move(http)) {}
  Result<nlohmann::json> Decode(const Result<embedders::HttpResponse>& response,
                                const std::string& path) const;

  format::ServerFileRecord server_;
  embedders::HttpClient http_;
};

}  // namespace roxi::cli
