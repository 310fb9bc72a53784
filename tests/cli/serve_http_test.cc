// roxi serve's HTTP API as a network client meets it, through real sockets: keys on every route,
// ingest roots, limits and protocol errors, half-open connections, malformed requests, TLS.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "format/server_file.h"
#include "tests/cli/serve_fixture.h"
#include "tests/support/scoped_env.h"

namespace roxi::testing {
namespace {

namespace fs = std::filesystem;

struct HttpReply {
  int status = 0;  // 0: no reply (the connection closed or timed out first)
  std::string head;
  std::string body;
  nlohmann::json json() const { return nlohmann::json::parse(body, nullptr, false); }
};

int Connect(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Reads until the peer closes, a whole reply (by Content-Length) is in, or `timeout_ms` passes.
HttpReply ReadReply(int fd, int timeout_ms) {
  std::string data;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  HttpReply reply;
  while (true) {
    const size_t end = data.find("\r\n\r\n");
    if (end != std::string::npos) {
      reply.head = data.substr(0, end);
      const size_t cl = reply.head.find("Content-Length: ");
      const size_t length = cl == std::string::npos ? 0 : std::stoul(reply.head.substr(cl + 16));
      if (data.size() >= end + 4 + length) {
        reply.body = data.substr(end + 4, length);
        std::sscanf(reply.head.c_str(), "HTTP/1.%*d %d", &reply.status);
        return reply;
      }
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return reply;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) != 1) return reply;
    char buf[65536];
    const ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) return reply;
    data.append(buf, static_cast<size_t>(n));
  }
}

void SendAll(int fd, const std::string& bytes) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;
    sent += static_cast<size_t>(n);
  }
}

// One request on its own connection.
HttpReply Request(int port, const std::string& method, const std::string& path,
                  const std::string& body = "", const std::string& key = "",
                  int timeout_ms = 30000) {
  const int fd = Connect(port);
  if (fd < 0) return {};
  std::string request = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  if (!key.empty()) request += "Authorization: Bearer " + key + "\r\n";
  if (!body.empty() || method == "POST") {
    request += "Content-Type: application/json\r\nContent-Length: " +
               std::to_string(body.size()) + "\r\n";
  }
  request += "Connection: close\r\n\r\n" + body;
  SendAll(fd, request);
  HttpReply reply = ReadReply(fd, timeout_ms);
  ::close(fd);
  return reply;
}

RunOptions Options(std::map<std::string, std::string> env, double timeout_seconds = 300) {
  RunOptions options;
  options.env = std::move(env);
  options.timeout_seconds = timeout_seconds;
  return options;
}

void ExpectErrorDocument(const HttpReply& r, int status) {
  EXPECT_EQ(r.status, status) << r.head << "\n" << r.body;
  const nlohmann::json doc = r.json();
  ASSERT_TRUE(doc.is_object()) << r.body;
  EXPECT_EQ(doc.value("ok", true), false) << r.body;
  EXPECT_TRUE(doc["error"].is_object()) << r.body;
  EXPECT_FALSE(doc["error"].value("message", "").empty()) << r.body;
}

