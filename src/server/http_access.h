// Who may call which route of the HTTP API. Two keys, sent as "Authorization: Bearer <key>":
//   admin key: every route;
//   read key:  the routes that only read (search, status, documents, metrics).
// With no key configured every route is open (the API then listens on loopback only; see
// serve_settings). /v1/health is always open, so that supervisors and clients can probe it.
//
// Keys are compared in constant time (for their length) and never appear in a Status or a log.
//
// Thread-safety: pure functions over values.
#pragma once

#include <string>
#include <string_view>

namespace roxi::server {

// What a route needs. Order matters: each level includes the ones before it.
enum class Access { kPublic, kRead, kAdmin };

struct ApiKeys {
  std::string admin;  // "" for none: then every route is open
  std::string read;   // "" for none: only the admin key reads
  bool enabled() const { return !admin.empty(); }
};

// The HTTP status to answer for a request with header `authorization` ("" when absent) to a route
// needing `needed`: 0 when allowed, 401 without a valid key, 403 for a read key on an admin route.
int CheckAccess(const ApiKeys& keys, std::string_view authorization, Access needed);

// True if a and b are equal; the time taken depends on their lengths only.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace roxi::server
