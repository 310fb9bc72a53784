// CurlTransferError: how a failed libcurl transfer becomes a roxi Status.
//
// The embedder's retry policy hangs on the code: TimedOut and Unavailable mean "try the batch again
// later"; InvalidArgument, IOError and Internal mean retrying cannot help.
//
// Thread-safety: a pure function.
#pragma once

#include <curl/curl.h>

#include <string_view>

#include "format/status.h"
#include "src/embedders/ca_bundle.h"

namespace roxi::embedders {

// Returns the Status for a transfer that ended with `code` (not CURLE_OK):
//  - TimedOut: the timeout or connect timeout expired;
//  - Unavailable: DNS, proxy, connect, TLS handshake or certificate verification, send or receive
//    failures, an empty or malformed reply: the server could not be reached or did not answer;
//  - InvalidArgument: a malformed URL or a scheme other than http/https;
//  - IOError: the CA bundle `ca` could not be read (the message names it and where it came from);
//  - Internal: libcurl misuse or out of memory.
// The message is "<what>: <summary> (curl error <n>: <curl_message>)". `what` must already be
// redacted (see redacted_url.h); `curl_message` is libcurl's error buffer, or empty to use
// curl_easy_strerror(code).
// REQUIRES: code != CURLE_OK.
Status CurlTransferError(CURLcode code, std::string_view what, std::string_view curl_message,
                         const CaBundle& ca);

}  // namespace roxi::embedders
