// roxi reembed: moves a store to another embedder while searches go on (FORMAT.md §2.6).
#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <thread>

#include "src/cli/command_line.h"
#include "src/cli/commands.h"
#include "src/cli/embedder_options.h"
#include "src/cli/exit_code.h"
#include "src/cli/reembed_run.h"
#include "src/cli/server_client.h"
#include "src/embedders/embedder_factory.h"
#include "src/embedders/embedder_identity.h"
#include "src/processor/reembedder.h"

namespace roxi::cli {

namespace {

volatile std::sig_atomic_t g_interrupted = 0;

extern "C" void OnReembedInterrupt(int) { g_interrupted = 1; }

// One line per second at most: "re-embed: 1200/5000 (24.0%)".
class ReembedProgressLine {
 public:
  explicit ReembedProgressLine(bool enabled) : enabled_(enabled) {}
  void Update(const storage::Store& store, bool final) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    if (!final && now - last_ < std::chrono::seconds(1)) return;
    last_ = now;
    auto progress = processor::GetReembedProgress(store);
    if (!progress.ok()) return;
    const double percent =
        progress->total == 0 ? 100.0 : 100.0 * static_cast<double>(progress->done) / progress->total;
    char line[128];
    std::snprintf(line, sizeof line, "re-embed: %llu/%llu (%.1f%%)\n",
                  static_cast<unsigned long long>(progress->done),
                  static_cast<unsigned long long>(progress->total), percent);
    std::cerr << line;
  }

