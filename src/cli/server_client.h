// ServerClient: how a roxi command reaches the `roxi serve` that owns a data directory. The server
// is found through <data_dir>/roxi.server; a file whose process is gone is stale and ignored. Each
// request carries the API key of server_access.h as "Authorization: Bearer"; with
// --server-ca-bundle the server is reached over HTTPS, trusting those CAs.
//
// Thread-safety: one client per thread.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "format/server_file.h"
#include "format/status.h"
#include "src/cli/command_line.h"
#include "src/cli/server_access.h"
#include "src/embedders/http_client.h"

namespace roxi::cli {

class ServerClient {
 public:
  // NotFound when no server runs on data_dir (no file, or its process is gone); Corruption for a
  // damaged server file; Unavailable if the server's process lives but does not answer;
  // InvalidArgument for a key file that cannot be used (server_access.h). The key files are read
  // only once a server is found.
  static Result<ServerClient> Find(const std::string& data_dir, const CommonOptions& common);

  // The server's reply document. Errors the server reports come back as the same Status code and
  // message; transport errors as Unavailable/TimedOut naming the server.
  Result<nlohmann::json> Get(const std::string& path);
  Result<nlohmann::json> Post(const std::string& path, const nlohmann::json& body);

  // `text` percent-encoded for a URL query value (RFC 3986: unreserved characters stay).
  static std::string UrlEncode(std::string_view text);

  const format::ServerFileRecord& server() const { return server_; }
  std::string Describe() const;  // "roxi pid 123 at 127.0.0.1:4567"

 private:
  ServerClient(format::ServerFileRecord server, ServerAccess access, embedders::HttpClient http)
      : server_(std::move(server)), access_(std::move(access)), http_(std::move(http)) {}
  embedders::HttpRequest Request(const std::string& path) const;
  Result<nlohmann::json> Decode(const Result<embedders::HttpResponse>& response,
                                const std::string& path) const;

  format::ServerFileRecord server_;
  ServerAccess access_;
  embedders::HttpClient http_;
};

}  // namespace roxi::cli
