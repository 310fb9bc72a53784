// HttpRequest and HttpResponse: the plain values of one HTTP exchange made by HttpClient (the
// OpenAI-compatible embedder's transport). No libcurl types appear here.
//
// Thread-safety: plain values; distinct objects may be used from distinct threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace roxi::embedders {

struct HttpHeader {
  std::string name;
  std::string value;
};

struct HttpRequest {
  // Absolute http:// or https:// URL. May carry user:password@, which never appears in errors.
  std::string url;
  // Sent in order, as given. Values (API keys in Authorization) never appear in errors or logs.
  // Names and values must not contain CR or LF. Default: none.
  std::vector<HttpHeader> headers;
  // Request body, sent as is. Without a Content-Type in `headers` none is sent (libcurl's
  // application/x-www-form-urlencoded default is suppressed). Default: empty.
  std::string body;
  // Whole exchange, connect included, in milliseconds; must be > 0. Default: 60000.
  int64_t timeout_ms = 60000;
  // TCP connect plus TLS handshake, in milliseconds; must be > 0. Default: 10000.
  int64_t connect_timeout_ms = 10000;
  // PEM file of trusted CA certificates for https://. Default: unset, meaning $ROXI_CA_BUNDLE, else
  // $SSL_CERT_FILE, else the system bundle (see ca_bundle.h).
  std::optional<std::string> ca_bundle;
};

struct HttpResponse {
  // HTTP status code of the final response, e.g. 200 or 429.
  int status = 0;
  // Headers of the final response (not of a 100 Continue or a proxy's CONNECT reply), in order
  // received, names lower-cased, values with surrounding whitespace removed. Repeats are kept.
  std::vector<HttpHeader> headers;
  // Body, decoded if the server applied a Content-Encoding.
  std::string body;

  // The value of the first header called `lower_name` (which must be lower case), or nullopt.
  std::optional<std::string_view> FindHeader(std::string_view lower_name) const {
    for (const HttpHeader& h : headers) {
      if (h.name == lower_name) return h.value;
    }
    return std::nullopt;
  }
};

}  // namespace roxi::embedders
