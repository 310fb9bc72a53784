// HttpClient against a real HTTP server (cpp-httplib) on 127.0.0.1 and a port the kernel picks,
// started and stopped by each test.
#include "src/embedders/http_client.h"

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "tests/support/scoped_env.h"
#include "tests/support/temp_dir.h"

namespace roxi::embedders {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// A port on 127.0.0.1 with nothing listening: bound once to learn a free number, then released.
int UnusedPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  EXPECT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  EXPECT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  ::close(fd);
  return ntohs(addr.sin_port);
}

class HttpClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.set_keep_alive_timeout(1);
    server_.Post("/echo", [this](const httplib::Request& req, httplib::Response& res) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        seen_body_ = req.body;
        seen_authorization_ = req.get_header_value("Authorization");
        seen_content_type_ = req.get_header_value("Content-Type");
        seen_expect_ = req.has_header("Expect");
        seen_has_content_type_ = req.has_header("Content-Type");
      }
      res.set_header("X-RateLimit-Remaining-Requests", "42");
      res.set_header("Retry-After", "  7 ");
      res.set_content("echo:" + req.body, "text/plain");
    });
    server_.Post("/limited", [](const httplib::Request&, httplib::Response& res) {
      res.status = 429;
      res.set_header("Retry-After", "3");
      res.set_content("slow down", "text/plain");
    });
    // Answers only once the test releases it (or after a minute), long past any client timeout.
    server_.Post("/slow", [this](const httplib::Request&, httplib::Response& res) {
      std::unique_lock<std::mutex> lock(mu_);
      released_cv_.wait_for(lock, std::chrono::minutes(1), [this] { return released_; });
      res.set_content("late", "text/plain");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    ASSERT_GT(port_, 0);
    server_thread_ = std::thread([this] { server_.listen_after_bind(); });
    // stop() is a no-op until the accept loop runs, so wait for it; connections queue meanwhile.
    while (!server_.is_running()) std::this_thread::yield();
  }

  void TearDown() override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      released_ = true;
    }
    released_cv_.notify_all();
    server_.stop();
    if (server_thread_.joinable()) server_thread_.join();
  }

  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

  static HttpClient NewClient() {
    Result<HttpClient> client = HttpClient::Create();
    EXPECT_TRUE(client.ok()) << client.status().ToString();
    return std::move(client).value();
  }

  // Requests to 127.0.0.1 must not go through a proxy the environment may name.
  roxi::testing::ScopedEnv no_proxy_{"no_proxy", "127.0.0.1,localhost"};
  roxi::testing::ScopedEnv roxi_ca_bundle_{"ROXI_CA_BUNDLE", std::nullopt};
  roxi::testing::ScopedEnv ssl_cert_file_{"SSL_CERT_FILE", std::nullopt};

  httplib::Server server_;
  std::thread server_thread_;
  int port_ = 0;

  std::mutex mu_;
  std::condition_variable released_cv_;
  bool released_ = false;
  std::string seen_body_;
  std::string seen_authorization_;
  std::string seen_content_type_;
  bool seen_expect_ = false;
  bool seen_has_content_type_ = false;
};

TEST_F(HttpClientTest, PostRoundTripsHeadersAndBody) {
  HttpClient client = NewClient();
  HttpRequest request;
  request.url = Url("/echo");
  request.headers = {{"Authorization", "Bearer secret-token"},
                     {"Content-Type", "application/json"}};
  request.body = R"({"input":["hello"]})";

  Result<HttpResponse> response = client.Post(request);
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, R"(echo:{"input":["hello"]})");
  std::lock_guard<std::mutex> lock(mu_);
  EXPECT_EQ(seen_body_, request.body);
  EXPECT_EQ(seen_authorization_, "Bearer secret-token");
  EXPECT_EQ(seen_content_type_, "application/json");
  EXPECT_FALSE(seen_expect_);
}

TEST_F(HttpClientTest, ReusesTheClientForSeveralRequests) {
  HttpClient client = NewClient();
  for (const std::string body : {"one", "two", "three"}) {
    HttpRequest request;
    request.url = Url("/echo");
    request.body = body;
    Result<HttpResponse> response = client.Post(request);
    ASSERT_TRUE(response.ok()) << response.status().ToString();
    EXPECT_EQ(response->body, "echo:" + body);
  }
}

TEST_F(HttpClientTest, LargeCompressedBodyRoundTrips) {
  HttpClient client = NewClient();
  HttpRequest request;
  request.url = Url("/echo");
  for (int i = 0; request.body.size() < (2 << 20); ++i) request.body += std::to_string(i) + ",";

  Result<HttpResponse> response = client.Post(request);
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body.size(), request.body.size() + 5);
  EXPECT_TRUE(response->body == "echo:" + request.body);  // not EXPECT_EQ: no 2 MiB failure dump
  // The server compressed the reply (libcurl asked for it); the client decoded it.
  EXPECT_EQ(response->FindHeader("content-encoding"), "gzip");
  std::lock_guard<std::mutex> lock(mu_);
  EXPECT_FALSE(seen_expect_);
  // No Content-Type was given, so none is sent (not libcurl's form-urlencoded default).
  EXPECT_FALSE(seen_has_content_type_);
}

TEST_F(HttpClientTest, NonSuccessStatusIsAResponseNotAnError) {
  HttpClient client = NewClient();
  HttpRequest request;
  request.url = Url("/limited");
  Result<HttpResponse> response = client.Post(request);
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->status, 429);
  EXPECT_EQ(response->body, "slow down");
  EXPECT_EQ(response->FindHeader("retry-after"), "3");
}

