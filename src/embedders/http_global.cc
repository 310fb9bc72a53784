#include "src/embedders/http_global.h"

#include <curl/curl.h>

namespace roxi::embedders {

Status InitHttpGlobal() {
  // A function-local static is initialised exactly once, even with concurrent first callers.
  static const CURLcode kInitResult = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (kInitResult != CURLE_OK) {
    return Status::Internal("http client init", curl_easy_strerror(kInitResult));
  }
  return Status::OK();
}

std::string HttpClientVersion() {
  const curl_version_info_data* info = curl_version_info(CURLVERSION_NOW);
  std::string out = "libcurl/";
  out += info->version;
  if (info->ssl_version != nullptr) {
    out += ' ';
    out += info->ssl_version;  // already "Name/version", e.g. "OpenSSL/3.0.17"
  }
  if (info->ares != nullptr) {
    out += " c-ares/";
    out += info->ares;
  }
  if (info->age >= CURLVERSION_SIXTH && info->nghttp2_version != nullptr) {
    out += " nghttp2/";
    out += info->nghttp2_version;
  }
  if (info->libz_version != nullptr) {
    out += " zlib/";
    out += info->libz_version;
  }
  return out;
}

}  // namespace roxi::embedders
