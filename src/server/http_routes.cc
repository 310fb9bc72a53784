#include "src/server/http_routes.h"

namespace roxi::server {

const std::vector<HttpRoute>& HttpRoutes() {
  static const auto* const routes = new std::vector<HttpRoute>{
      {"GET", "/v1/health", false, Access::kPublic},
      {"GET", "/v1/status", false, Access::kRead},
      {"POST", "/v1/search", false, Access::kRead},
      {"GET", "/v1/documents", false, Access::kRead},
      {"GET", "/metrics", false, Access::kRead},
      {"POST", "/v1/ingest", false, Access::kAdmin},
      {"POST", "/v1/documents/delete", false, Access::kAdmin},
      {"DELETE", "/v1/documents/", true, Access::kAdmin},
      {"POST", "/v1/process", false, Access::kAdmin},
      {"POST", "/v1/reembed", false, Access::kAdmin},
      {"POST", "/v1/sleep", false, Access::kAdmin},
      {"POST", "/v1/wake", false, Access::kAdmin},
      {"POST", "/v1/shutdown", false, Access::kAdmin},
      {"POST", "/v1/backup", false, Access::kAdmin},
  };
  return *routes;
}

namespace {

bool Matches(const HttpRoute& route, std::string_view path) {
  if (!route.prefix) return path == route.path;
  return path.size() > route.path.size() && path.substr(0, route.path.size()) == route.path;
}

}  // namespace

RouteLookup FindRoute(std::string_view method, std::string_view path) {
  if (method == "HEAD") method = "GET";
  RouteLookup lookup;
  for (const HttpRoute& route : HttpRoutes()) {
    if (!Matches(route, path)) continue;
    // An exact route wins over a prefix one ("/v1/documents/delete" is not a document name).
    if (route.method == method && (lookup.route == nullptr || !route.prefix)) lookup.route = &route;
    if (lookup.allow.find(route.method) == std::string::npos) {
      if (!lookup.allow.empty()) lookup.allow += ", ";
      lookup.allow += route.method;
    }
  }
  return lookup;
}

}  // namespace roxi::server
