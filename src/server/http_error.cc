#include "src/server/http_error.h"

#include <string>

namespace roxi::server {

nlohmann::json ErrorDocument(const Status& status) {
  return {{"ok", false},
          {"error",
           {{"code", std::string(Status::CodeName(status.code()))},
            {"message", std::string(status.message())}}}};
}

nlohmann::json ErrorDocumentForHttpStatus(int http_status, const std::string& detail) {
  const std::string what = "HTTP " + std::to_string(http_status);
  if (http_status == 404) return ErrorDocument(Status::NotFound(what, detail));
  if (http_status == 503) return ErrorDocument(Status::Unavailable(what, detail));
  if (http_status >= 400 && http_status < 500) {
    return ErrorDocument(Status::InvalidArgument(what, detail));
  }
  return ErrorDocument(Status::Internal(what, detail));
}

std::string ReplyBody(const nlohmann::json& document) {
  return document.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace roxi::server
