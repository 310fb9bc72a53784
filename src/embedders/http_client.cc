#include "src/embedders/http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>
#include <utility>

#include "src/embedders/ca_bundle.h"
#include "src/embedders/curl_status.h"
#include "src/embedders/http_global.h"
#include "src/embedders/redacted_url.h"

namespace roxi::embedders {
namespace {

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

// What the callbacks collect during one transfer. Callbacks are C entry points: they catch
// everything, record it here, and make libcurl stop the transfer.
struct Transfer {
  HttpResponse response;
  bool out_of_memory = false;
};

std::string_view TrimWhitespace(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

// Adds one raw header line (CRLF included) to `response`. libcurl reports the header block of
// every response it reads (100 Continue, a proxy's CONNECT reply, the final response), each
// starting with its status line, so a status line starts the list afresh.
void AddHeaderLine(std::string_view line, HttpResponse* response) {
  if (line.starts_with("HTTP/")) {
    response->headers.clear();
    return;
  }
  if (!line.empty() && (line.front() == ' ' || line.front() == '\t')) {
    // An obsolete folded continuation of the previous header's value.
    std::string_view more = TrimWhitespace(line);
    if (!response->headers.empty() && !more.empty()) {
      response->headers.back().value.append(" ").append(more);
    }
    return;
  }
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos) return;  // the blank line ending the block
  HttpHeader header{std::string(TrimWhitespace(line.substr(0, colon))),
                    std::string(TrimWhitespace(line.substr(colon + 1)))};
  std::transform(header.name.begin(), header.name.end(), header.name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  response->headers.push_back(std::move(header));
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) noexcept {
  auto* transfer = static_cast<Transfer*>(user);
  try {
    AddHeaderLine(std::string_view(data, size * count), &transfer->response);
  } catch (...) {
    transfer->out_of_memory = true;
    return 0;  // not size * count: libcurl aborts the transfer with CURLE_WRITE_ERROR
  }
  return size * count;
}

size_t OnBody(char* data, size_t size, size_t count, void* user) noexcept {
  auto* transfer = static_cast<Transfer*>(user);
  try {
    transfer->response.body.append(data, size * count);
  } catch (...) {
    transfer->out_of_memory = true;
    return 0;
  }
  return size * count;
}

bool HasCrOrLf(std::string_view s) { return s.find_first_of("\r\n") != std::string_view::npos; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](unsigned char x, unsigned char y) {
    return std::tolower(x) == std::tolower(y);
  });
}

// Builds libcurl's header list. Names are checked but values are never quoted in errors.
Result<Slist> BuildHeaderList(const std::vector<HttpHeader>& headers, std::string_view what) {
  Slist list;
  bool has_expect = false;
  bool has_content_type = false;
  auto append = [&list](const std::string& line) {
    curl_slist* grown = curl_slist_append(list.get(), line.c_str());
    if (grown == nullptr) return false;
    (void)list.release();  // `grown` is the same list, one element longer
    list.reset(grown);
    return true;
  };
  for (const HttpHeader& h : headers) {
    if (h.name.empty() || h.name.find(':') != std::string::npos || HasCrOrLf(h.name) ||
        HasCrOrLf(h.value)) {
      return Status::InvalidArgument(what, "bad request header '" +
                                               (HasCrOrLf(h.name) ? std::string("?") : h.name) +
                                               "': empty name, ':' in name, or CR/LF");
    }
    has_expect = has_expect || EqualsIgnoreCase(h.name, "expect");
    has_content_type = has_content_type || EqualsIgnoreCase(h.name, "content-type");
    // "Name;" is libcurl's syntax for a header sent with an empty value.
    if (!append(h.value.empty() ? h.name + ";" : h.name + ": " + h.value)) {
      return Status::Internal(what, "out of memory building request headers");
    }
  }
  // "Name:" removes a header libcurl would add on its own: a POST body is not a form unless the
  // caller says so.
  if (!has_content_type && !append("Content-Type:")) {
    return Status::Internal(what, "out of memory building request headers");
  }
  // Without this libcurl sends "Expect: 100-continue" for larger bodies and waits up to a second
  // for servers that never answer it.
  if (!has_expect && !append("Expect:")) {
    return Status::Internal(what, "out of memory building request headers");
  }
  return list;
}

}  // namespace

