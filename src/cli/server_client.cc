#include "src/cli/server_client.h"

#include <cctype>

#include "src/server/server_file_io.h"

namespace roxi::cli {

namespace {

constexpr int64_t kRequestTimeoutMs = 10 * 60 * 1000;  // an ingest of a large folder takes a while

Status::Code CodeFromName(std::string_view name) {
  for (auto code : {Status::Code::kNotFound, Status::Code::kCorruption, Status::Code::kNotSupported,
                    Status::Code::kInvalidArgument, Status::Code::kIOError, Status::Code::kBusy,
                    Status::Code::kUnavailable, Status::Code::kTimedOut, Status::Code::kAborted,
                    Status::Code::kInternal}) {
    if (Status::CodeName(code) == name) return code;
  }
  return Status::Code::kInternal;
}

}  // namespace

Result<ServerClient> ServerClient::Find(const std::string& data_dir,
                                        const CommonOptions& common) {
  ROXI_ASSIGN_OR_RETURN(format::ServerFileRecord record, server::ReadServerFile(data_dir));
  if (!server::ProcessAlive(record.pid)) {
    return Status::NotFound("server", "stale server file (process " + std::to_string(record.pid) +
                                          " is gone)");
  }
  ROXI_ASSIGN_OR_RETURN(ServerAccess access, LoadServerAccess(common));
  ROXI_ASSIGN_OR_RETURN(embedders::HttpClient http, embedders::HttpClient::Create());
  const bool tls = !access.ca_bundle.empty();
  ServerClient client(std::move(record), std::move(access), std::move(http));
  // A live pid may be a reused one: the server must answer.
  auto health = client.Get("/v1/health");
  if (!health.ok()) {
    return Status::Unavailable(
        client.Describe(),
        "does not answer: " + health.status().ToString() +
            (tls ? "" : " (if it serves HTTPS, give --server-ca-bundle)"));
  }
  return client;
}

embedders::HttpRequest ServerClient::Request(const std::string& path) const {
  embedders::HttpRequest request;
  // A server listening on every address is reached on loopback (a TLS certificate names that).
  const std::string host = server_.host == "0.0.0.0" ? "127.0.0.1" : server_.host;
  const bool tls = !access_.ca_bundle.empty();
  request.url = (tls ? "https://" : "http://") + host + ":" + std::to_string(server_.port) + path;
  if (tls) request.ca_bundle = access_.ca_bundle;
  request.timeout_ms = kRequestTimeoutMs;
  request.connect_timeout_ms = 5000;
  if (!access_.key.empty()) request.headers.push_back({"Authorization", "Bearer " + access_.key});
  return request;
}

std::string ServerClient::Describe() const {
  return "roxi pid " + std::to_string(server_.pid) + " at " + server_.host + ":" +
         std::to_string(server_.port);
}

Result<nlohmann::json> ServerClient::Get(const std::string& path) {
  return Decode(http_.Get(Request(path)), path);
}

Result<nlohmann::json> ServerClient::Post(const std::string& path, const nlohmann::json& body) {
  embedders::HttpRequest request = Request(path);
  request.headers.push_back({"Content-Type", "application/json"});
  request.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return Decode(http_.Post(request), path);
}

Result<nlohmann::json> ServerClient::Decode(const Result<embedders::HttpResponse>& response,
                                            const std::string& path) const {
  if (!response.ok()) return response.status().WithContext(Describe());
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(response->body);
  } catch (const std::exception& e) {
    return Status::Internal(Describe() + " " + path, std::string("reply is not JSON: ") + e.what());
  }
  if (response->status / 100 != 2 || !doc.value("ok", false)) {
    std::string code = "internal";
    std::string message = "HTTP status " + std::to_string(response->status);
    if (doc.contains("error") && doc["error"].is_object()) {
      code = doc["error"].value("code", code);
      message = doc["error"].value("message", message);
    }
    return Status::FromCode(CodeFromName(code), message);
  }
  doc.erase("ok");
  return doc;
}

std::string ServerClient::UrlEncode(std::string_view text) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

}  // namespace roxi::cli
