#include "src/server/http_server.h"

#include <openssl/err.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <charconv>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string_view>
#include <type_traits>
#include <vector>

#include "src/common/log.h"
#include "src/server/connection_table.h"
#include "src/server/http_error.h"
#include "src/server/http_routes.h"

namespace roxi::server {

namespace {

// Set by the request filter when it answers a request whose body it did not read; read by the
// connection loop on the same thread, which then closes the connection.
thread_local bool t_close_after_response = false;

// httplib's task queue: a thread per connection, so that a connection waiting for a slow client
// holds only its own thread. Threads are kept for reuse; at most max_threads exist. When all are
// taken, on_full (drop the oldest idle connection) frees one.
class ConnectionThreads : public httplib::TaskQueue {
 public:
  ConnectionThreads(size_t max_threads, std::function<void()> on_full,
                    std::function<void()> on_stop)
      : max_threads_(max_threads), on_full_(std::move(on_full)), on_stop_(std::move(on_stop)) {}

  void enqueue(std::function<void()> fn) override {
    bool full = false;
    {
      std::lock_guard lock(mu_);
      jobs_.push_back(std::move(fn));
      if (jobs_.size() > idle_) {
        if (threads_.size() < max_threads_) {
          threads_.emplace_back([this] { Work(); });
        } else {
          full = true;
        }
      }
    }
    cv_.notify_one();
    if (full) on_full_();
  }

  void shutdown() override {
    on_stop_();
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    for (std::thread& t : threads_) t.join();
  }

 private:
  void Work() {
    while (true) {
      std::function<void()> job;
      {
        std::unique_lock lock(mu_);
        ++idle_;
        cv_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
        --idle_;
        if (jobs_.empty()) return;  // stopping, nothing left
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      try {
        job();
      } catch (...) {
        common::LogError("http connection ended by an exception", {});
      }
    }
  }

  const size_t max_threads_;
  const std::function<void()> on_full_;
  const std::function<void()> on_stop_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;  // guarded by mu_
  size_t idle_ = 0;                         // guarded by mu_
  bool stopping_ = false;                   // guarded by mu_
  std::vector<std::thread> threads_;        // touched by enqueue and shutdown, one thread
};

// A stream that lets httplib read at most `limit` bytes: the headers first, then the body the
// filter accepted. Past the limit a read fails, which ends the request and the connection.
class BoundedStream : public httplib::Stream {
 public:
  BoundedStream(httplib::Stream* inner, uint64_t limit) : inner_(inner), limit_(limit) {}
  void AllowMore(uint64_t bytes) { limit_ = read_ + bytes; }

  bool is_readable() const override { return inner_->is_readable(); }
  bool is_writable() const override { return inner_->is_writable(); }
  ssize_t read(char* ptr, size_t size) override {
    if (read_ >= limit_) return -1;
    if (size > limit_ - read_) size = static_cast<size_t>(limit_ - read_);
    const ssize_t n = inner_->read(ptr, size);
    if (n > 0) read_ += static_cast<uint64_t>(n);
    return n;
  }
  ssize_t write(const char* ptr, size_t size) override { return inner_->write(ptr, size); }
  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    inner_->get_remote_ip_and_port(ip, port);
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    inner_->get_local_ip_and_port(ip, port);
  }
  socket_t socket() const override { return inner_->socket(); }

 private:
  httplib::Stream* const inner_;
  uint64_t limit_;
  uint64_t read_ = 0;
};

void ReplyHttpError(httplib::Response& res, int http_status, const std::string& detail) {
  res.status = http_status;
  res.set_content(ReplyBody(ErrorDocumentForHttpStatus(http_status, detail)), "application/json");
}

bool HasBody(const httplib::Request& req) {
  if (req.has_header("Transfer-Encoding")) return true;
  const std::string length = req.get_header_value("Content-Length");
  return !length.empty() && length != "0";
}

// The checks every request passes before its body is read: limits, route, key. True when the
// request was answered here.
bool RefuseEarly(const HttpServerOptions& options, const httplib::Request& req,
                 httplib::Response& res) {
  if (req.has_header("Transfer-Encoding")) {
    ReplyHttpError(res, 411, "chunked or encoded transfers are not accepted; send Content-Length");
    return true;
  }
  const std::string encoding = req.get_header_value("Content-Encoding");
  if (!encoding.empty() && encoding != "identity") {
    ReplyHttpError(res, 415, "Content-Encoding '" + encoding + "' is not accepted");
    return true;
  }
  if (req.has_header("Content-Length")) {
    const std::string text = req.get_header_value("Content-Length");
    uint64_t length = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), length);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() ||
        req.get_header_value_count("Content-Length") != 1) {
      ReplyHttpError(res, 400, "bad Content-Length '" + text + "'");
      return true;
    }
    if (length > options.max_body_bytes) {
      ReplyHttpError(res, 413,
                     "body of " + text + " bytes is over the limit of " +
                         std::to_string(options.max_body_bytes) + " bytes (--max-body)");
      return true;
    }
  } else if (req.method == "POST" || req.method == "PUT" || req.method == "PATCH") {
    ReplyHttpError(res, 411, "Content-Length is required");
    return true;
  }
  const RouteLookup lookup = FindRoute(req.method, req.path);
  if (lookup.route == nullptr) {
    if (lookup.allow.empty()) {
      ReplyHttpError(res, 404, "no route " + req.path);
    } else {
      ReplyHttpError(res, 405, req.method + " is not allowed on " + req.path + "; allowed: " +
                                   lookup.allow);
      res.set_header("Allow", lookup.allow);
    }
    return true;
  }
  const int denied =
      CheckAccess(options.keys, req.get_header_value("Authorization"), lookup.route->access);
  if (denied == 401) {
    ReplyHttpError(res, 401,
                   "missing or wrong API key; send 'Authorization: Bearer <key>' (roxi commands "
                   "send $ROXI_API_KEY or $ROXI_READ_API_KEY)");
    res.set_header("WWW-Authenticate", "Bearer");
    return true;
  }
  if (denied == 403) {
    ReplyHttpError(res, 403, req.method + " " + req.path + " needs the admin key");
    return true;
  }
  return false;
}

