#include "src/server/http_routes.h"

#include <gtest/gtest.h>

#include <set>

namespace roxi::server {
namespace {

TEST(HttpRoutesTest, FindsEachRouteByItsMethodAndPath) {
  for (const HttpRoute& route : HttpRoutes()) {
    const std::string path = std::string(route.path) + (route.prefix ? "some%2Fname" : "");
    const RouteLookup lookup = FindRoute(route.method, path);
    ASSERT_NE(lookup.route, nullptr) << route.method << " " << path;
    EXPECT_EQ(lookup.route->method, route.method);
    EXPECT_EQ(lookup.route->access, route.access);
  }
}

TEST(HttpRoutesTest, OnlyHealthIsPublic) {
  std::set<std::string_view> open;
  for (const HttpRoute& route : HttpRoutes()) {
    if (route.access == Access::kPublic) open.insert(route.path);
  }
  EXPECT_EQ(open, std::set<std::string_view>{"/v1/health"});
}

TEST(HttpRoutesTest, ReadRoutesOnlyRead) {
  for (const HttpRoute& route : HttpRoutes()) {
    if (route.access != Access::kRead) continue;
    const std::string_view p = route.path;
    EXPECT_TRUE(p == "/v1/status" || p == "/v1/search" || p == "/v1/documents" || p == "/metrics")
        << p;
  }
}

TEST(HttpRoutesTest, WrongMethodListsTheAllowedOnes) {
  RouteLookup lookup = FindRoute("GET", "/v1/search");
  EXPECT_EQ(lookup.route, nullptr);
  EXPECT_EQ(lookup.allow, "POST");
  lookup = FindRoute("POST", "/v1/health");
  EXPECT_EQ(lookup.route, nullptr);
  EXPECT_EQ(lookup.allow, "GET");
  lookup = FindRoute("GET", "/v1/documents/delete");
  EXPECT_EQ(lookup.route, nullptr);
  EXPECT_EQ(lookup.allow, "POST, DELETE");
}

TEST(HttpRoutesTest, HeadIsLookedUpAsGet) {
  EXPECT_NE(FindRoute("HEAD", "/v1/health").route, nullptr);
}

TEST(HttpRoutesTest, UnknownPathsHaveNoRouteAndNoAllow) {
  for (const char* path : {"/", "/v1", "/v1/healthz", "/v1/documents/", "/v1/health/", "/etc"}) {
    const RouteLookup lookup = FindRoute("GET", path);
    EXPECT_EQ(lookup.route, nullptr) << path;
    EXPECT_EQ(lookup.allow, "") << path;
  }
}

TEST(HttpRoutesTest, DeleteOfADocumentNamedLikeARouteIsADeletion) {
  const RouteLookup lookup = FindRoute("DELETE", "/v1/documents/delete");
  ASSERT_NE(lookup.route, nullptr);
  EXPECT_TRUE(lookup.route->prefix);
}

}  // namespace
}  // namespace roxi::server