 private:
  bool enabled_;
  std::chrono::steady_clock::time_point last_{};
};

// --cancel with no re-embed in progress: the wish (no re-embed running) already holds.
int NothingToCancel(const CommandLine& cl) {
  return cl.Succeed({{"cancelled", false}, {"reason", "no re-embed in progress"}},
                    "no re-embed in progress: nothing to cancel\n");
}

// A server owns the store: ask it to re-embed in the background, then follow its progress until
// the swap (Ctrl-C stops following; the server goes on).
int ReembedThroughServer(const CommandLine& cl, ServerClient* server, const ReembedRequest& request) {
  nlohmann::json body = {{"cancel", true}};
  if (!request.cancel) {
    body = {{"embedder", request.embedder_spec}, {"batch_size", request.batch_size}};
  }
  auto reply = server->Post("/v1/reembed", body);
  if (request.cancel && !reply.ok() && reply.status().IsNotFound()) return NothingToCancel(cl);
  if (!reply.ok()) return cl.Fail(reply.status());
  if (request.cancel) {
    return cl.Succeed({{"cancelled", true}, {"through_server", server->Describe()}},
                      "cancelled the re-embed in " + server->Describe() + "\n");
  }
  const std::string target = reply->value("target", std::string());
  const auto start = std::chrono::steady_clock::now();
  auto last_line = start - std::chrono::seconds(1);
  std::signal(SIGINT, OnReembedInterrupt);
  bool swapped = false;
  std::string last_error;
  while (!g_interrupted) {
    auto status = server->Get("/v1/status");
    if (!status.ok()) return cl.Fail(status.status());
    const nlohmann::json& embedder = (*status)["embedder"];
    const nlohmann::json& reembed = (*status)["reembed"];
    if (reembed.is_null()) {
      swapped = embedder.is_object() && embedder.value("id", std::string()) == target;
      if (!swapped) last_error = (*status)["server"].value("last_error", std::string());
      break;
    }
    if (!(*status)["server"].value("reembedding", false)) {  // the server gave up on it
      last_error = (*status)["server"].value("last_error", std::string());
      break;
    }
    const auto now = std::chrono::steady_clock::now();
    if (!request.quiet && now - last_line >= std::chrono::seconds(1)) {
      last_line = now;
      std::cerr << "re-embed: " << reembed.value("done", uint64_t{0}) << "/"
                << reembed.value("total", uint64_t{0}) << " (through " << server->Describe()
                << ")\n";
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  std::signal(SIGINT, SIG_DFL);
  if (!swapped && !g_interrupted) {
    return cl.Fail(Status::Unavailable("re-embed to '" + target + "'",
                                   "stopped in the server" +
                                       (last_error.empty() ? std::string() : ": " + last_error)));
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  nlohmann::json doc = {{"through_server", server->Describe()},
                        {"target", target},
                        {"swapped", swapped},
                        {"interrupted", g_interrupted != 0},
                        {"seconds", seconds}};
  const std::string text =
      swapped ? "re-embedded with '" + target + "' by " + server->Describe() + "\n"
              : "stopped following; the re-embed goes on in " + server->Describe() + "\n";
  const int code = cl.Succeed(doc, text);
  return g_interrupted ? kExitInterrupted : code;
}

}  // namespace

int RunReembedRequest(const CommandLine& cl, const ReembedRequest& request) {
  auto data_dir = cl.DataDir();
  if (!data_dir.ok()) return cl.Fail(data_dir.status());
  auto server = ServerClient::Find(*data_dir, cl.common());
  if (server.ok()) return ReembedThroughServer(cl, &*server, request);
  if (!server.status().IsNotFound()) return cl.Fail(server.status());

  storage::StoreOptions store_options =
      cl.StoreOptionsFor(*data_dir, storage::StoreOptions::Mode::kReadWrite);
  store_options.create_if_missing = false;
  auto store = storage::Store::Open(store_options);
  if (!store.ok()) return cl.Fail(store.status());

  if (request.cancel) {
    auto reembed = (*store)->GetReembed();
    if (!reembed.ok() && reembed.status().IsNotFound()) return NothingToCancel(cl);
    if (!reembed.ok()) return cl.Fail(reembed.status());
    if (Status s = (*store)->CancelReembed(); !s.ok()) return cl.Fail(s);
    return cl.Succeed({{"cancelled", true}, {"target", reembed->target.id}},
                      "cancelled the re-embed to '" + reembed->target.id + "'\n");
  }

  auto options = ParseEmbedderSpec(request.embedder_spec);
  if (!options.ok()) return cl.Fail(options.status());
  auto target = embedders::CreateEmbedder(*options);
  if (!target.ok()) return cl.Fail(target.status());
  auto old_embedder = (*store)->GetEmbedder();
  const std::string from = old_embedder.ok() ? old_embedder->id : std::string();

  processor::ReembedOptions reembed_options;
  reembed_options.batch_size = request.batch_size;
  processor::Reembedder reembedder(store->get(), target->get(), reembed_options);
  if (Status s = reembedder.Start(); !s.ok()) return cl.Fail(s);

  ReembedProgressLine progress(!request.quiet);
  std::signal(SIGINT, OnReembedInterrupt);
  std::signal(SIGTERM, OnReembedInterrupt);
  auto run = reembedder.Run([&](const processor::ReembedBatchReport& batch) {
    if (!batch.swapped) progress.Update(**store, false);
    if (g_interrupted) reembedder.Stop();
  });
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  if (!run.ok()) return cl.Fail(run.status());
  if (!run->swapped) progress.Update(**store, true);

  const std::string to = embedders::IdentityOf((*target)->info()).id;
  const auto counters = (*store)->GetCounters();
  const double seconds = static_cast<double>(run->micros) / 1e6;
  nlohmann::json doc = {{"from", from},
                        {"target", to},
                        {"swapped", run->swapped},
                        {"interrupted", run->stopped},
                        {"staged", run->staged},
                        {"rejected", run->rejected},
                        {"batches", run->batches},
                        {"passes", run->passes},
                        {"seconds", seconds},
                        {"vectors", run->swapped ? run->vectors : 0},
                        {"pending", counters.pending}};
  std::ostringstream text;
  if (run->swapped) {
    text << "re-embedded with '" << to << "': " << run->vectors << " vector(s) of '" << from
         << "' replaced in " << seconds << " s";
    if (counters.pending > 0) {
      text << "; " << counters.pending
           << " pending chunk(s): run 'roxi process' with the new embedder options";
    }
    text << "\n";
  } else {
    text << "re-embed to '" << to << "' interrupted after " << run->staged
         << " vector(s); run the same command again to resume\n";
  }
  const int code = cl.Succeed(doc, text.str());
  return run->stopped ? kExitInterrupted : code;
}

int RunReembed(const CommandArgs& args) {
  CommandLine cl("reembed", "roxi reembed --embedder SPEC [embedder options] [options]",
                 "Re-embeds every embedded chunk with a new embedder while searches go on with\n"
                 "the old vectors; when every chunk has a new vector, one atomic write makes them\n"
                 "the store's vectors and the new embedder the store's embedder, and deletes the\n"
                 "old vectors. Ctrl-C stops after the batch in flight; running the same command\n"
                 "again resumes. --cancel drops a re-embed in progress. Same as\n"
                 "'roxi process --reembed'.");
  ReembedRequest request;
  cl.options().add_options()
      ("batch-size", po::value<size_t>(&request.batch_size)->default_value(request.batch_size),
       "chunks per batch (one embedder call, one atomic write)")
      ("cancel", po::bool_switch(&request.cancel), "drop the re-embed in progress and its vectors")
      ("quiet,q", po::bool_switch(&request.quiet), "no progress output");
  AddEmbedderOption(&cl.options(), &request.embedder_spec);
  if (auto exit = cl.Parse(args)) return *exit;
  return RunReembedRequest(cl, request);
}

}  // namespace roxi::cli
