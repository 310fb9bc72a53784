// Backup and restore throughput on a store of at least 1 GiB, and the archive/store size ratio,
// next to `tar | zstd` of the same checkpoint as the baseline:
//   BM_Backup           CreateBackup (full, level 3, 2 threads) of the store
//   BM_Backup_Baseline  tar -cf - <checkpoint> | zstd -3 -T2, then sync
//   BM_Restore          RestoreBackup of that archive into a fresh directory, checks included
//   BM_Restore_Baseline zstd -d -T2 | tar -x of the baseline's output, then sync
// Throughput counts the store's bytes (the checkpoint's files) in both directions. cpu_s is the
// CPU time (user + system, every thread) each side spent: this process for roxi, the shell
// pipeline's processes for the baseline. On a shared machine wall time follows the load; CPU time
// shows the work, and cpu_s / 2 is what two idle cores would take.
//
// The store is built once, by ingesting and embedding generated English-like documents with the
// real ingester, processor and built-in embedder, and cached in $ROXI_BENCH_STORE_DIR (default
// ./roxi-bench-store); $ROXI_BENCH_STORE_BYTES sets its minimum size (default 1 GiB). Building it
// takes minutes; later runs reuse it. Every benchmark runs one iteration per repetition, timed by
// hand: run with --benchmark_repetitions=5.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "benchmarks/bench_text.h"
#include "src/embedders/builtin_embedder.h"
#include "src/embedders/embedder_identity.h"
#include "src/ingest/ingester.h"
#include "src/processor/processor.h"
#include "storage/backup.h"
#include "storage/restore.h"
#include "storage/store.h"

namespace roxi::storage {
namespace {

namespace fs = std::filesystem;

std::string CacheDir() {
  const char* env = std::getenv("ROXI_BENCH_STORE_DIR");
  return fs::absolute(env != nullptr && *env != '\0' ? env : "roxi-bench-store").string();
}

uint64_t TargetBytes() {
  const char* env = std::getenv("ROXI_BENCH_STORE_BYTES");
  return env != nullptr ? std::strtoull(env, nullptr, 10) : uint64_t{1} << 30;
}

uint64_t TreeBytes(const std::string& dir) {
  uint64_t total = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) total += e.file_size();
  }
  return total;
}

void Check(const Status& s, const char* what) {
  if (!s.ok()) {
    std::fprintf(stderr, "backup_bench: %s: %s\n", what, s.ToString().c_str());
    std::exit(1);
  }
}

std::unique_ptr<Store> OpenStore(const std::string& data_dir) {
  StoreOptions options;
  options.data_dir = data_dir;
  auto store = Store::Open(options);
  Check(store.status(), "open store");
  return std::move(store).value();
}

// Bytes of the store's SST files: what it holds once flushed, without the write-ahead log.
uint64_t SstBytes(const std::string& data_dir) {
  uint64_t total = 0;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(data_dir + "/db", ec)) {
    if (e.path().extension() == ".sst") total += e.file_size();
  }
  return total;
}

// Adds rounds of 64 documents of 1 MiB each, ingested and embedded, until the store is large enough
// (a no-op when the cached store already is).
void BuildStore(const std::string& data_dir) {
  if (SstBytes(data_dir) >= TargetBytes()) return;
  auto store = OpenStore(data_dir);
  embedders::BuiltinEmbedder embedder;
  Check(store->BindEmbedder(embedders::IdentityOf(embedder.info())), "bind embedder");
  const std::string docs = CacheDir() + "/docs";
  uint64_t seed = store->GetCounters().documents;
  while (SstBytes(data_dir) < TargetBytes()) {
    fs::remove_all(docs);
    fs::create_directories(docs);
    for (int d = 0; d < 64; ++d, ++seed) {
      std::ofstream(docs + "/doc" + std::to_string(seed) + ".txt")
          << bench::EnglishLikeText(1 << 20, seed);
    }
    ingest::Ingester ingester(store.get(), ingest::IngestOptions{});
    const std::vector<std::string> inputs{docs};
    Check(ingester.Run(inputs), "ingest");
    processor::Processor processor(store.get(), &embedder, processor::ProcessorOptions{});
    Check(processor.Run().status(), "process");
    std::fprintf(stderr, "backup_bench: store %.0f MB of %.0f MB\n", SstBytes(data_dir) / 1e6,
                 TargetBytes() / 1e6);
  }
  fs::remove_all(docs);
}

struct Fixture {
  std::string data_dir = CacheDir() + "/data";
  std::string work = CacheDir() + "/work";
  std::string checkpoint = work + "/checkpoint";  // for the baseline
  uint64_t checkpoint_bytes = 0;

  Fixture() {
    BuildStore(data_dir);
    fs::remove_all(work);
    fs::create_directories(checkpoint);
    auto store = OpenStore(data_dir);
    Check(store->CreateCheckpoint(checkpoint + "/db").status(), "checkpoint");
    checkpoint_bytes = TreeBytes(checkpoint);
  }
};

Fixture& TheFixture() {
  static Fixture fixture;
  return fixture;
}

double Seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// User + system CPU seconds of this process (all its threads) or of its waited-for children.
double CpuSeconds(int who) {
  struct rusage u;
  getrusage(who, &u);
  auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return seconds(u.ru_utime) + seconds(u.ru_stime);
}

void Shell(const std::string& command) {
  if (std::system(command.c_str()) != 0) {
    std::fprintf(stderr, "backup_bench: failed: %s\n", command.c_str());
    std::exit(1);
  }
}

// The archive BM_Restore restores: made by the first BM_Backup repetition.
std::string& LastArchive() {
  static std::string path;
  return path;
}

void BM_Backup(benchmark::State& state) {
  Fixture& f = TheFixture();
  auto store = OpenStore(f.data_dir);
  for (auto _ : state) {
    BackupOptions options;
    options.folder = f.work + "/backups";
    options.full = true;
    options.level = 3;
    options.threads = 2;
    fs::remove_all(options.folder);
    const double cpu = CpuSeconds(RUSAGE_SELF);
    auto report = CreateBackup(*store, options);
    Check(report.status(), "backup");
    state.counters["cpu_s"] = CpuSeconds(RUSAGE_SELF) - cpu;
    state.SetIterationTime(static_cast<double>(report->micros) / 1e6);
    state.counters["store_MB"] = report->checkpoint_bytes / 1e6;
    state.counters["MB/s"] = report->checkpoint_bytes / 1e6 / (report->micros / 1e6);
    state.counters["ratio"] = static_cast<double>(report->archive_bytes) / report->checkpoint_bytes;
    state.counters["zstd_threads"] = report->threads;
    fs::rename(report->path, f.work + "/restore-me.roxibak");
    LastArchive() = f.work + "/restore-me.roxibak";
  }
}
BENCHMARK(BM_Backup)->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);

void BM_Backup_Baseline(benchmark::State& state) {
  Fixture& f = TheFixture();
  for (auto _ : state) {
    fs::remove(f.work + "/baseline.tar.zst");
    const double cpu = CpuSeconds(RUSAGE_CHILDREN);
    const auto start = std::chrono::steady_clock::now();
    Shell("tar -cf - -C '" + f.checkpoint + "' db | zstd -q -3 -T2 -o '" + f.work +
          "/baseline.tar.zst' && sync -f '" + f.work + "/baseline.tar.zst'");
    const double seconds = Seconds(start);
    state.counters["cpu_s"] = CpuSeconds(RUSAGE_CHILDREN) - cpu;
    state.SetIterationTime(seconds);
    state.counters["store_MB"] = f.checkpoint_bytes / 1e6;
    state.counters["MB/s"] = f.checkpoint_bytes / 1e6 / seconds;
    state.counters["ratio"] =
        static_cast<double>(fs::file_size(f.work + "/baseline.tar.zst")) / f.checkpoint_bytes;
  }
}
BENCHMARK(BM_Backup_Baseline)->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);

void BM_Restore(benchmark::State& state) {
  Fixture& f = TheFixture();
  if (LastArchive().empty()) {
    state.SkipWithError("run BM_Backup first (it makes the archive)");
    return;
  }
  for (auto _ : state) {
    const std::string target = f.work + "/restored";
    fs::remove_all(target);
    RestoreOptions options;
    options.data_dir = target;
    const double cpu = CpuSeconds(RUSAGE_SELF);
    const auto start = std::chrono::steady_clock::now();
    auto report = RestoreBackup(LastArchive(), options);
    const double seconds = Seconds(start);
    state.counters["cpu_s"] = CpuSeconds(RUSAGE_SELF) - cpu;
    Check(report.status(), "restore");
    state.SetIterationTime(seconds);
    state.counters["MB/s"] = report->bytes / 1e6 / seconds;
    state.counters["store_MB"] = report->bytes / 1e6;
    state.counters["check_archive_s"] = report->check_archive_micros / 1e6;
    state.counters["unpack_s"] = report->unpack_micros / 1e6;
    state.counters["check_store_s"] = report->check_store_micros / 1e6;
  }
}
BENCHMARK(BM_Restore)->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);

void BM_Restore_Baseline(benchmark::State& state) {
  Fixture& f = TheFixture();
  for (auto _ : state) {
    const std::string target = f.work + "/baseline-restored";
    fs::remove_all(target);
    fs::create_directories(target);
    const double cpu = CpuSeconds(RUSAGE_CHILDREN);
    const auto start = std::chrono::steady_clock::now();
    Shell("zstd -q -d -T2 -c '" + f.work + "/baseline.tar.zst' | tar -xf - -C '" + target + "'");
    Shell("sync -f '" + target + "'");
    const double seconds = Seconds(start);
    state.counters["cpu_s"] = CpuSeconds(RUSAGE_CHILDREN) - cpu;
    state.SetIterationTime(seconds);
    state.counters["MB/s"] = f.checkpoint_bytes / 1e6 / seconds;
  }
}
BENCHMARK(BM_Restore_Baseline)->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace roxi::storage

BENCHMARK_MAIN();
