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

// The raw values of roxi bench's flags; each field's initial value is its default.
struct BenchFlags {
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
};

// The run's options from its flags, checked as far as they can be before anything is created.
// `flights_flag`: --requests-in-flight was given on the command line.
Result<bench::BenchOptions> OptionsFrom(const BenchFlags& f, bool flights_flag) {
  bench::BenchOptions options;
  options.chunks = f.chunks;
  options.corpus = f.corpus;
  options.repeat = f.repeat;
  ROXI_ASSIGN_OR_RETURN(options.embedder, ParseEmbedderSpec(f.embedder_spec));
  ROXI_ASSIGN_OR_RETURN(std::vector<uint64_t> batches,
                        ParseNumberList("batch-sizes", f.batch_sizes));
  for (uint64_t b : batches) options.batch_sizes.push_back(b);
  // Without an openai: embedder the axis means nothing: given on the command line it is an
  // error; a value from the environment or roxi.conf (set there for serve) is passed over.
  if (options.embedder.spec.starts_with("openai:") || flights_flag) {
    ROXI_ASSIGN_OR_RETURN(std::vector<uint64_t> n,
                          ParseNumberList("requests-in-flight", f.flights));
    // Values past 64 stay past it (as 65), so the range check names them.
    for (uint64_t v : n) {
      options.requests_in_flight.push_back(static_cast<uint32_t>(std::min<uint64_t>(v, 65)));
    }
  }
  ROXI_ASSIGN_OR_RETURN(options.index_kinds, ParseIndexList(f.index_kinds));
  options.scratch_dir = "-";  // set once the folder exists
  ROXI_RETURN_IF_ERROR(bench::ValidateBenchOptions(options));
  if (!f.corpus.empty()) {
    ingest::IngestOptions ingest_options;
    ingest_options.chunker = options.chunker;
    ROXI_RETURN_IF_ERROR(
        ingest::CheckIngestInputs(std::vector<std::string>{f.corpus}, ingest_options)
            .WithContext("--corpus"));
  }
  return options;
}

// The folder the scratch folder goes in: --data-dir, else $TMPDIR, else /tmp. A data directory
// that holds a store is somebody's data, never a scratch: InvalidArgument. IOError for a path that
// is not a folder; NotFound when the folder --write-config names does not exist.
Result<std::string> ScratchParent(const CommandLine& cl, const std::string& write_config) {
  std::string parent = cl.common().data_dir;
  if (parent.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    parent = tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
  }
  std::error_code ec;
  if (std::filesystem::exists(std::filesystem::path(parent) / "db", ec)) {
    return Status::InvalidArgument(
        "data directory " + parent,
        "holds a roxi store; give roxi bench a scratch folder (it creates and removes its own "
        "store there)");
  }
  if (std::filesystem::exists(parent, ec) && !std::filesystem::is_directory(parent, ec)) {
    return Status::IOError("data directory " + parent, "exists and is not a directory");
  }
  if (!write_config.empty()) {
    const auto folder = std::filesystem::absolute(write_config, ec).parent_path();
    if (!std::filesystem::is_directory(folder, ec)) {
      return Status::NotFound("--write-config " + write_config,
                              "folder " + folder.string() + " does not exist");
    }
  }
  return parent;
}

// The memory limit `text` asks for, or nullopt when none. The embedder is built once here: an
// openai: server is asked its dimension (and found unreachable) before anything is written, and
// the dimension sizes a batch. InvalidArgument for a bad size, or one below what a batch of the
// smallest size needs on top of what the process already holds.
Result<std::optional<uint64_t>> MemoryLimitFor(const bench::BenchOptions& options,
                                               const std::string& text) {
  ROXI_ASSIGN_OR_RETURN(std::unique_ptr<embedders::Embedder> probe,
                        embedders::CreateEmbedder(options.embedder));
  const uint32_t dim = probe->info().dim;
  probe.reset();
  if (text.empty()) return std::optional<uint64_t>();
  ROXI_ASSIGN_OR_RETURN(uint64_t limit, common::ParseByteSize("--memory-limit", text));
  const size_t smallest =
      *std::min_element(options.batch_sizes.begin(), options.batch_sizes.end());
  const uint64_t held = server::ResidentBytes();
  const uint64_t batch = bench::EstimateBatchBytes(smallest, dim, options.chunker.max_bytes);
  if (limit < held + batch) {
    return Status::InvalidArgument(
        "--memory-limit " + text,
        "below what one batch of " + std::to_string(smallest) + " needs: about " +
            common::HumanBytes(held + batch) + " (" + common::HumanBytes(held) +
            " the process holds before it starts, " + common::HumanBytes(batch) +
            " for two batches in flight)");
  }
  return std::optional<uint64_t>(limit);
}

