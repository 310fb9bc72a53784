// roxi process: embeds queued chunks until none are left or a target is reached.
#include <chrono>
#include <csignal>
#include <thread>
#include <cstdlib>
#include <sstream>

#include "src/cli/command_line.h"
#include "src/cli/commands.h"
#include "src/cli/embedder_options.h"
#include "src/cli/exit_code.h"
#include "src/cli/outage_wait.h"
#include "src/cli/progress.h"
#include "src/cli/reembed_run.h"
#include "src/cli/server_client.h"
#include "src/common/clock.h"
#include "src/common/duration.h"
#include "src/embedders/fault_injection.h"
#include "src/embedders/sleeper.h"
#include "src/processor/processor.h"

namespace roxi::cli {

namespace {

volatile std::sig_atomic_t g_interrupted = 0;

extern "C" void OnInterrupt(int) { g_interrupted = 1; }


format::CountersRecord CountersFromJson(const nlohmann::json& status) {
  format::CountersRecord c;
  c.chunks = status.value("chunks", uint64_t{0});
  c.embedded = status.value("embedded", uint64_t{0});
  c.pending = status.value("pending", uint64_t{0});
  c.failed = status.value("failed", uint64_t{0});
  return c;
}

// A server owns the store: set its target, then follow its progress until the target is met or
// nothing is pending (a paused or backing-off server is reported, and waited for).
int ProcessThroughServer(const CommandLine& cl, ServerClient* server, double target,
                         bool retry_failed, bool quiet) {
  auto reply = server->Post("/v1/process", {{"target", target}, {"retry_failed", retry_failed}});
  if (!reply.ok()) return cl.Fail(reply.status());
  ProgressReporter progress(!quiet);
  const auto start = std::chrono::steady_clock::now();
  uint64_t first_done = 0;
  bool first = true;
  std::signal(SIGINT, OnInterrupt);
  nlohmann::json status;
  while (true) {
    auto s = server->Get("/v1/status");
    if (!s.ok()) return cl.Fail(s.status());
    status = std::move(s).value();
    const auto counters = CountersFromJson(status);
    const uint64_t done = counters.embedded + counters.failed;
    if (first) first_done = done;
    first = false;
    progress.Update(counters, done - first_done);
    if (processor::DoneFraction(counters) >= target || counters.pending == 0 || g_interrupted) {
      progress.Finish(counters, done - first_done);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  std::signal(SIGINT, SIG_DFL);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const auto counters = CountersFromJson(status);
  nlohmann::json doc = {{"through_server", server->Describe()},
                        {"requeued", reply->value("requeued", 0)},
                        {"seconds", seconds},
                        {"percent_complete", 100.0 * processor::DoneFraction(counters)},
                        {"pending", counters.pending},
                        {"state", status.value("state", "")},
                        {"interrupted", g_interrupted != 0}};
  std::ostringstream text;
  text << "server " << server->Describe() << ": " << 100.0 * processor::DoneFraction(counters)
       << "% complete, " << counters.pending << " pending, state " << status.value("state", "")
       << "\n";
  const int code = cl.Succeed(doc, text.str());
  return g_interrupted ? kExitInterrupted : code;
}

}  // namespace

int RunProcess(const CommandArgs& args) {
  CommandLine cl("process", "roxi process [options]",
                 "Embeds queued chunks in batches: select pending chunks, embed them, commit the\n"
                 "vectors, chunk states, queue deletions and checkpoint in one atomic write, and\n"
                 "read the batch back to verify it. Runs until no work is left (--until-done, the\n"
                 "default) or until --target of all chunks are done. Ctrl-C stops after the batch\n"
                 "in flight, which commits whole or not at all. While the embedder is unavailable\n"
                 "it waits and tries again (1 s, doubling up to 60 s; no chunk is charged an\n"
                 "attempt), for at most --give-up-after.");
  processor::ProcessorOptions options;
  std::string target = "100%";
  std::string embedder_spec;
  bool retry_failed = false;
  bool quiet = false;
  std::string give_up_after = "10m";
  bool reembed = false;
  cl.options().add_options()
      ("batch-size", po::value<size_t>(&options.batch_size)->default_value(options.batch_size),
       "chunks per batch (one embedder call, one atomic write)")
      ("target", po::value<std::string>(&target)->default_value(target),
       "stop once this share of chunks is done, e.g. 50%")
      ("until-done", "process until no pending chunk is left (the default)")
      ("max-attempts", po::value<uint32_t>(&options.max_attempts)->default_value(options.max_attempts),
       "attempts before a chunk the embedder rejects is marked failed")
      ("retry-failed", po::bool_switch(&retry_failed), "queue failed chunks again first")
      ("give-up-after", po::value<std::string>(&give_up_after)->default_value(give_up_after),
       "while the embedder is unavailable, wait and retry for this long (e.g. 90s, 10m, 1h), "
       "then exit with code 6; 0 exits at once")
      ("quiet,q", po::bool_switch(&quiet), "no progress output")
      ("reembed", po::bool_switch(&reembed),
       "re-embed every chunk with --embedder while searches go on, as 'roxi reembed'");
  AddEmbedderOption(&cl.options(), &embedder_spec);
  if (auto exit = cl.Parse(args)) return *exit;
  if (reembed) return RunReembedRequest(cl, {embedder_spec, options.batch_size, false, quiet});

  auto fraction = processor::ParseTarget(target);
  if (!fraction.ok()) return cl.Fail(fraction.status());
  options.target = *fraction;
  if (Status s = processor::ValidateProcessorOptions(options); !s.ok()) return cl.Fail(s);
  OutageWaitOptions outage_options;
  auto give_up_micros = common::ParseDurationMicros("--give-up-after", give_up_after);
  if (!give_up_micros.ok()) return cl.Fail(give_up_micros.status());
  outage_options.give_up_after_micros = *give_up_micros;
  auto data_dir = cl.DataDir();
  if (!data_dir.ok()) return cl.Fail(data_dir.status());
  auto server = ServerClient::Find(*data_dir, cl.common());
  if (server.ok()) return ProcessThroughServer(cl, &*server, options.target, retry_failed, quiet);
  if (!server.status().IsNotFound()) return cl.Fail(server.status());
  storage::StoreOptions store_options =
      cl.StoreOptionsFor(*data_dir, storage::StoreOptions::Mode::kReadWrite);
  store_options.create_if_missing = false;
  auto store = storage::Store::Open(store_options);
  if (!store.ok()) return cl.Fail(store.status());
  std::signal(SIGINT, OnInterrupt);
  std::signal(SIGTERM, OnInterrupt);
  OutageWait outage(outage_options, common::SystemClock(), embedders::SystemSleeper(),
                    [] { return g_interrupted != 0; });
  const auto is_outage = [&](const Status& s) {
    return (s.IsUnavailable() || s.IsTimedOut()) && outage_options.give_up_after_micros > 0;
  };
  // A remote embedder may be down already when the command starts (it is asked for its
  // dimension then): the same waiting applies.
  auto embedder = OpenEmbedderFor(store->get(), embedder_spec);
  while (!embedder.ok() && is_outage(embedder.status())) {
    if (Status s = outage.Wait(embedder.status()); !s.ok()) return cl.Fail(s);
    embedder = OpenEmbedderFor(store->get(), embedder_spec);
  }
  if (!embedder.ok()) return cl.Fail(embedder.status());
  outage.Recovered();

  uint64_t requeued = 0;
  if (retry_failed) {
    auto n = (*store)->RequeueFailed();
    if (!n.ok()) return cl.Fail(n.status());
    requeued = *n;
  }

  std::unique_ptr<embedders::Embedder> processing = embedders::WithInjectedFaults(std::move(embedder).value());
  processor::Processor processor(store->get(), processing.get(), options);
  ProgressReporter progress(!quiet);
  uint64_t done_this_run = 0;
  processor::Processor::OutageCallback on_outage;
  if (outage_options.give_up_after_micros > 0) {
    on_outage = [&](const Status& error) { return outage.Wait(error); };
  }
  auto run = processor.Run(
      [&](const processor::BatchReport& batch, const format::CountersRecord& counters) {
        outage.Recovered();
        done_this_run += batch.embedded + batch.failed;
        progress.Update(counters, done_this_run);
        if (g_interrupted) processor.Stop();
      },
      on_outage);
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  const auto counters = (*store)->GetCounters();
  progress.Finish(counters, done_this_run);
  if (!run.ok()) return cl.Fail(run.status());

  const double seconds = static_cast<double>(run->micros) / 1e6;
  nlohmann::json doc = {
      {"batches", run->batches},
      {"embedded", run->embedded},
      {"rejected", run->rejected},
      {"failed", run->failed},
      {"requeued", requeued},
      {"seconds", seconds},
      {"chunks_per_second", seconds > 0 ? static_cast<double>(run->embedded) / seconds : 0.0},
      {"reached_target", run->reached_target},
      {"interrupted", run->stopped},
      {"percent_complete", 100.0 * processor::DoneFraction(counters)},
      {"pending", counters.pending},
  };
  std::ostringstream text;
  text << "embedded " << run->embedded << " chunk(s) in " << run->batches << " batch(es), "
       << seconds << " s; " << counters.pending << " pending, " << counters.failed << " failed, "
       << 100.0 * processor::DoneFraction(counters) << "% complete\n";
  const int code = cl.Succeed(doc, text.str());
  return run->stopped ? kExitInterrupted : code;
}

}  // namespace roxi::cli