// cpp-httplib's server, plain or TLS, whose connections go through the ConnectionTable and a
// BoundedStream.
template <class Base>
class LimitedServer : public Base {
 public:
  template <class... Args>
  LimitedServer(const HttpServerOptions* options, ConnectionTable* table, Args&&... args)
      : Base(std::forward<Args>(args)...), options_(options), table_(table) {}

 private:
  bool process_and_close_socket(socket_t sock) override {
    // httplib writes a reply's headers and body separately: without this, Nagle's algorithm holds
    // the body until the client's delayed ACK of the headers, 40 ms on Linux.
    const int one = 1;
    ::setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    bool ret = false;
    if (table_->Add(sock)) {
      // Whatever happens in the library, the slot is given back and the socket closed.
      try {
        ret = Serve(sock);
      } catch (...) {
        common::LogWarn("http connection ended by an exception", {});
      }
      table_->Remove(sock);
    } else {
      RefuseConnection(sock);
    }
    httplib::detail::shutdown_socket(sock);
    httplib::detail::close_socket(sock);
    return ret;
  }

  bool Serve(socket_t sock) {
    if constexpr (std::is_same_v<Base, httplib::SSLServer>) {
      SSL* ssl = httplib::detail::ssl_new(
          sock, this->ssl_context(), ssl_mutex_,
          [&](SSL* ssl2) {
            return httplib::detail::ssl_connect_or_accept_nonblocking(
                sock, ssl2, SSL_accept, this->read_timeout_sec_, this->read_timeout_usec_);
          },
          [](SSL*) { return true; });
      if (ssl == nullptr) return false;
      const bool ret = Loop(sock, [&] {
        return std::make_unique<httplib::detail::SSLSocketStream>(
            sock, ssl, this->read_timeout_sec_, this->read_timeout_usec_,
            this->write_timeout_sec_, this->write_timeout_usec_);
      }, ssl);
      httplib::detail::ssl_delete(ssl_mutex_, ssl, /*shutdown_gracefully=*/ret);
      return ret;
    } else {
      return Loop(sock, [&] {
        return std::make_unique<httplib::detail::SocketStream>(
            sock, this->read_timeout_sec_, this->read_timeout_usec_, this->write_timeout_sec_,
            this->write_timeout_usec_);
      }, nullptr);
    }
  }

  template <class MakeStream>
  bool Loop(socket_t sock, MakeStream make_stream, SSL* ssl) {
    return httplib::detail::process_server_socket_core(
        this->svr_sock_, sock, this->keep_alive_max_count_, this->keep_alive_timeout_sec_,
        [&](bool close_connection, bool& connection_closed) {
          auto inner = make_stream();
          BoundedStream strm(inner.get(), kMaxHeaderBytes);
          t_close_after_response = false;
          const bool ok = this->process_request(
              strm, close_connection, connection_closed, [&](httplib::Request& req) {
                if (ssl != nullptr) req.ssl = ssl;
                strm.AllowMore(options_->max_body_bytes);
                table_->SetBusy(sock, true);
              });
          table_->SetBusy(sock, false);
          if (t_close_after_response) connection_closed = true;
          return ok;
        });
  }