// Sets the recommended settings in the roxi.conf `path`. InvalidArgument when there is no
// recommendation; UpdateConfigFile's errors.
Status WriteRecommendation(const std::string& path, const bench::Recommendation& r) {
  if (!r.found) {
    return Status::InvalidArgument("--write-config " + path, "nothing to write: " + r.reason);
  }
  std::vector<std::pair<std::string, std::string>> settings = {
      {"batch-size", std::to_string(r.batch_size)}};
  if (r.requests_in_flight) {
    settings.emplace_back("requests-in-flight", std::to_string(*r.requests_in_flight));
  }
  return UpdateConfigFile(path, settings);
}

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
  BenchFlags f;
  cl.options().add_options()
      ("chunks", po::value<uint64_t>(&f.chunks)->default_value(f.chunks),
       "chunks of generated text to bench with (without --corpus)")
      ("corpus", po::value<std::string>(&f.corpus), "a folder of documents to bench with instead")
      ("batch-sizes", po::value<std::string>(&f.batch_sizes)->default_value(f.batch_sizes),
       "batch sizes to try, comma-separated")
      ("requests-in-flight", po::value<std::string>(&f.flights)->default_value(f.flights),
       "openai: requests in flight to try, comma-separated (1..64)")
      ("index", po::value<std::string>(&f.index_kinds)->default_value(f.index_kinds),
       "index kinds to try: flat (what serve uses; also 'auto'), faiss-flat (FAISS reference)")
      ("memory-limit", po::value<std::string>(&f.memory_limit),
       "recommend only points whose peak memory fits this (e.g. 512MB, 2GiB)")
      ("repeat", po::value<uint32_t>(&f.repeat)->default_value(f.repeat),
       "runs of each point (figures are medians over them)")
      ("write-config", po::value<std::string>(&f.write_config),
       "set the recommended settings in this roxi.conf, keeping its other lines")
      ("quiet,q", po::bool_switch(&f.quiet), "no progress output");
  AddEmbedderOption(&cl.options(), &f.embedder_spec, {"requests-in-flight"});
  if (auto exit = cl.Parse(args)) return *exit;

  bool flights_flag = false;
  for (const auto& o : cl.Effective()) {
    flights_flag = flights_flag || (o.name == "requests-in-flight" && o.source == "flag");
  }
  auto options = OptionsFrom(f, flights_flag);
  if (!options.ok()) return cl.Fail(options.status());
  auto parent = ScratchParent(cl, f.write_config);
  if (!parent.ok()) return cl.Fail(parent.status());
  auto limit = MemoryLimitFor(*options, f.memory_limit);
  if (!limit.ok()) return cl.Fail(limit.status());

  auto scratch = ScratchFolder::Create(*parent);
  if (!scratch.ok()) return cl.Fail(scratch.status());
  options->scratch_dir = (*scratch)->path();
  std::signal(SIGINT, OnBenchInterrupt);
  std::signal(SIGTERM, OnBenchInterrupt);
  BenchProgressLine progress(!f.quiet);
  auto report = bench::RunBench(
      *options, [&](const bench::BenchProgress& p) { progress.Update(p); },
      [] { return g_interrupted != 0; });
  progress.Finish();
  scratch->reset();  // the scratch store and corpus go before anything is printed or written
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  if (!report.ok()) return cl.Fail(report.status());

  const bench::Recommendation recommendation = bench::Recommend(*report, *limit);
  BenchSummary summary{&*report, &recommendation, *limit, ""};
  if (!f.write_config.empty()) {
    if (Status s = WriteRecommendation(f.write_config, recommendation); !s.ok()) return cl.Fail(s);
    summary.config_written = f.write_config;
  }
  return cl.Succeed(BenchSummaryToJson(summary), BenchSummaryToText(summary));
}

}  // namespace roxi::cli
