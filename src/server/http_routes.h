// The routes of the HTTP API (http_api.h): each method and path with the access it needs. The
// server answers from this table before any handler runs: 404 for a path it does not name, 405
// with an Allow header for a method the path does not take, 401/403 for a missing or too weak key
// (http_access.h). A handler registered in http_api.cc but missing here is unreachable, so the
// two cannot drift apart unnoticed.
//
// Thread-safety: immutable after static initialisation.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "src/server/http_access.h"

namespace roxi::server {

struct HttpRoute {
  std::string_view method;  // "GET", "POST" or "DELETE"
  std::string_view path;    // exact, or a prefix ending in '/' when `prefix`
  bool prefix;              // the path continues with a non-empty tail (a document name)
  Access access;
};

// Every route, in a stable order.
const std::vector<HttpRoute>& HttpRoutes();

struct RouteLookup {
  const HttpRoute* route = nullptr;  // the route for (method, path); null when none
  std::string allow;                 // the methods `path` takes ("GET, POST"); "" for none
};

// The route for `method` on `path`. With no route, `allow` tells 405 (the path exists with other
// methods) from 404. HEAD is looked up as GET.
RouteLookup FindRoute(std::string_view method, std::string_view path);

}  // namespace roxi::server
