// roxi serve: the long-running daemon that owns a data directory.
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <thread>
#include <cerrno>
#include <chrono>
#include <filesystem>

#include "src/cli/command_line.h"
#include "src/cli/commands.h"
#include "src/cli/embedder_options.h"
#include "src/cli/exit_code.h"
#include "src/cli/serve_options.h"
#include "src/common/clock.h"
#include "src/common/log.h"
#include "src/embedders/fault_injection.h"
#include "src/server/daemon.h"
#include "src/server/folder_watcher.h"
#include "src/server/http_api.h"
#include "src/server/server_file_io.h"

namespace roxi::cli {

namespace {


Result<server::DaemonOptions> DaemonOptionsFrom(const ServeFlags& f) {
  server::DaemonOptions o;
  o.processor.batch_size = f.batch_size;
  ROXI_ASSIGN_OR_RETURN(o.processor.target, processor::ParseTarget(f.target));
  o.processor.max_attempts = f.max_attempts;
  o.processor.name = "process";
  o.poll_min_seconds = f.poll_min;
  o.poll_max_seconds = f.poll_max;
  o.deep_sleep_after_seconds = f.deep_sleep_after;
  o.load.max_load_per_core = f.max_load_per_core;
  o.load.max_memory_pressure = f.max_memory_pressure;
  o.load.min_memory_available = f.min_memory_available;
  o.load_check_seconds = f.load_check_every;
  o.outage_backoff_max_seconds = f.outage_backoff_max;
  o.block_cache_bytes = f.block_cache_mb << 20;
  ROXI_RETURN_IF_ERROR(server::ValidateDaemonOptions(o));
  return o;
}

// Why serve cannot own data_dir when the store is locked: another server, named if it can be.
Status DescribeBusy(const std::string& data_dir, const Status& busy) {
  auto record = server::ReadServerFile(data_dir);
  if (record.ok() && server::ProcessAlive(record->pid)) {
    return Status::Busy("data directory " + data_dir,
                        "already served by roxi pid " + std::to_string(record->pid) + " at " +
                            record->host + ":" + std::to_string(record->port));
  }
  return busy;
}

Status CheckWritableDirectory(const std::string& data_dir) {
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) return Status::IOError("data directory " + data_dir, ec.message());
  if (::access(data_dir.c_str(), W_OK | X_OK) != 0) {
    return Status::IOError("data directory " + data_dir, std::strerror(errno));
  }
  return Status::OK();
}

// The last signal received, set by the handler below. A handler rather than sigwait: OpenBLAS
// starts worker threads from a static constructor, before main, so no signal mask set here
// reaches every thread, and a blocked-signal design would let SIGTERM kill the process outright.
volatile std::sig_atomic_t g_signal = 0;

extern "C" void OnServeSignal(int sig) { g_signal = sig; }

void InstallSignalHandlers() {
  struct sigaction action {};
  action.sa_handler = OnServeSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaction(sig, &action, nullptr);
}

}  // namespace

