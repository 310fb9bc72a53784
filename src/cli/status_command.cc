// roxi status: what the store holds, how far processing has come and, when a server runs, what it
// is doing.
#include <chrono>
#include <csignal>
#include <thread>

#include "src/cli/command_line.h"
#include "src/cli/exit_code.h"
#include "src/cli/progress.h"
#include "src/cli/commands.h"
#include "src/cli/server_client.h"
#include "src/server/status_report.h"

namespace roxi::cli {

namespace {

volatile std::sig_atomic_t g_stop_watching = 0;
extern "C" void OnWatchInterrupt(int) { g_stop_watching = 1; }

// Counters from the running server, or from the store read beside whoever writes it.
Result<format::CountersRecord> ReadCounters(const CommandLine& cl, const std::string& data_dir,
                                            std::unique_ptr<storage::Store>* store) {
  if (auto server = ServerClient::Find(data_dir, cl.common()); server.ok()) {
    ROXI_ASSIGN_OR_RETURN(nlohmann::json s, server->Get("/v1/status"));
    format::CountersRecord c;
    c.chunks = s.value("chunks", uint64_t{0});
    c.embedded = s.value("embedded", uint64_t{0});
    c.pending = s.value("pending", uint64_t{0});
    c.failed = s.value("failed", uint64_t{0});
    return c;
  }
  if (*store == nullptr) {
    ROXI_ASSIGN_OR_RETURN(*store, storage::Store::Open(cl.StoreOptionsFor(
                                      data_dir, storage::StoreOptions::Mode::kReadOnly)));
  }
  ROXI_RETURN_IF_ERROR((*store)->Refresh());
  return (*store)->GetCounters();
}

int WatchProgress(const CommandLine& cl, const std::string& data_dir) {
  std::signal(SIGINT, OnWatchInterrupt);
  std::signal(SIGTERM, OnWatchInterrupt);
  ProgressReporter progress(true);
  std::unique_ptr<storage::Store> store;
  uint64_t first_done = 0;
  bool first = true;
  format::CountersRecord counters;
  while (!g_stop_watching) {
    auto read = ReadCounters(cl, data_dir, &store);
    if (!read.ok()) return cl.Fail(read.status());
    counters = *read;
    const uint64_t done = counters.embedded + counters.failed;
    if (first) first_done = done;
    first = false;
    progress.Update(counters, done - first_done);
    for (int i = 0; i < 10 && !g_stop_watching; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  progress.Finish(counters, counters.embedded + counters.failed - first_done);
  return kExitOk;  // Ctrl-C is how a watch ends
}

}  // namespace

int RunStatus(const CommandArgs& args) {
  CommandLine cl("status", "roxi status [options]",
                 "Prints documents, chunks, embedded, pending and failed counts (failures grouped by\n"
                 "reason), percent complete, store size and embedder. When 'roxi serve' runs on the\n"
                 "data directory, the server answers and adds its state (processing, idle,\n"
                 "deep-sleep, paused and why), memory and last batch; otherwise the store is read\n"
                 "without locking it.");
  bool watch = false;
  cl.options().add_options()("watch,w", po::bool_switch(&watch),
                             "redraw a progress bar with rate and ETA every second until Ctrl-C");
  if (auto exit = cl.Parse(args)) return *exit;
  auto data_dir = cl.DataDir();
  if (!data_dir.ok()) return cl.Fail(data_dir.status());
  if (watch) return WatchProgress(cl, *data_dir);

  auto server = ServerClient::Find(*data_dir, cl.common());
  if (server.ok()) {
    // The text form is rendered by the server, which holds the report; --json asks for the document.
    auto doc = server->Get(cl.common().json ? "/v1/status" : "/v1/status?format=text");
    if (!doc.ok()) return cl.Fail(doc.status());
    return cl.Succeed(*doc, doc->value("text", std::string()));
  }
  if (!server.status().IsNotFound()) return cl.Fail(server.status());

  storage::StoreOptions store_options =
      cl.StoreOptionsFor(*data_dir, storage::StoreOptions::Mode::kReadOnly);
  auto store = storage::Store::Open(store_options);
  if (!store.ok()) return cl.Fail(store.status());
  auto report = server::CollectStatus(**store);
  if (!report.ok()) return cl.Fail(report.status());
  return cl.Succeed(server::StatusToJson(*report), server::StatusToText(*report));
}

}  // namespace roxi::cli