  // Every slot is busy: a short answer instead of a silent close.
  void RefuseConnection(socket_t sock) {
    const std::string body =
        ReplyBody(ErrorDocumentForHttpStatus(503, "too many connections; try again"));
    const std::string reply = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json"
                              "\r\nConnection: close\r\nContent-Length: " +
                              std::to_string(body.size()) + "\r\n\r\n" + body;
    // Over TLS there is no handshake yet to answer through: the connection just closes.
    if (std::is_same_v<Base, httplib::Server>) {
      [[maybe_unused]] const ssize_t sent = ::send(sock, reply.data(), reply.size(), MSG_NOSIGNAL);
    }
  }

  const HttpServerOptions* const options_;
  ConnectionTable* const table_;
  std::mutex ssl_mutex_;  // guards SSL_new/SSL_free on the context, as httplib's own does
};

}  // namespace

struct HttpServer::Impl {
  explicit Impl(HttpServerOptions o)
      : options(std::move(o)), table(options.max_connections, options.header_timeout) {
    if (options.tls_cert.empty()) {
      server = std::make_unique<LimitedServer<httplib::Server>>(&options, &table);
    } else {
      ERR_clear_error();
      server = std::make_unique<LimitedServer<httplib::SSLServer>>(
          &options, &table, options.tls_cert.c_str(), options.tls_key.c_str());
    }
  }
  HttpServerOptions options;
  ConnectionTable table;
  std::unique_ptr<httplib::Server> server;
  std::thread thread;
};

HttpServer::HttpServer(HttpServerOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {
  httplib::Server& s = *impl_->server;
  const HttpServerOptions* o = &impl_->options;
  ConnectionTable* table = &impl_->table;
  // One more thread than connections, so a new connection can always be taken and evict an idle
  // one.
  s.new_task_queue = [o, table] {
    return new ConnectionThreads(
        o->max_connections + 1, [table] { table->DropOldestIdle(); },
        [table] { table->DropAllIdle(); });
  };
  s.set_keep_alive_max_count(1000);
  s.set_keep_alive_timeout(o->idle_timeout_seconds);
  s.set_read_timeout(o->io_timeout_seconds, 0);
  s.set_write_timeout(o->io_timeout_seconds, 0);
  s.set_payload_max_length(o->max_body_bytes);
  s.set_pre_routing_handler([o](const httplib::Request& req, httplib::Response& res) {
    if (!RefuseEarly(*o, req, res)) return httplib::Server::HandlerResponse::Unhandled;
    if (HasBody(req)) {
      t_close_after_response = true;
      res.set_header("Connection", "close");
    }
    return httplib::Server::HandlerResponse::Handled;
  });
  s.set_error_handler(httplib::Server::HandlerWithResponse(
      [](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    std::string detail = httplib::detail::status_message(res.status);
    if (res.status == 404) detail = "no route " + req.path;
    res.set_content(ReplyBody(ErrorDocumentForHttpStatus(res.status, detail)), "application/json");
    return httplib::Server::HandlerResponse::Handled;
  }));
  s.set_exception_handler(
      [](const httplib::Request& req, httplib::Response& res, std::exception_ptr) {
        res.status = 500;
        res.set_content(ReplyBody(ErrorDocument(Status::Internal("request " + req.path,
                                                                 "exception"))),
                        "application/json");
      });
}

HttpServer::~HttpServer() { Stop(); }

httplib::Server& HttpServer::routes() { return *impl_->server; }

bool HttpServer::tls() const { return !impl_->options.tls_cert.empty(); }

size_t HttpServer::dropped_connections() const { return impl_->table.dropped(); }

Status HttpServer::Start(const std::string& host, int port) {
  httplib::Server& s = *impl_->server;
  if (!s.is_valid()) {
    const unsigned long error = ERR_get_error();
    char text[256] = "unknown error";
    if (error != 0) ERR_error_string_n(error, text, sizeof(text));
    return Status::InvalidArgument(
        "--tls-cert " + impl_->options.tls_cert + " / --tls-key " + impl_->options.tls_key,
        std::string("cannot load the certificate and key (PEM): ") + text);
  }
  const std::string address = host + ":" + std::to_string(port);
  bool bound = false;
  try {
    if (port == 0) {
      const int chosen = s.bind_to_any_port(host);
      bound = chosen > 0;
      if (bound) port_ = chosen;
    } else {
      bound = s.bind_to_port(host, port);
      if (bound) port_ = port;
    }
  } catch (const std::exception& e) {
    return Status::InvalidArgument("listen " + address, e.what());
  }
  if (!bound) {
    return Status::InvalidArgument(
        "listen " + address, "cannot bind (address in use, or not an address of this machine)");
  }
  impl_->thread = std::thread([this] {
    try {
      impl_->server->listen_after_bind();
    } catch (...) {
      common::LogError("http server stopped by an exception", {});
    }
  });
  return Status::OK();
}

void HttpServer::Stop() {
  if (!impl_) return;
  impl_->server->stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

}  // namespace roxi::server
