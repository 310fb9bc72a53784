// roxi bench: measures ingest, processing and search on this machine over a grid of settings and
// recommends the batch size, index kind and requests in flight to run with (src/bench/).
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>
#include <set>
#include <system_error>

#include "src/bench/bench_runner.h"
#include "src/bench/recommendation.h"
#include "src/cli/bench_output.h"
#include "src/cli/command_line.h"
#include "src/cli/commands.h"
#include "src/cli/config_file_update.h"
#include "src/cli/embedder_options.h"
#include "src/common/clock.h"
#include "src/common/human_bytes.h"
#include "src/ingest/ingester.h"
#include "src/server/process_memory.h"

namespace roxi::cli {

namespace {

volatile std::sig_atomic_t g_interrupted = 0;

extern "C" void OnBenchInterrupt(int) { g_interrupted = 1; }

// "16,64,256": whole numbers separated by commas. InvalidArgument naming the option otherwise, and
// for an empty list.
Result<std::vector<uint64_t>> ParseNumberList(const std::string& option, const std::string& text) {
  std::vector<uint64_t> out;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t end = std::min(text.find(',', start), text.size());
    const std::string item = text.substr(start, end - start);
    uint64_t value = 0;
    const auto [ptr, ec] = std::from_chars(item.data(), item.data() + item.size(), value);
    if (item.empty() || ec != std::errc() || ptr != item.data() + item.size()) {
      if (text.empty()) break;
      return Status::InvalidArgument("--" + option + " '" + text + "'",
                                     "want whole numbers separated by commas, e.g. 16,64,256");
    }
    out.push_back(value);
    start = end + 1;
  }
  if (out.empty()) {
    return Status::InvalidArgument("--" + option, "empty grid: give at least one value");
  }
  return out;
}

Result<std::vector<bench::IndexKind>> ParseIndexList(const std::string& text) {
  std::vector<bench::IndexKind> out;
  size_t start = 0;
  while (start < text.size()) {
    const size_t end = std::min(text.find(',', start), text.size());
    ROXI_ASSIGN_OR_RETURN(bench::IndexKind kind,
                          bench::ParseIndexKind(text.substr(start, end - start)));
    if (std::find(out.begin(), out.end(), kind) == out.end()) out.push_back(kind);
    start = end + 1;
  }
  if (out.empty()) return Status::InvalidArgument("--index", "empty grid: give at least one kind");
  return out;
}

// The folder the run's scratch store and corpus go in: <parent>/roxi-bench-XXXXXX, removed with
// everything in it when this dies, and <parent> too when it was created for the run.
class ScratchFolder {
 public:
  static Result<std::unique_ptr<ScratchFolder>> Create(const std::string& parent) {
    auto scratch = std::unique_ptr<ScratchFolder>(new ScratchFolder());
    std::error_code ec;
    if (!std::filesystem::exists(parent, ec)) {
      std::filesystem::create_directories(parent, ec);
      if (ec) return Status::IOError("bench folder " + parent, ec.message());
      scratch->created_parent_ = parent;
    }
    std::string pattern = (std::filesystem::path(parent) / "roxi-bench-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      return Status::IOError("bench folder " + parent, std::strerror(errno));
    }
    scratch->path_ = pattern;
    return scratch;
  }
  ~ScratchFolder() {
    std::error_code ec;  // why: a failed removal is reported by the next run's own folder
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
    if (!created_parent_.empty()) std::filesystem::remove(created_parent_, ec);
  }
  ScratchFolder(const ScratchFolder&) = delete;
  ScratchFolder& operator=(const ScratchFolder&) = delete;
  const std::string& path() const { return path_; }

