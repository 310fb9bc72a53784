// The one validation of the serve options: `roxi serve` runs it at start and on every SIGHUP
// reload, and `roxi config --effective` runs it too, so a command line or config file that the
// daemon would refuse is refused there as well (exit 2), with the same message.
//
// Thread-safety: pure function (it reads $ROXI_EMBEDDER_API_KEY through ParseEmbedderSpec).
#pragma once

#include <string>

#include "format/status.h"
#include "src/cli/serve_options.h"
#include "src/server/daemon.h"
#include "src/server/folder_sync.h"
#include "src/server/http_server_options.h"
#include "src/server/maintenance.h"

namespace roxi::cli {

// The daemon's settings, made from the raw serve flags.
struct ServeSettings {
  server::DaemonOptions daemon;            // `listen` is left empty: the bound address goes there
  server::MaintenanceOptions maintenance;  // backup folder resolved against the data directory
  std::string host;                        // of --listen
  int port = 0;                            // of --listen; 0 picks any free port
  server::WatchDeletes watch_deletes = server::WatchDeletes::kDelete;  // of --watch-deletes
  // TLS files and limits of the API; its keys are left empty (LoadServerKeys fills them in).
  server::HttpServerOptions http;
};

// True if `host` (of --listen) is a loopback address: 127.0.0.0/8, ::1 or localhost.
bool IsLoopbackHost(const std::string& host);

// Checks every serve flag's value: ranges, durations, the target, the listen address and the
// embedder options. InvalidArgument naming the option and the value at fault.
Result<ServeSettings> ValidateServeFlags(const ServeFlags& flags, const std::string& data_dir);

}  // namespace roxi::cli