class ServeHttpTest : public ServeTest {
 protected:
  int Port() {
    std::ifstream in(data_dir() + "/roxi.server", std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto record = format::DecodeServerFile(bytes);
    EXPECT_TRUE(record.ok());
    return record.ok() ? static_cast<int>(record->port) : 0;
  }
  std::string WriteKeyFile(const std::string& name, const std::string& key) {
    const std::string path = dir_.Sub(name);
    WriteFile(path, key + "\n");
    ::chmod(path.c_str(), 0600);
    return path;
  }
};

constexpr char kAdmin[] = "admin-key-0123456789abcdef";
constexpr char kRead[] = "read-key-0123456789abcdef";

struct RouteCase {
  const char* method;
  const char* path;
  const char* body;
  bool admin;
};

// Every route but /v1/health and /v1/shutdown (tried last), with a body that does no harm.
const RouteCase kRoutes[] = {
    {"GET", "/v1/status", "", false},
    {"GET", "/v1/status?format=text", "", false},
    {"POST", "/v1/search", R"({"query": "lantern"})", false},
    {"GET", "/v1/documents", "", false},
    {"GET", "/metrics", "", false},
    {"POST", "/v1/ingest", R"({"id": "note", "content": "a short note about lanterns"})", true},
    {"POST", "/v1/documents/delete", R"({"names": ["absent"], "dry_run": true})", true},
    {"DELETE", "/v1/documents/absent?dry_run=true", "", true},
    {"POST", "/v1/process", "{}", true},
    {"POST", "/v1/reembed", R"({"cancel": true})", true},
    {"POST", "/v1/sleep", "{}", true},
    {"POST", "/v1/wake", "{}", true},
    {"POST", "/v1/backup", "{}", true},
};

TEST_F(ServeHttpTest, KeysGuardEveryRouteButHealth) {
  ScopedEnv admin("ROXI_API_KEY", kAdmin);
  ScopedEnv read("ROXI_READ_API_KEY", kRead);
  auto server = StartServe();
  const int port = Port();

  EXPECT_EQ(Request(port, "GET", "/v1/health").status, 200);
  for (const RouteCase& route : kRoutes) {
    SCOPED_TRACE(std::string(route.method) + " " + route.path);
    HttpReply none = Request(port, route.method, route.path, route.body);
    ExpectErrorDocument(none, 401);
    EXPECT_NE(none.head.find("WWW-Authenticate: Bearer"), std::string::npos) << none.head;
    ExpectErrorDocument(Request(port, route.method, route.path, route.body, "wrong-key"), 401);
    HttpReply as_reader = Request(port, route.method, route.path, route.body, kRead);
    if (route.admin) {
      ExpectErrorDocument(as_reader, 403);
    } else {
      EXPECT_NE(as_reader.status, 0);
      EXPECT_NE(as_reader.status, 401) << as_reader.body;
      EXPECT_NE(as_reader.status, 403) << as_reader.body;
    }
    HttpReply as_admin = Request(port, route.method, route.path, route.body, kAdmin);
    EXPECT_NE(as_admin.status, 0);
    EXPECT_NE(as_admin.status, 401);
    EXPECT_NE(as_admin.status, 403);
    EXPECT_NE(as_admin.status, 405);
    EXPECT_TRUE(as_admin.json().is_object() || route.path == std::string("/metrics"))
        << as_admin.body;
  }
  // The key never reaches the log.
  EXPECT_EQ(ReadFile(server_log()).find(kAdmin), std::string::npos);
  EXPECT_EQ(ReadFile(server_log()).find(kRead), std::string::npos);

  // roxi's own commands send the key: from the environment, or from a file.
  EXPECT_EQ(Roxi("status").exit_code, 0);
  RunResult no_key = Roxi("status", {}, Options({{"ROXI_API_KEY", ""}, {"ROXI_READ_API_KEY", ""}}));
  EXPECT_EQ(no_key.exit_code, 2) << no_key.err;
  EXPECT_NE(no_key.err.find("API key"), std::string::npos) << no_key.err;
  const std::string read_file = WriteKeyFile("read.key", kRead);
  RunResult reader = Roxi("status", {"--read-key-file", read_file},
                          Options({{"ROXI_API_KEY", ""}, {"ROXI_READ_API_KEY", ""}}));
  EXPECT_EQ(reader.exit_code, 0) << reader.err;
  RunResult reader_sleeps = Roxi("sleep", {"--read-key-file", read_file},
                                 Options({{"ROXI_API_KEY", ""}, {"ROXI_READ_API_KEY", ""}}));
  EXPECT_EQ(reader_sleeps.exit_code, 2) << reader_sleeps.err;
  EXPECT_NE(reader_sleeps.err.find("admin key"), std::string::npos) << reader_sleeps.err;

  ExpectErrorDocument(Request(port, "POST", "/v1/shutdown", "{}", kRead), 403);
  EXPECT_EQ(Request(port, "POST", "/v1/shutdown", "{}", kAdmin).status, 200);
  EXPECT_EQ(server->Wait(), 0);
}

TEST_F(ServeHttpTest, WithoutKeysEveryRouteAnswersOnLoopback) {
  auto server = StartServe();
  const int port = Port();
  for (const RouteCase& route : kRoutes) {
    HttpReply r = Request(port, route.method, route.path, route.body);
    EXPECT_NE(r.status, 0) << route.path;
    EXPECT_NE(r.status, 401) << route.path;
    EXPECT_NE(r.status, 405) << route.path;
  }
  EXPECT_EQ(StopServe(&server), 0);
}

TEST_F(ServeHttpTest, ANonLoopbackAddressNeedsAnAdminKey) {
  RunResult refused = Roxi("serve", {"--listen", "0.0.0.0:0"},
                           Options({{"ROXI_API_KEY", ""}}, 60));
  EXPECT_EQ(refused.exit_code, 2) << refused.err;
  EXPECT_NE(refused.err.find("ROXI_API_KEY"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("--admin-key-file"), std::string::npos) << refused.err;
  EXPECT_FALSE(fs::exists(data_dir() + "/roxi.server"));

  // An exposed key file is refused too.
  const std::string key = dir_.Sub("admin.key");
  WriteFile(key, "secret\n");
  ::chmod(key.c_str(), 0644);
  RunResult exposed = Roxi("serve", {"--listen", "0.0.0.0:0", "--admin-key-file", key},
                           Options({}, 60));
  EXPECT_EQ(exposed.exit_code, 2) << exposed.err;
  EXPECT_NE(exposed.err.find("chmod 600"), std::string::npos) << exposed.err;
  EXPECT_EQ(exposed.err.find("secret"), std::string::npos) << exposed.err;

  ::chmod(key.c_str(), 0600);
  ScopedEnv key_file("ROXI_ADMIN_KEY_FILE", key);  // the server's, and its clients'
  auto server = StartServe({"--listen", "0.0.0.0:0"});
  EXPECT_EQ(Request(Port(), "GET", "/v1/status").status, 401);
  EXPECT_EQ(Request(Port(), "GET", "/v1/status", "", "secret").status, 200);
  EXPECT_EQ(StopServe(&server), 0);
}

TEST_F(ServeHttpTest, IngestReadsOnlyUnderItsRoots) {
  const std::string allowed = WriteDoc("allowed/a.txt", "lanterns light the harbor at dusk\n");
  WriteDoc("allowed/sub/b.txt", "copper kettles on the stove\n");
  const std::string secret = WriteDoc("private/secret.txt", "the vault code is 1234\n");
  fs::create_symlink(secret, docs_dir() + "/allowed/sub/escape.txt");
  auto server = StartServe({"--ingest-root", docs_dir() + "/allowed"});
  const int port = Port();

  auto ingest = [&](const std::string& path) {
    return Request(port, "POST", "/v1/ingest", nlohmann::json{{"paths", {path}}}.dump());
  };
  for (const std::string& path :
       {std::string("/etc/passwd"), secret, docs_dir() + "/allowed/../private/secret.txt",
        docs_dir() + "/allowed/sub/escape.txt", docs_dir() + "/allowed/sub",
        docs_dir() + "/allowed", std::string("allowed/a.txt")}) {
    SCOPED_TRACE(path);
    HttpReply r = ingest(path);
    ExpectErrorDocument(r, 403);
  }
  // The link gone, the folder is fine; a file named inside is fine; text needs no root.
  fs::remove(docs_dir() + "/allowed/sub/escape.txt");
  EXPECT_EQ(ingest(docs_dir() + "/allowed").status, 200);
  EXPECT_EQ(ingest(allowed).status, 200);
  EXPECT_EQ(Request(port, "POST", "/v1/ingest", R"({"id": "t", "content": "plain text"})").status,
            200);
  // Through the CLI: exit 2 naming the path and the way out.
  RunResult cli = Roxi("ingest", {secret});
  EXPECT_EQ(cli.exit_code, 2) << cli.err;
  EXPECT_NE(cli.err.find("outside the ingest roots"), std::string::npos) << cli.err;
  EXPECT_NE(cli.err.find("--ingest-root"), std::string::npos) << cli.err;

  const nlohmann::json search = RoxiJson("search", {"vault code", "-k", "10"});
  for (const auto& hit : search["results"]) {
    EXPECT_EQ(hit.dump().find("vault"), std::string::npos) << hit.dump();
  }
  EXPECT_EQ(StopServe(&server), 0);
}

TEST_F(ServeHttpTest, LimitsAndProtocolErrorsAnswerWithJsonErrors) {
  auto server = StartServe({"--max-body", "65536"});
  const int port = Port();

  ExpectErrorDocument(Request(port, "GET", "/v1/nothing"), 404);
  ExpectErrorDocument(Request(port, "GET", "/"), 404);
  HttpReply wrong_method = Request(port, "GET", "/v1/search");
  ExpectErrorDocument(wrong_method, 405);
  EXPECT_NE(wrong_method.head.find("Allow: POST"), std::string::npos) << wrong_method.head;
  HttpReply post_health = Request(port, "POST", "/v1/health", "{}");
  ExpectErrorDocument(post_health, 405);
  EXPECT_NE(post_health.head.find("Allow: GET"), std::string::npos) << post_health.head;
  ExpectErrorDocument(Request(port, "PUT", "/v1/status", "{}"), 405);
  ExpectErrorDocument(Request(port, "POST", "/v1/search", "{not json"), 400);

  // A claimed 1 GB body is refused at once, from its headers, and the connection closed.
  {
    const int fd = Connect(port);
    SendAll(fd, "POST /v1/ingest HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                "Content-Length: 1000000000\r\n\r\n{\"paths\": [");
    HttpReply r = ReadReply(fd, 10000);
    ExpectErrorDocument(r, 413);
    EXPECT_NE(r.head.find("Connection: close"), std::string::npos) << r.head;
    EXPECT_NE(r.body.find("--max-body"), std::string::npos) << r.body;
    ::close(fd);
  }
  // Bodies without a length, chunked or compressed are refused.
  {
    const int fd = Connect(port);
    SendAll(fd, "POST /v1/search HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                "5\r\n{\"q\":\r\nzz\r\n");
    ExpectErrorDocument(ReadReply(fd, 10000), 411);
    ::close(fd);
  }
  {
    const int fd = Connect(port);
    SendAll(fd, "POST /v1/search HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n{}");
    ExpectErrorDocument(ReadReply(fd, 10000), 411);
    ::close(fd);
  }
  {
    const int fd = Connect(port);
    SendAll(fd, "POST /v1/search HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\n"
                "Content-Length: 4\r\n\r\nabcd");
    ExpectErrorDocument(ReadReply(fd, 10000), 415);
    ::close(fd);
  }
  // Headers past the cap end the request with 400 (or a closed connection), not unbounded memory.
  {
    const int fd = Connect(port);
    SendAll(fd, "GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(200000, 'a') +
                    "\r\n\r\n");
    HttpReply r = ReadReply(fd, 10000);
    EXPECT_TRUE(r.status == 0 || r.status == 400) << r.head;
    ::close(fd);
  }
  // Oversize bodies, sent in full, do not grow the server.
  const uint64_t before = ResidentBytesOf(server->pid());
  const std::string big(8 << 20, 'x');
  for (int i = 0; i < 12; ++i) {
    const int fd = Connect(port);
    SendAll(fd, "POST /v1/ingest HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                    std::to_string(big.size()) + "\r\n\r\n" + big);
    ExpectErrorDocument(ReadReply(fd, 10000), 413);
    ::close(fd);
  }
  const uint64_t after = ResidentBytesOf(server->pid());
  RecordProperty("rss_before_oversize_bodies", std::to_string(before));
  RecordProperty("rss_after_oversize_bodies", std::to_string(after));
  EXPECT_LT(after, before + (16u << 20)) << "before " << before << ", after " << after;

  EXPECT_EQ(Request(port, "GET", "/v1/health").status, 200);
  EXPECT_EQ(StopServe(&server), 0);
}

// Times GET /v1/health on a fresh connection, in milliseconds (-1 when it does not answer).
double HealthMillis(int port) {
  const auto start = std::chrono::steady_clock::now();
  HttpReply r = Request(port, "GET", "/v1/health", "", "", 5000);
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() -
                                                              start).count();
  return r.status == 200 ? ms : -1;
}

TEST_F(ServeHttpTest, HalfOpenConnectionsNeverStarveHealth) {
  auto server = StartServe();
  const int port = Port();
  // 256 clients that start a request and never finish its headers.
  std::vector<int> half_open;
  for (int i = 0; i < 256; ++i) {
    const int fd = Connect(port);
    ASSERT_GE(fd, 0);
    SendAll(fd, "GET /v1/status HTTP/1.1\r\nHost: x\r\nX-Slow: ");
    half_open.push_back(fd);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // all accepted and waiting
  double ms = HealthMillis(port);
  if (ms < 0 || ms > 100) ms = HealthMillis(port);  // one retry on a loaded machine
  RecordProperty("health_ms_with_256_half_open", std::to_string(ms));
  EXPECT_GE(ms, 0);
  EXPECT_LE(ms, 100);
  // They are dropped by the header timeout; the server goes on.
  for (int fd : half_open) ::close(fd);
  EXPECT_EQ(Request(port, "GET", "/v1/health").status, 200);
  EXPECT_EQ(StopServe(&server), 0);
}

TEST_F(ServeHttpTest, SlowHeadersAreCutAtTheHeaderTimeout) {
  auto server = StartServe({"--header-timeout", "1"});
  const int fd = Connect(Port());
  SendAll(fd, "GET /v1/status HTTP/1.1\r\n");
  // A byte every 300 ms would keep a per-read timeout happy forever.
  bool closed = false;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!closed && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    if (::send(fd, "X", 1, MSG_NOSIGNAL) != 1) closed = true;
    pollfd p{fd, POLLIN, 0};
    char byte;
    if (::poll(&p, 1, 0) == 1 && ::recv(fd, &byte, 1, MSG_DONTWAIT) <= 0) closed = true;
  }
  EXPECT_TRUE(closed);
  ::close(fd);
  EXPECT_EQ(StopServe(&server), 0);
}

// Malformed requests of every kind, on many connections at once; afterwards the server is alive
// and answers.
TEST_F(ServeHttpTest, MalformedRequestsNeverCrashOrHangTheServer) {
  auto server = StartServe({"--header-timeout", "2"});
  const int port = Port();
  constexpr int kCases = 10000;
  constexpr int kThreads = 16;
  std::atomic<int> next{0};
  std::atomic<int> answered{0};
  const auto start = std::chrono::steady_clock::now();
  auto worker = [&](int seed) {
    std::mt19937_64 rng(static_cast<uint64_t>(seed));
    auto random_bytes = [&](size_t n) {
      std::string s(n, '\0');
      for (char& c : s) c = static_cast<char>(rng());
      return s;
    };
    const std::string valid =
        "POST /v1/search HTTP/1.1\r\nHost: x\r\nContent-Length: 19\r\n\r\n{\"query\": \"harbor\"}";
    for (int i = next++; i < kCases; i = next++) {
      std::string request;
      switch (i % 8) {
        case 0: request = random_bytes(rng() % 2048); break;
        case 1: request = valid.substr(0, rng() % valid.size()); break;  // truncated
        case 2: {  // one byte of a valid request flipped
          request = valid;
          request[rng() % request.size()] = static_cast<char>(rng());
          break;
        }
        case 3:
          request = "POST /v1/ingest HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" +
                    random_bytes(rng() % 64) + "\r\n0\r\n\r\n";
          break;
        case 4:
          request = "GET /v1/status HTTP/1.1\r\nHost: x\r\nX-Big: " +
                    std::string(20000 + rng() % 100000, 'h') + "\r\n\r\n";
          break;
        case 5: {  // many headers
          request = "GET /v1/health HTTP/1.1\r\n";
          for (int h = 0; h < 2000; ++h) request += "X-" + std::to_string(h) + ": v\r\n";
          request += "\r\n";
          break;
        }
        case 6:
          request = "POST /v1/search HTTP/1.1\r\nContent-Length: " +
                    std::to_string(static_cast<int64_t>(rng())) + "\r\n\r\n{}";
          break;
        default:
          request = std::string("GET ") + "/v1/" + random_bytes(rng() % 300) + " HTTP/1.1\r\n\r\n";
          break;
      }
      const int fd = Connect(port);
      if (fd < 0) continue;
      SendAll(fd, request);
      ::shutdown(fd, SHUT_WR);
      if (ReadReply(fd, 5000).status != 0) ++answered;
      ::close(fd);
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) threads.emplace_back(worker, t + 1);
  for (auto& t : threads) t.join();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  RecordProperty("malformed_cases", kCases);
  RecordProperty("malformed_seconds", std::to_string(seconds));
  RecordProperty("malformed_answered", answered.load());
  EXPECT_TRUE(server->Running());
  EXPECT_EQ(Request(port, "GET", "/v1/health").status, 200);
  EXPECT_EQ(RoxiJson("status")["server"]["pid"], server->pid());
  EXPECT_EQ(StopServe(&server), 0);
}

// A self-signed certificate for 127.0.0.1 made with the openssl tool; false when there is none.
bool MakeCertificate(const std::string& cert, const std::string& key) {
  if (!fs::exists("/usr/bin/openssl")) return false;
  RunResult r = Run("/usr/bin/openssl",
                    {"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                     "-days", "2", "-subj", "/CN=roxi-test", "-addext",
                     "subjectAltName=IP:127.0.0.1"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  ::chmod(key.c_str(), 0600);
  return r.exit_code == 0;
}

TEST_F(ServeHttpTest, TlsRoundTripWithTheGivenCa) {
  const std::string cert = dir_.Sub("cert.pem");
  const std::string key = dir_.Sub("key.pem");
  if (!MakeCertificate(cert, key)) GTEST_SKIP() << "no /usr/bin/openssl to make a certificate";
  WriteDoc("tls/a.txt", "lanterns light the harbor at dusk\n");

  // Refused at start: one file without the other, or files that are no certificate.
  RunResult half = Roxi("serve", {"--tls-cert", cert}, Options({}, 60));
  EXPECT_EQ(half.exit_code, 2) << half.err;
  EXPECT_NE(half.err.find("--tls-key"), std::string::npos) << half.err;
  RunResult bad = Roxi("serve", {"--tls-cert", key, "--tls-key", key}, Options({}, 60));
  EXPECT_EQ(bad.exit_code, 2) << bad.err;
  EXPECT_NE(bad.err.find("--tls-cert"), std::string::npos) << bad.err;

  ScopedEnv trust("ROXI_SERVER_CA_BUNDLE", cert);  // every command here trusts it
  ScopedEnv admin("ROXI_API_KEY", kAdmin);
  auto server = StartServe({"--tls-cert", cert, "--tls-key", key});
  const int port = Port();
  RunResult ingest = Roxi("ingest", {docs_dir() + "/tls"});
  ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
  WaitForStatus([](const nlohmann::json& s) { return s.value("pending", 1) == 0; });
  const nlohmann::json search = RoxiJson("search", {"harbor lanterns"});
  ASSERT_EQ(search["results"].size(), 1u);

  // Plain HTTP gets no HTTP reply; a client without the CA, or with another one, is refused.
  EXPECT_EQ(Request(port, "GET", "/v1/health", "", "", 5000).status, 0);
  RunResult untrusted = Roxi("status", {}, Options({{"ROXI_SERVER_CA_BUNDLE", ""}}));
  EXPECT_NE(untrusted.exit_code, 0);
  EXPECT_NE(untrusted.err.find("--server-ca-bundle"), std::string::npos) << untrusted.err;
  const std::string other_cert = dir_.Sub("other.pem");
  ASSERT_TRUE(MakeCertificate(other_cert, dir_.Sub("other.key")));
  RunResult wrong_ca = Roxi("status", {"--server-ca-bundle", other_cert});
  EXPECT_NE(wrong_ca.exit_code, 0) << wrong_ca.out;
  EXPECT_EQ(StopServe(&server), 0);
}

}  // namespace
}  // namespace roxi::testing