 private:
  ScratchFolder() = default;
  std::string path_;
  std::string created_parent_;
};

// Prints the run's progress on stderr: a redrawn line on a terminal, a line every few seconds
// otherwise.
class BenchProgressLine {
 public:
  explicit BenchProgressLine(bool enabled) : enabled_(enabled), tty_(isatty(STDERR_FILENO) == 1) {}
  void Update(const bench::BenchProgress& p) {
    if (!enabled_) return;
    const uint64_t now = common::SystemClock().MonotonicMicros();
    if (now - last_ < (tty_ ? 100'000u : 2'000'000u)) return;
    last_ = now;
    constexpr int kWidth = 20;
    const int filled = p.steps == 0 ? 0 : static_cast<int>(kWidth * p.step / p.steps);
    const std::string bar = std::string(filled, '#') + std::string(kWidth - filled, '-');
    std::fprintf(stderr, tty_ ? "\r[%s] %zu/%zu %s\033[K" : "bench: [%s] %zu/%zu %s\n",
                 bar.c_str(), p.step, p.steps, p.what.c_str());
    std::fflush(stderr);
  }
  void Finish() {
    if (enabled_ && tty_) std::fprintf(stderr, "\r\033[K");
  }

 private:
  const bool enabled_;
  const bool tty_;
  uint64_t last_ = 0;
};

}  // namespace

int RunBench(const CommandArgs& args) {
  CommandLine cl(
      "bench", "roxi bench [options]",
      "Measures roxi on this machine: generates a corpus (or takes --corpus), and for each point\n"
      "of the grid (batch size; requests in flight with an openai: embedder; index kind)\n"
      "ingests it into a fresh scratch store, embeds and commits it, and searches it, --repeat\n"
      "times. Reports ingest and embed+commit throughput, batch latency p50/p99, peak memory,\n"
      "search latency p50/p99, recall@10 against an exact scan and wake-to-first-answer, as\n"
      "medians with their spread, then recommends the smallest batch within 5% of the best\n"
      "throughput that fits --memory-limit. The scratch store goes in a new folder under\n"
      "--data-dir (default: $TMPDIR, else /tmp), removed at the end and on Ctrl-C; a data\n"
      "directory that holds a store is refused. --write-config FILE sets the recommended\n"
      "batch-size (and requests-in-flight) in that roxi.conf, keeping its other lines.");
  uint64_t chunks = 20000;
  std::string corpus;
  std::string batch_sizes = "16,64,256,1024";
  std::string flights = "1,4,8";
  std::string index_kinds = "flat,faiss-flat";
  std::string memory_limit;
  uint32_t repeat = 3;
  std::string write_config;
  bool quiet = false;
  std::string embedder_spec;
  cl.options().add_options()
      ("chunks", po::value<uint64_t>(&chunks)->default_value(chunks),
       "chunks of generated text to bench with (without --corpus)")
      ("corpus", po::value<std::string>(&corpus), "a folder of documents to bench with instead")
      ("batch-sizes", po::value<std::string>(&batch_sizes)->default_value(batch_sizes),
       "batch sizes to try, comma-separated")
      ("requests-in-flight", po::value<std::string>(&flights)->default_value(flights),
       "openai: requests in flight to try, comma-separated (1..64)")
      ("index", po::value<std::string>(&index_kinds)->default_value(index_kinds),
       "index kinds to try: flat (what serve uses; also 'auto'), faiss-flat (FAISS reference)")
      ("memory-limit", po::value<std::string>(&memory_limit),
       "recommend only points whose peak memory fits this (e.g. 512MB, 2GiB)")
      ("repeat", po::value<uint32_t>(&repeat)->default_value(repeat),
       "runs of each point (figures are medians over them)")
      ("write-config", po::value<std::string>(&write_config),
       "set the recommended settings in this roxi.conf, keeping its other lines")
      ("quiet,q", po::bool_switch(&quiet), "no progress output");
  AddEmbedderOption(&cl.options(), &embedder_spec, {"requests-in-flight"});
  if (auto exit = cl.Parse(args)) return *exit;

  bench::BenchOptions options;
  options.chunks = chunks;
  options.corpus = corpus;
  options.repeat = repeat;
  auto embedder = ParseEmbedderSpec(embedder_spec);
  if (!embedder.ok()) return cl.Fail(embedder.status());
  options.embedder = *embedder;
  auto batches = ParseNumberList("batch-sizes", batch_sizes);
  if (!batches.ok()) return cl.Fail(batches.status());
  for (uint64_t b : *batches) options.batch_sizes.push_back(b);
  const bool openai = options.embedder.spec.starts_with("openai:");
  // Without an openai: embedder the axis means nothing: given on the command line it is an
  // error; a value from the environment or roxi.conf (set there for serve) is passed over.
  bool flights_flag = false;
  for (const auto& o : cl.Effective()) {
    flights_flag = flights_flag || (o.name == "requests-in-flight" && o.source == "flag");
  }
  if (openai || flights_flag) {
    auto n = ParseNumberList("requests-in-flight", flights);
    if (!n.ok()) return cl.Fail(n.status());
    // Values past 64 stay past it (as 65), so the range check names them.
    for (uint64_t v : *n) {
      options.requests_in_flight.push_back(static_cast<uint32_t>(std::min<uint64_t>(v, 65)));
    }
  }
  auto kinds = ParseIndexList(index_kinds);
  if (!kinds.ok()) return cl.Fail(kinds.status());
  options.index_kinds = *kinds;
  std::optional<uint64_t> limit;
  if (!memory_limit.empty()) {
    auto bytes = common::ParseByteSize("--memory-limit", memory_limit);
    if (!bytes.ok()) return cl.Fail(bytes.status());
    limit = *bytes;
  }
  options.scratch_dir = "-";  // checked below once the folder exists
  if (Status s = bench::ValidateBenchOptions(options); !s.ok()) return cl.Fail(s);
  if (!corpus.empty()) {
    ingest::IngestOptions ingest_options;
    ingest_options.chunker = options.chunker;
    if (Status s = ingest::CheckIngestInputs(std::vector<std::string>{corpus}, ingest_options);
        !s.ok()) {
      return cl.Fail(s.WithContext("--corpus"));
    }
  }

  // The scratch parent: a data directory that holds a store is somebody's data, never a scratch.
  std::string parent = cl.common().data_dir;
  if (parent.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    parent = tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
  }
  std::error_code ec;
  if (std::filesystem::exists(std::filesystem::path(parent) / "db", ec)) {
    return cl.Fail(Status::InvalidArgument(
        "data directory " + parent,
        "holds a roxi store; give roxi bench a scratch folder (it creates and removes its own "
        "store there)"));
  }
  if (std::filesystem::exists(parent, ec) && !std::filesystem::is_directory(parent, ec)) {
    return cl.Fail(Status::IOError("data directory " + parent, "exists and is not a directory"));
  }
  if (!write_config.empty()) {
    const auto folder = std::filesystem::absolute(write_config, ec).parent_path();
    if (!std::filesystem::is_directory(folder, ec)) {
      return cl.Fail(Status::NotFound("--write-config " + write_config,
                                      "folder " + folder.string() + " does not exist"));
    }
  }

  // The embedder is built once now: an openai: server is asked its dimension (and found
  // unreachable) before anything is written, and the dimension sizes a batch.
  auto probe = embedders::CreateEmbedder(options.embedder);
  if (!probe.ok()) return cl.Fail(probe.status());
  const uint32_t dim = (*probe)->info().dim;
  probe->reset();
  if (limit) {
    const size_t smallest =
        *std::min_element(options.batch_sizes.begin(), options.batch_sizes.end());
    const uint64_t held = server::ResidentBytes();
    const uint64_t batch = bench::EstimateBatchBytes(smallest, dim, options.chunker.max_bytes);
    if (*limit < held + batch) {
      return cl.Fail(Status::InvalidArgument(
          "--memory-limit " + memory_limit,
          "below what one batch of " + std::to_string(smallest) + " needs: about " +
              common::HumanBytes(held + batch) + " (" + common::HumanBytes(held) +
              " the process holds before it starts, " + common::HumanBytes(batch) +
              " for two batches in flight)"));
    }
  }

  auto scratch = ScratchFolder::Create(parent);
  if (!scratch.ok()) return cl.Fail(scratch.status());
  options.scratch_dir = (*scratch)->path();
  std::signal(SIGINT, OnBenchInterrupt);
  std::signal(SIGTERM, OnBenchInterrupt);
  BenchProgressLine progress(!quiet);
  auto report = bench::RunBench(
      options, [&](const bench::BenchProgress& p) { progress.Update(p); },
      [] { return g_interrupted != 0; });
  progress.Finish();
  scratch->reset();  // the scratch store and corpus go before anything is printed or written
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  if (!report.ok()) return cl.Fail(report.status());

  const bench::Recommendation recommendation = bench::Recommend(*report, limit);
  BenchSummary summary{&*report, &recommendation, limit, ""};
  if (!write_config.empty()) {
    if (!recommendation.found) {
      return cl.Fail(Status::InvalidArgument("--write-config " + write_config,
                                             "nothing to write: " + recommendation.reason));
    }
    std::vector<std::pair<std::string, std::string>> settings = {
        {"batch-size", std::to_string(recommendation.batch_size)}};
    if (recommendation.requests_in_flight) {
      settings.emplace_back("requests-in-flight",
                            std::to_string(*recommendation.requests_in_flight));
    }
    if (Status s = UpdateConfigFile(write_config, settings); !s.ok()) return cl.Fail(s);
    summary.config_written = write_config;
  }
  return cl.Succeed(BenchSummaryToJson(summary), BenchSummaryToText(summary));
}

}  // namespace roxi::cli
