// HttpClient: blocking HTTP POST over libcurl, the transport of the OpenAI-compatible embedder.
//
// One client owns one libcurl easy handle, so consecutive requests to the same server reuse its
// connection (and TLS session). Any HTTP status is a response, not an error: the caller decides
// what 429 or 503 mean (the lower-cased response headers carry Retry-After and x-ratelimit-*).
// Proxies come from the usual environment variables (https_proxy, http_proxy, all_proxy, no_proxy),
// as libcurl reads them. Only http:// and https:// URLs are accepted; redirects are not followed.
//
// Secrets: header values (Authorization) and the userinfo and query of the URL never appear in a
// returned Status; nothing here logs.
//
// Thread-safety: not thread-safe. A client is used by one thread at a time; use one client per
// thread for parallel requests. Distinct clients are independent.
#pragma once

#include <memory>

#include "format/status.h"
#include "src/embedders/http_message.h"

namespace roxi::embedders {

class HttpClient {
 public:
  // Returns a client, initialising libcurl first if InitHttpGlobal() has not run. Internal if
  // libcurl cannot be initialised or cannot allocate a handle.
  static Result<HttpClient> Create();

  HttpClient(HttpClient&&) noexcept = default;
  HttpClient& operator=(HttpClient&&) noexcept = default;
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;
  ~HttpClient() = default;

  // Sends `request` as a POST and returns the final response, whatever its HTTP status. Errors name
  // the (redacted) URL:
  //  - InvalidArgument: a malformed request (timeouts <= 0, CR/LF in a header, bad URL or scheme);
  //  - TimedOut: request.timeout_ms or request.connect_timeout_ms expired;
  //  - Unavailable: DNS, proxy, connect or TLS failure, or the connection broke or closed early;
  //  - IOError: the CA bundle could not be read;
  //  - Internal: out of memory, or libcurl misuse.
  // Blocks for at most about request.timeout_ms.
  Result<HttpResponse> Post(const HttpRequest& request);
  // The same as Post, as a GET without a body (request.body is ignored).
  Result<HttpResponse> Get(const HttpRequest& request);

 private:
  Result<HttpResponse> Perform(bool post, const HttpRequest& request);

  // libcurl's CURL is void, so its easy handle is held as void* and this header needs no curl
  // header.
  struct CurlDeleter {
    void operator()(void* handle) const;  // curl_easy_cleanup
  };
  using CurlHandle = std::unique_ptr<void, CurlDeleter>;
  explicit HttpClient(CurlHandle handle) : handle_(std::move(handle)) {}

  CurlHandle handle_;  // a CURL*; never null, except in a moved-from client
};

}  // namespace roxi::embedders
