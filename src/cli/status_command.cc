// roxi status: what the store holds, how far processing has come and, when a server runs, what it
// is doing.
#include "src/cli/command_line.h"
#include "src/cli/commands.h"
#include "src/cli/server_client.h"
#include "src/server/status_report.h"

namespace roxi::cli {

int RunStatus(const CommandArgs& args) {
  CommandLine cl("status", "roxi status [options]",
                 "Prints documents, chunks, embedded, pending and failed counts (failures grouped by\n"
                 "reason), percent complete, store size and embedder. When 'roxi serve' runs on the\n"
                 "data directory, the server answers and adds its state (processing, idle,\n"
                 "deep-sleep, paused and why), memory and last batch; otherwise the store is read\n"
                 "without locking it.");
  if (auto exit = cl.Parse(args)) return *exit;
  auto data_dir = cl.DataDir();
  if (!data_dir.ok()) return cl.Fail(data_dir.status());

  auto server = ServerClient::Find(*data_dir);
  if (server.ok()) {
    // The text form is rendered by the server, which holds the report; --json asks for the document.
    auto doc = server->Get(cl.common().json ? "/v1/status" : "/v1/status?format=text");
    if (!doc.ok()) return cl.Fail(doc.status());
    return cl.Succeed(*doc, doc->value("text", std::string()));
  }
  if (!server.status().IsNotFound()) return cl.Fail(server.status());

  storage::StoreOptions store_options;
  store_options.data_dir = *data_dir;
  store_options.mode = storage::StoreOptions::Mode::kReadOnly;
  auto store = storage::Store::Open(store_options);
  if (!store.ok()) return cl.Fail(store.status());
  auto report = server::CollectStatus(**store);
  if (!report.ok()) return cl.Fail(report.status());
  return cl.Succeed(server::StatusToJson(*report), server::StatusToText(*report));
}

}  // namespace roxi::cli