TEST_F(HttpClientTest, UnknownPathIs404Response) {
  HttpClient client = NewClient();
  HttpRequest request;
  request.url = Url("/nowhere");
  Result<HttpResponse> response = client.Post(request);
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->status, 404);
}

TEST_F(HttpClientTest, ResponseHeaderNamesAreLowerCasedAndValuesTrimmed) {
  HttpClient client = NewClient();
  HttpRequest request;
  request.url = Url("/echo");
  Result<HttpResponse> response = client.Post(request);
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->FindHeader("x-ratelimit-remaining-requests"), "42");
  EXPECT_EQ(response->FindHeader("retry-after"), "7");
  EXPECT_EQ(response->FindHeader("X-RateLimit-Remaining-Requests"), std::nullopt);
  for (const HttpHeader& h : response->headers) {
    for (char c : h.name) EXPECT_FALSE(c >= 'A' && c <= 'Z') << h.name;
    EXPECT_THAT(h.name, Not(HasSubstr("http/")));  // no status line among the headers
  }
}

TEST_F(HttpClientTest, SlowServerTimesOut) {
  HttpClient client = NewClient();
  HttpRequest request;
  request.url = Url("/slow");
  request.timeout_ms = 200;
  Result<HttpResponse> response = client.Post(request);
  ASSERT_FALSE(response.ok());
  EXPECT_TRUE(response.status().IsTimedOut()) << response.status().ToString();
  EXPECT_THAT(std::string(response.status().message()), HasSubstr(Url("/slow")));
}

TEST_F(HttpClientTest, ConnectionRefusedIsUnavailableAndHidesSecrets) {
  HttpClient client = NewClient();
  const std::string base = "http://127.0.0.1:" + std::to_string(UnusedPort());
  HttpRequest request;
  request.url = "http://user:hunter2@" + base.substr(7) + "/v1/embeddings?key=query-secret";
  request.headers = {{"Authorization", "Bearer secret-token"}};
  Result<HttpResponse> response = client.Post(request);
  ASSERT_FALSE(response.ok());
  EXPECT_TRUE(response.status().IsUnavailable()) << response.status().ToString();
  const std::string message(response.status().message());
  EXPECT_THAT(message, HasSubstr("http post " + base + "/v1/embeddings?<redacted>"));
  EXPECT_THAT(message, Not(HasSubstr("secret-token")));
  EXPECT_THAT(message, Not(HasSubstr("hunter2")));
  EXPECT_THAT(message, Not(HasSubstr("query-secret")));
}

TEST_F(HttpClientTest, MissingCaBundleOptionIsIOErrorNamingIt) {
  roxi::testing::TempDir dir;
  HttpClient client = NewClient();
  HttpRequest request;
  request.url = "https://127.0.0.1:" + std::to_string(port_) + "/echo";
  request.ca_bundle = dir.Sub("missing.pem");
  Result<HttpResponse> response = client.Post(request);
  ASSERT_FALSE(response.ok());
  EXPECT_TRUE(response.status().IsIOError()) << response.status().ToString();
  EXPECT_THAT(std::string(response.status().message()),
              HasSubstr("ca bundle " + dir.Sub("missing.pem") + " (from option)"));
}

TEST_F(HttpClientTest, CaBundleComesFromEnvironment) {
  roxi::testing::TempDir dir;
  roxi::testing::ScopedEnv env("ROXI_CA_BUNDLE", dir.Sub("env.pem"));
  HttpClient client = NewClient();
  HttpRequest request;
  request.url = "https://127.0.0.1:" + std::to_string(port_) + "/echo";
  Result<HttpResponse> response = client.Post(request);
  ASSERT_FALSE(response.ok());
  EXPECT_TRUE(response.status().IsIOError()) << response.status().ToString();
  EXPECT_THAT(std::string(response.status().message()),
              HasSubstr("ca bundle " + dir.Sub("env.pem") + " (from ROXI_CA_BUNDLE)"));
}

TEST_F(HttpClientTest, RejectsHeaderInjectionWithoutQuotingTheValue) {
  HttpClient client = NewClient();
  HttpRequest request;
  request.url = Url("/echo");
  request.headers = {{"Authorization", "Bearer secret\r\nX-Evil: 1"}};
  Result<HttpResponse> response = client.Post(request);
  ASSERT_FALSE(response.ok());
  EXPECT_TRUE(response.status().IsInvalidArgument()) << response.status().ToString();
  EXPECT_THAT(std::string(response.status().message()), Not(HasSubstr("secret")));
}

TEST_F(HttpClientTest, RejectsNonPositiveTimeouts) {
  HttpClient client = NewClient();
  HttpRequest request;
  request.url = Url("/echo");
  request.timeout_ms = 0;
  EXPECT_TRUE(client.Post(request).status().IsInvalidArgument());
  request.timeout_ms = 1000;
  request.connect_timeout_ms = -1;
  EXPECT_TRUE(client.Post(request).status().IsInvalidArgument());
}

TEST_F(HttpClientTest, RejectsSchemesOtherThanHttp) {
  HttpClient client = NewClient();
  HttpRequest request;
  request.url = "ftp://127.0.0.1:" + std::to_string(port_) + "/";
  Result<HttpResponse> response = client.Post(request);
  ASSERT_FALSE(response.ok());
  EXPECT_TRUE(response.status().IsInvalidArgument()) << response.status().ToString();
}

}  // namespace
}  // namespace roxi::embedders