int RunServe(const CommandArgs& args) {
  CommandLine cl("serve", "roxi serve [options]",
                 "Runs the background processor for a data directory: embeds new chunks as they\n"
                 "arrive, polls with a growing interval when idle, deep-sleeps (drops the index and\n"
                 "caches, returns memory to the OS) after --deep-sleep-after seconds of idleness,\n"
                 "pauses while the machine is busy, backs off while the embedder is unavailable,\n"
                 "and serves an HTTP API on --listen (loopback by default). While it runs, ingest,\n"
                 "status, search, process, sleep and wake on the same data directory talk to it.\n"
                 "SIGTERM/SIGINT stop it after the batch in flight; SIGHUP reloads the config file.\n"
                 "Its address and pid are in <data-dir>/roxi.server.");
  ServeFlags flags;
  AddServeOptions(&cl.options(), &flags);
  if (auto exit = cl.Parse(args)) return *exit;
  auto data_dir = cl.DataDir();
  if (!data_dir.ok()) return cl.Fail(data_dir.status());
  auto options = DaemonOptionsFrom(flags);
  if (!options.ok()) return cl.Fail(options.status());
  std::string host;
  int port = 0;
  if (Status s = server::ParseListenAddress(flags.listen, &host, &port); !s.ok()) return cl.Fail(s);
  for (const auto& folder : flags.watch) {
    std::error_code ec;
    if (!std::filesystem::is_directory(folder, ec)) {
      return cl.Fail(Status::NotFound("--watch " + folder, "not a folder"));
    }
  }
  if (Status s = CheckWritableDirectory(*data_dir); !s.ok()) return cl.Fail(s);

  InstallSignalHandlers();

  storage::StoreOptions store_options;
  store_options.data_dir = *data_dir;
  store_options.block_cache_bytes = options->block_cache_bytes;
  auto store = storage::Store::Open(store_options);
  if (!store.ok()) {
    return cl.Fail(store.status().IsBusy() ? DescribeBusy(*data_dir, store.status()) : store.status());
  }
  if (const std::string log_path = ResolveLogFile(flags.log_file, *data_dir); !log_path.empty()) {
    if (Status s = common::AddLogFile(log_path, flags.log_max_bytes, flags.log_max_files); !s.ok()) {
      return cl.Fail(s);
    }
  }
  auto processing_embedder = OpenEmbedderFor(store->get(), flags.embedder);
  if (!processing_embedder.ok()) return cl.Fail(processing_embedder.status());
  auto query_embedder = OpenEmbedderFor(store->get(), flags.embedder);
  if (!query_embedder.ok()) return cl.Fail(query_embedder.status());

  std::atomic<bool> shutdown_requested{false};
  server::Daemon daemon(store->get(),
                        embedders::WithInjectedFaults(std::move(processing_embedder).value()),
                        std::move(query_embedder).value(), *options);
  // POST /v1/reembed: the new embedder is built here, from the spec the client sends.
  auto make_embedder = [](const std::string& spec) -> Result<std::unique_ptr<embedders::Embedder>> {
    ROXI_ASSIGN_OR_RETURN(embedders::EmbedderOptions options, ParseEmbedderSpec(spec));
    return embedders::CreateEmbedder(options);
  };
  server::HttpApi api(&daemon, [&] { shutdown_requested.store(true); }, make_embedder);
  if (Status s = api.Start(host, port); !s.ok()) return cl.Fail(s);
  const std::string listen = host + ":" + std::to_string(api.port());
  options->listen = listen;
  daemon.UpdateOptions(*options);
  daemon.Start();

  format::ServerFileRecord record;
  record.pid = getpid();
  record.host = host;
  record.port = static_cast<uint32_t>(api.port());
  record.started_at_micros = common::SystemClock().NowMicros();
  record.roxi_version = ROXI_VERSION;
  if (Status s = server::PublishServerFile(*data_dir, record); !s.ok()) {
    api.Stop();
    daemon.Stop();
    return cl.Fail(s);
  }
  // Watched folders: each changed path is ingested on its own, so one file that vanished or is
  // unreadable does not hold up the others.
  std::unique_ptr<server::FolderWatcher> watcher;
  if (!flags.watch.empty()) {
    auto started = server::FolderWatcher::Start(flags.watch, [&daemon](const std::vector<std::string>& paths) {
      for (const auto& path : paths) {
        server::IngestRequest request;
        request.paths = {path};
        auto report = daemon.Ingest(request);
        if (!report.ok()) {
          common::LogWarn("watched path not ingested", {{"path", path}, {"error", report.status()}});
        } else if (report->created + report->replaced > 0) {
          common::LogInfo("watched path ingested", {{"path", path},
                                                    {"created", report->created},
                                                    {"replaced", report->replaced},
                                                    {"chunks", report->chunks_queued}});
        }
      }
    });
    if (!started.ok()) {
      api.Stop();
      daemon.Stop();
      server::RemoveServerFile(*data_dir, getpid());
      return cl.Fail(started.status());
    }
    watcher = std::move(started).value();
  }
  common::LogInfo("serving", {{"data_dir", *data_dir}, {"listen", listen}, {"pid", int64_t{getpid()}}});
  if (!cl.common().json) std::printf("roxi serve: %s on %s (pid %d)\n", data_dir->c_str(), listen.c_str(), getpid());
  std::fflush(stdout);

  int stop_signal = 0;
  while (!shutdown_requested.load()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    const int sig = g_signal;
    g_signal = 0;
    if (sig == SIGHUP) {
      Status reloaded = cl.ReloadConfig();
      auto new_options = reloaded.ok() ? DaemonOptionsFrom(flags) : Result<server::DaemonOptions>(reloaded);
      if (!new_options.ok()) {
        common::LogError("config reload failed; keeping the current settings",
                         {{"error", new_options.status()}});
        continue;
      }
      new_options->listen = listen;
      daemon.UpdateOptions(*new_options);
      common::LogInfo("config reloaded", {});
    } else if (sig == SIGINT || sig == SIGTERM) {
      stop_signal = sig;
      break;
    }
  }
  common::LogInfo("stopping", {{"signal", stop_signal}});
  watcher.reset();
  api.Stop();
  daemon.Stop();
  server::RemoveServerFile(*data_dir, getpid());
  common::LogInfo("stopped", {});
  if (cl.common().json) return cl.Succeed({{"stopped", true}, {"signal", stop_signal}}, "");
  return kExitOk;
}

}  // namespace roxi::cli