void HttpClient::CurlDeleter::operator()(void* handle) const { curl_easy_cleanup(handle); }

Result<HttpClient> HttpClient::Create() {
  ROXI_RETURN_IF_ERROR(InitHttpGlobal());
  CurlHandle handle(curl_easy_init());
  if (handle == nullptr) return Status::Internal("http client", "curl_easy_init failed");
  return HttpClient(std::move(handle));
}

Result<HttpResponse> HttpClient::Post(const HttpRequest& request) { return Perform(true, request); }

Result<HttpResponse> HttpClient::Get(const HttpRequest& request) { return Perform(false, request); }

Result<HttpResponse> HttpClient::Perform(bool post, const HttpRequest& request) {
  const std::string what = (post ? "http post " : "http get ") + RedactUrl(request.url);
  if (handle_ == nullptr) return Status::Internal(what, "client was moved from");
  if (request.timeout_ms <= 0 || request.connect_timeout_ms <= 0) {
    return Status::InvalidArgument(
        what, "timeouts must be positive, got timeout_ms=" + std::to_string(request.timeout_ms) +
                  " connect_timeout_ms=" + std::to_string(request.connect_timeout_ms));
  }
  ROXI_ASSIGN_OR_RETURN(Slist headers, BuildHeaderList(request.headers, what));
  const CaBundle ca = ResolveCaBundle(request.ca_bundle);

  CURL* curl = handle_.get();
  Transfer transfer;
  char error_buffer[CURL_ERROR_SIZE] = {};
  // Invariant: between calls the handle holds no pointer into this frame. Declared after everything
  // the handle points to, so it runs first; curl_easy_reset keeps the connection cache, so
  // keep-alive still works.
  struct ResetOnExit {
    CURL* curl;
    ~ResetOnExit() { curl_easy_reset(curl); }
  } reset_on_exit{curl};

  CURLcode rc = CURLE_OK;
  auto check = [&rc](CURLcode step) {
    if (rc == CURLE_OK) rc = step;
  };
  check(curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str()));
  check(curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https"));
  check(curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L));  // never SIGALRM: roxi is multi-threaded
  if (post) {
    check(curl_easy_setopt(curl, CURLOPT_POST, 1L));
    check(curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data()));
    check(curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                           static_cast<curl_off_t>(request.body.size())));
  } else {
    check(curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L));
  }
  check(curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get()));
  check(curl_easy_setopt(curl, CURLOPT_USERAGENT, "roxi/" ROXI_VERSION));
  check(curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, ""));  // every encoding built in (gzip)
  check(curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout_ms)));
  check(curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                         static_cast<long>(request.connect_timeout_ms)));
  check(curl_easy_setopt(curl, CURLOPT_CAINFO, ca.path.c_str()));
  if (!ca.is_default()) {
    // A bundle the user chose is the whole trust store, not an addition to /etc/ssl/certs.
    check(curl_easy_setopt(curl, CURLOPT_CAPATH, nullptr));
  }
  check(curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer));
  check(curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &OnHeader));
  check(curl_easy_setopt(curl, CURLOPT_HEADERDATA, &transfer));
  check(curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &OnBody));
  check(curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer));
  if (rc != CURLE_OK) return CurlTransferError(rc, what, error_buffer, ca);

  rc = curl_easy_perform(curl);
  if (transfer.out_of_memory) return Status::Internal(what, "out of memory reading the response");
  if (rc != CURLE_OK) return CurlTransferError(rc, what, error_buffer, ca);

  long status = 0;
  rc = curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  if (rc != CURLE_OK) return CurlTransferError(rc, what, error_buffer, ca);
  transfer.response.status = static_cast<int>(status);
  return std::move(transfer.response);
}

}  // namespace roxi::embedders
