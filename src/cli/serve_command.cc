// roxi serve: the long-running daemon that owns a data directory.
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <optional>
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
#include "src/cli/serve_settings.h"
#include "src/cli/server_access.h"
#include "src/common/clock.h"
#include "src/common/log.h"
#include "src/embedders/fault_injection.h"
#include "src/server/auto_recovery.h"
#include "src/server/daemon.h"
#include "src/server/folder_sync.h"
#include "src/server/folder_watcher.h"
#include "src/server/http_api.h"
#include "src/server/ingest_roots.h"
#include "src/server/maintenance.h"
#include "src/server/server_file_io.h"
#include "src/server/systemd_notify.h"
#include "storage/file_privacy.h"

namespace roxi::cli {

namespace {


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
  ROXI_RETURN_IF_ERROR(storage::CreatePrivateDirectories(data_dir));
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

// Logs a recovery the way an operator needs to read it: what was wrong, what was restored, what
// is ingested again and what is lost.
void LogRecovery(const server::RecoveryReport& r) {
  common::LogError("store restored automatically",
                   {{"reason", r.reason},
                    {"archive", r.archive},
                    {"damaged_store_kept_in", r.damaged_store_kept_in},
                    {"requeue", uint64_t{r.requeue.size()}},
                    {"lost", uint64_t{r.lost.size()}}});
  for (const auto& lost : r.lost) common::LogError("document not recovered", {{"document", lost}});
  if (!r.note.empty()) common::LogWarn("recovery note", {{"note", r.note}});
}

// Ingests `paths` again through the daemon (after a restore), one at a time so that one bad file
// does not hold up the others.
void IngestAgain(server::Daemon* daemon, const std::vector<std::string>& paths,
                 server::RecoveryReport* report) {
  for (const auto& path : paths) {
    server::IngestRequest request;
    request.paths = {path};
    auto ingested = daemon->Ingest(request);
    if (!ingested.ok()) {
      common::LogError("document not recovered", {{"path", path}, {"error", ingested.status()}});
      report->lost.push_back(path + " (" + ingested.status().ToString() + ")");
    } else {
      common::LogInfo("ingested again after restore", {{"path", path}});
    }
  }
}

}  // namespace

int RunServe(const CommandArgs& args) {
  CommandLine cl("serve", "roxi serve [options]",
                 "Runs the background processor for a data directory: embeds new chunks as they\n"
                 "arrive, polls with a growing interval when idle, deep-sleeps (drops the index and\n"
                 "caches, returns memory to the OS) after --deep-sleep-after seconds of idleness,\n"
                 "pauses while the machine is busy, backs off while the embedder is unavailable,\n"
                 "and serves an HTTP API on --listen (loopback by default). While it runs, ingest,\n"
                 "status, search, process, sleep, wake and backup on the same data directory talk\n"
                 "to it. It takes backups every --backup-every into --backup-dir and thins them\n"
                 "out (--keep-last, --keep-daily, --keep-weekly), checks the store on open and\n"
                 "every --check-every seconds, and restores the newest verified archive when the\n"
                 "store is damaged, ingesting again what was added since (unless\n"
                 "--no-auto-restore).\n"
                 "SIGTERM/SIGINT stop it after the batch in flight; SIGHUP reloads the config file.\n"
                 "Its address and pid are in <data-dir>/roxi.server.");
  ServeFlags flags;
  AddServeOptions(&cl.options(), &flags);
  if (auto exit = cl.Parse(args)) return *exit;
  auto data_dir = cl.DataDir();
  if (!data_dir.ok()) return cl.Fail(data_dir.status());
  auto settings = ValidateServeFlags(flags, *data_dir);
  if (!settings.ok()) return cl.Fail(settings.status());
  server::DaemonOptions options = settings->daemon;
  server::MaintenanceOptions maintenance_options = settings->maintenance;
  const std::string host = settings->host;
  int port = settings->port;
  for (const auto& folder : flags.watch) {
    std::error_code ec;
    if (!std::filesystem::is_directory(folder, ec)) {
      return cl.Fail(Status::NotFound("--watch " + folder, "not a folder"));
    }
  }
  server::HttpApiOptions api_options;
  api_options.server = settings->http;
  auto keys = LoadServerKeys(cl.common());
  if (!keys.ok()) return cl.Fail(keys.status());
  api_options.server.keys = std::move(keys).value();
  if (!IsLoopbackHost(host) && !api_options.server.keys.enabled()) {
    return cl.Fail(Status::InvalidArgument(
        "--listen " + flags.listen,
        "refusing to serve a non-loopback address without an admin key: set ROXI_API_KEY, or "
        "--admin-key-file FILE (a file only its owner can read)"));
  }
  {
    std::vector<std::string> roots = flags.ingest_root;
    roots.insert(roots.end(), flags.watch.begin(), flags.watch.end());
    auto resolved = server::ResolveIngestRoots(roots, "--ingest-root");
    if (!resolved.ok()) return cl.Fail(resolved.status());
    api_options.ingest_roots = std::move(resolved).value();
  }
  if (cl.common().strict_permissions) {
    // Refused before anything is written; without strictness each backup notes an exposed folder.
    auto privacy = storage::SecureDataDir(*data_dir, /*read_write=*/false, /*strict=*/true);
    if (!privacy.ok()) return cl.Fail(privacy.status());
    auto backups =
        storage::SecureBackupFolder(maintenance_options.backups.folder, /*strict=*/true);
    if (!backups.ok()) return cl.Fail(backups.status());
  }
  if (Status s = CheckWritableDirectory(*data_dir); !s.ok()) return cl.Fail(s);

  InstallSignalHandlers();

  storage::StoreOptions store_options =
      cl.StoreOptionsFor(*data_dir, storage::StoreOptions::Mode::kReadWrite);
  store_options.block_cache_bytes = options.block_cache_bytes;
  // Each turn of this loop is one serving session over one open store. A session ends for good on
  // a stop request; it ends and a new one begins when the health check finds the store damaged
  // while automatic restore is on: the store is closed, restored, and served again on the same
  // address.
  std::vector<server::RecoveryReport> recoveries;
  std::optional<server::RecoveryReport> pending_recovery;
  bool announced = false;
  int stop_signal = 0;
  while (true) {
    std::optional<server::RecoveryReport> recovery = std::move(pending_recovery);
    pending_recovery.reset();
    server::OpenForServingOptions open_options;
    open_options.store = store_options;
    open_options.backup_folder = maintenance_options.backups.folder;
    open_options.auto_restore = maintenance_options.auto_restore;
    auto store = server::OpenForServing(open_options, &recovery);
    if (!store.ok()) {
      return cl.Fail(store.status().IsBusy() ? DescribeBusy(*data_dir, store.status()) : store.status());
    }
    if (const std::string log_path = ResolveLogFile(flags.log_file, *data_dir); !log_path.empty()) {
      if (Status s = common::AddLogFile(log_path, flags.log_max_bytes, flags.log_max_files); !s.ok()) {
        return cl.Fail(s);
      }
    }
    if (recovery) LogRecovery(*recovery);
    auto processing_embedder = OpenEmbedderFor(store->get(), flags.embedder);
    if (!processing_embedder.ok()) return cl.Fail(processing_embedder.status());
    auto query_embedder = OpenEmbedderFor(store->get(), flags.embedder);
    if (!query_embedder.ok()) return cl.Fail(query_embedder.status());

    std::atomic<bool> shutdown_requested{false};
    std::atomic<bool> damaged{false};
    std::atomic<bool> auto_restore{maintenance_options.auto_restore};  // SIGHUP may change it
    std::mutex damage_mu;
    std::string damage;
    server::Daemon daemon(store->get(),
                          embedders::WithInjectedFaults(std::move(processing_embedder).value()),
                          std::move(query_embedder).value(), options);
    // After a restore, the documents added since the archive go in again before anything else
    // (the processor thread is not running yet, so they are queued, not embedded, meanwhile).
    if (recovery) {
      IngestAgain(&daemon, recovery->requeue, &*recovery);
      recoveries.push_back(*recovery);
    }
    server::Maintenance maintenance(
        store->get(), maintenance_options, recoveries, [&](const std::string& problem) {
          if (!auto_restore.load()) return;  // the alarm stays up; serving goes on
          std::lock_guard lock(damage_mu);
          damage = problem;
          damaged.store(true);
        });
    // POST /v1/reembed: the new embedder is built here, from the spec the client sends.
    auto make_embedder =
        [](const std::string& spec) -> Result<std::unique_ptr<embedders::Embedder>> {
      ROXI_ASSIGN_OR_RETURN(embedders::EmbedderOptions options, ParseEmbedderSpec(spec));
      return embedders::CreateEmbedder(options);
    };
    server::HttpApi api(&daemon, api_options, [&] { shutdown_requested.store(true); },
                        make_embedder);
    api.SetMaintenance(&maintenance);
    if (Status s = api.Start(host, port); !s.ok()) return cl.Fail(s);
    // A restarted session keeps the address clients already know.
    port = api.port();
    const std::string listen = host + ":" + std::to_string(api.port());
    options.listen = listen;
    daemon.UpdateOptions(options);
    daemon.Start();
    maintenance.Start();

    format::ServerFileRecord record;
    record.pid = getpid();
    record.host = host;
    record.port = static_cast<uint32_t>(api.port());
    record.started_at_micros = common::SystemClock().NowMicros();
    record.roxi_version = ROXI_VERSION;
    if (Status s = server::PublishServerFile(*data_dir, record); !s.ok()) {
      api.Stop();
      maintenance.Stop();
      daemon.Stop();
      return cl.Fail(s);
    }
    // Watched folders follow the disk (server/folder_sync.h). At start every folder is scanned
    // once, which also brings back what a restore lost of them.
    std::unique_ptr<server::FolderWatcher> watcher;
    if (!flags.watch.empty()) {
      auto started = server::FolderWatcher::Start(
          flags.watch, [&daemon, deletes = settings->watch_deletes](
                           const server::FolderWatcher::Changes& changes) {
            server::ApplyFolderChanges(&daemon, changes, deletes);
          });
      if (!started.ok()) {
        api.Stop();
        maintenance.Stop();
        daemon.Stop();
        server::RemoveServerFile(*data_dir, getpid());
        return cl.Fail(started.status());
      }
      watcher = std::move(started).value();
    }
    common::LogInfo("serving", {{"data_dir", *data_dir},
                                {"listen", listen},
                                {"pid", int64_t{getpid()}},
                                {"tls", api_options.server.tls_cert.empty() ? "no" : "yes"},
                                {"keys", api_options.server.keys.enabled() ? "yes" : "no"}});
    if (!announced && !cl.common().json) {
      std::printf("roxi serve: %s on %s (pid %d)\n", data_dir->c_str(), listen.c_str(), getpid());
    }
    std::fflush(stdout);
    if (!announced) {
      // The API answers from here on (a restarted session keeps the service ready).
      if (Status s = server::NotifySystemd("READY=1"); !s.ok()) {
        common::LogWarn("systemd readiness not sent", {{"error", s}});
      }
    }
    announced = true;

    while (!shutdown_requested.load() && !damaged.load()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      const int sig = g_signal;
      g_signal = 0;
      if (sig == SIGHUP) {
        Status reloaded = cl.ReloadConfig();
        auto reloaded_settings =
            reloaded.ok() ? ValidateServeFlags(flags, *data_dir) : Result<ServeSettings>(reloaded);
        if (!reloaded_settings.ok()) {
          common::LogError("config reload failed; keeping the current settings",
                           {{"error", reloaded_settings.status()}});
          continue;
        }
        server::DaemonOptions new_options = reloaded_settings->daemon;
        new_options.listen = listen;
        daemon.UpdateOptions(new_options);
        options = new_options;
        maintenance_options = reloaded_settings->maintenance;
        maintenance.UpdateOptions(reloaded_settings->maintenance);
        auto_restore.store(reloaded_settings->maintenance.auto_restore);
        common::LogInfo("config reloaded", {});
      } else if (sig == SIGINT || sig == SIGTERM) {
        stop_signal = sig;
        break;
      }
    }
    const bool restart = damaged.load() && !shutdown_requested.load() && stop_signal == 0;
    common::LogInfo(restart ? "stopping to restore the store" : "stopping", {{"signal", stop_signal}});
    if (!restart) server::NotifySystemd("STOPPING=1").IgnoreError();  // why: best effort at exit
    watcher.reset();
    api.Stop();
    maintenance.Stop();
    daemon.Stop();
    // The store is closed before the server file goes, so whoever waits for the file to disappear
    // (restore --stop-server) finds the store free.
    store->reset();
    server::RemoveServerFile(*data_dir, getpid());
    if (!restart) break;
    common::CloseLogFiles();  // the log folder moves away with the damaged store
    std::string problem;
    {
      std::lock_guard lock(damage_mu);
      problem = damage;
    }
    auto restored = server::RecoverDataDir(*data_dir, maintenance_options.backups.folder, problem);
    if (!restored.ok()) {
      return cl.Fail(Status::Corruption("store in " + *data_dir,
                                        problem + "; automatic restore from " +
                                            maintenance_options.backups.folder +
                                            " failed: " + restored.status().ToString()));
    }
    pending_recovery = std::move(restored).value();
  }
  common::LogInfo("stopped", {});
  if (cl.common().json) return cl.Succeed({{"stopped", true}, {"signal", stop_signal}}, "");
  return kExitOk;
}

}  // namespace roxi::cli
