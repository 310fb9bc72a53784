#include "src/embedders/curl_status.h"

#include <string>

#include "format/dcheck.h"

namespace roxi::embedders {

Status CurlTransferError(CURLcode code, std::string_view what, std::string_view curl_message,
                         const CaBundle& ca) {
  ROXI_DCHECK(code != CURLE_OK);
  std::string curl_part =
      " (curl error " + std::to_string(static_cast<int>(code)) + ": " +
      std::string(curl_message.empty() ? curl_easy_strerror(code) : curl_message) + ")";
  const std::string ca_part = "ca bundle " + ca.path + " (from " + ca.source + ")";
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return Status::TimedOut(what, "timed out" + curl_part);

    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return Status::InvalidArgument(what, "bad url" + curl_part);

    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CRL_BADFILE:
      return Status::IOError(
          what, "cannot load " + ca_part + "; set ROXI_CA_BUNDLE to a PEM file" + curl_part);

    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
      // Usually a missing or stale CA bundle, or a TLS-intercepting proxy: name the bundle.
      return Status::Unavailable(what, "tls handshake failed, trusting " + ca_part + curl_part);

    case CURLE_FAILED_INIT:
    case CURLE_NOT_BUILT_IN:
    case CURLE_BAD_FUNCTION_ARGUMENT:
    case CURLE_UNKNOWN_OPTION:
    case CURLE_OUT_OF_MEMORY:
    case CURLE_WRITE_ERROR:  // only our callbacks fail a write, and only when out of memory
    case CURLE_ABORTED_BY_CALLBACK:
      return Status::Internal(what, "http client failed" + curl_part);

    default:
      // DNS, proxy, connect, send/receive, empty or malformed replies, HTTP/2 stream errors.
      return Status::Unavailable(what, "server unreachable" + curl_part);
  }
}

}  // namespace roxi::embedders
