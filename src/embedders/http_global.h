// Process-wide state of the HTTP client library (libcurl, with OpenSSL, c-ares, nghttp2, zlib).
//
// Thread-safety: both functions may be called from any thread. main calls InitHttpGlobal() once at
// start-up, before it starts threads; HttpClient::Create() calls it too, so a forgotten call is not
// a bug, only a later first-use cost.
#pragma once

#include <string>

#include "format/status.h"

namespace roxi::embedders {

// Initialises libcurl and its TLS library; runs curl_global_init only on the first call and
// returns that call's outcome on every call. Internal if the initialisation failed.
Status InitHttpGlobal();

// The HTTP stack linked into this binary, for `roxi --version` and bug reports, e.g.
// "libcurl/7.88.1 OpenSSL/3.0.17 c-ares/1.18.1 nghttp2/1.52.0 zlib/1.2.13". Components that are
// not built in are left out.
std::string HttpClientVersion();

}  // namespace roxi::embedders
