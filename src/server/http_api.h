// HttpApi: the daemon's HTTP interface on a loopback address (JSON in, JSON out). Other roxi
// commands use it to reach a running `roxi serve`; so can scripts.
//
//   GET  /v1/health                      {"ok": true}
//   GET  /v1/status[?format=text]        the status document (or {"text": ...})
//   POST /v1/ingest   {"paths": [...], "id"?, "content"?, "chunk_size"?, "chunk_max"?,
//                      "chunk_overlap"?}    the ingest report
//   POST /v1/search   {"query", "k"?, "snippet_bytes"?}   {"results": [...], ...}
//   POST /v1/process  {"target"?: fraction, "retry_failed"?: bool}
//   POST /v1/reembed  {"embedder": packed spec, "batch_size"?} starts a re-embed in the background,
//                     {"target": id}; {"cancel": true} drops the one in progress
//   POST /v1/sleep    {"deep"?: true}     deep sleep now
//   POST /v1/wake
//   POST /v1/shutdown                     stops the server (the batch in flight finishes)
//   POST /v1/backup   {"folder"?, "level"?, "threads"?, "full"?}   the backup report, as
//                                         `roxi backup --json` (the server's folder by default)
//   GET  /metrics                         Prometheus text: counters, state, backups, recoveries
// (The last two, and the backup and health members of the status, once SetMaintenance is called.)
//
// Errors: {"ok": false, "error": {"code": "<status code name>", "message": ...}} with an HTTP status
// that matches (400 invalid argument, 404 not found, 409 busy, 503 unavailable, 500 otherwise).
// Before any handler, http_server.h applies the keys, limits, routes and TLS; POST /v1/ingest reads
// files only under the ingest roots (ingest_roots.h), else 403.
//
// Thread-safety: Start/Stop from the owning thread; handlers run on the server's worker threads
// and call only thread-safe Daemon methods.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "format/status.h"
#include "src/server/daemon.h"
#include "src/server/http_server_options.h"
#include "src/server/maintenance.h"

namespace roxi::server {

// Builds an embedder from a spec as src/cli/embedder_options.h packs it (for POST /v1/reembed).
using EmbedderFactory =
    std::function<Result<std::unique_ptr<embedders::Embedder>>(const std::string& spec)>;

struct HttpApiOptions {
  HttpServerOptions server;
  // Canonical folders under which POST /v1/ingest may read files (ResolveIngestRoots). Default:
  // none, so only text posted as content is accepted.
  std::vector<std::string> ingest_roots;
};

class HttpApi {
 public:
  // REQUIRES: daemon outlives the HttpApi; ValidateHttpServerOptions(options.server) is OK.
  // on_shutdown runs (on a worker thread) when a client asks the server to stop. Without
  // make_embedder, POST /v1/reembed answers NotSupported.
  HttpApi(Daemon* daemon, HttpApiOptions options, std::function<void()> on_shutdown,
          EmbedderFactory make_embedder = {});
  ~HttpApi();
  HttpApi(const HttpApi&) = delete;
  HttpApi& operator=(const HttpApi&) = delete;

  // Binds host:port (port 0: any free port) and starts serving on a thread. InvalidArgument naming
  // the address when it cannot be bound (in use, bad host), or the TLS files when they cannot be
  // loaded.
  Status Start(const std::string& host, int port);
  int port() const { return port_; }
  // Serves backups, /metrics and the maintenance part of the status from `maintenance`.
  // REQUIRES: called before Start; maintenance outlives the HttpApi's serving.
  void SetMaintenance(Maintenance* maintenance);
  // Stops accepting and waits for the serving thread.
  void Stop();

 private:
  void AddMaintenanceRoutes(Daemon* daemon);

  struct Impl;
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
  Daemon* const daemon_for_routes_;
};

// Splits "host:port"; InvalidArgument naming the value when malformed.
Status ParseListenAddress(const std::string& listen, std::string* host, int* port);

}  // namespace roxi::server
