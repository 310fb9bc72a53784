// roxi_serve_load: drives a running `roxi serve` with many concurrent clients for a while and
// reports latency percentiles and errors, per kind of request. Each client keeps one HTTP/1.1
// connection open (reconnecting when the server closes it) and sends, in turn, mostly searches,
// some status reads and some ingests of a short text (so the processor has work throughout).
// A tool behind tools/bench-serve-load.sh; never part of roxi.
//
//   roxi_serve_load PORT CLIENTS SECONDS [API_KEY]
//
// Prints one line per kind: count, errors (no reply, or an HTTP status other than 200), p50, p99.
// Exit 1 if any request failed.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

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

bool SendAll(int fd, const std::string& bytes) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

// The HTTP status of one whole reply read from fd (0: none within 60 s or the connection
// closed); *close when the server asked to close.
int ReadReply(int fd, bool* close) {
  std::string data;
  while (true) {
    const size_t end = data.find("\r\n\r\n");
    if (end != std::string::npos) {
      const std::string head = data.substr(0, end);
      const size_t cl = head.find("Content-Length: ");
      const size_t length = cl == std::string::npos ? 0 : std::stoul(head.substr(cl + 16));
      if (data.size() >= end + 4 + length) {
        int status = 0;
        std::sscanf(head.c_str(), "HTTP/1.%*d %d", &status);
        *close = head.find("Connection: close") != std::string::npos;
        return status;
      }
    }
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 60000) != 1) return 0;
    char buf[65536];
    const ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) return 0;
    data.append(buf, static_cast<size_t>(n));
  }
}

struct Kind {
  explicit Kind(const char* n) : name(n) {}
  const char* name;
  std::mutex mu;
  std::vector<double> millis;
  std::atomic<uint64_t> errors{0};
};

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t i = static_cast<size_t>(p / 100 * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: roxi_serve_load PORT CLIENTS SECONDS [API_KEY]\n");
    return 2;
  }
  const int port = std::atoi(argv[1]);
  const int clients = std::atoi(argv[2]);
  const double seconds = std::atof(argv[3]);
  const std::string auth =
      argc > 4 ? std::string("Authorization: Bearer ") + argv[4] + "\r\n" : std::string();
  Kind search("search"), status("status"), ingest("ingest");
  const auto deadline =
      Clock::now() + std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
  const char* words[] = {"copper", "lantern", "harbor", "meadow", "silver",
                         "river",  "stone",   "window", "garden", "winter"};
  auto client = [&](int id) {
    std::mt19937 rng(static_cast<unsigned>(id));
    int fd = -1;
    uint64_t n = 0;
    while (Clock::now() < deadline) {
      if (fd < 0) fd = Connect(port);
      const unsigned pick = rng() % 20;
      Kind* kind = pick < 14 ? &search : pick < 18 ? &status : &ingest;
      std::string request;
      if (kind == &status) {
        request = "GET /v1/status HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n";
      } else {
        std::string body;
        if (kind == &search) {
          body = std::string("{\"query\": \"") + words[rng() % 10] + " " + words[rng() % 10] +
                 "\", \"k\": 10}";
        } else {
          std::string text;
          for (int w = 0; w < 60; ++w) text += std::string(words[rng() % 10]) + " ";
          body = "{\"id\": \"load/" + std::to_string(id) + "/" + std::to_string(n++) +
                 "\", \"content\": \"" + text + "\"}";
        }
        request = std::string("POST /v1/") + (kind == &search ? "search" : "ingest") +
                  " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" + auth +
                  "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
      }
      const auto start = Clock::now();
      bool close = false;
      const int code = fd >= 0 && SendAll(fd, request) ? ReadReply(fd, &close) : 0;
      const double ms =
          std::chrono::duration<double, std::milli>(Clock::now() - start).count();
      if (code != 200) {
        ++kind->errors;
        close = true;
      } else {
        std::lock_guard lock(kind->mu);
        kind->millis.push_back(ms);
      }
      if (close && fd >= 0) {
        ::close(fd);
        fd = -1;
      }
    }
    if (fd >= 0) ::close(fd);
  };
  std::vector<std::thread> threads;
  for (int i = 0; i < clients; ++i) threads.emplace_back(client, i);
  for (auto& t : threads) t.join();
  uint64_t errors = 0;
  for (Kind* k : {&search, &status, &ingest}) {
    errors += k->errors;
    std::printf("%-7s requests %zu errors %llu p50 %.1f ms p99 %.1f ms\n", k->name,
                k->millis.size(), static_cast<unsigned long long>(k->errors.load()),
                Percentile(k->millis, 50), Percentile(k->millis, 99));
  }
  return errors == 0 ? 0 : 1;
}
