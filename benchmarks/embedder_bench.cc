// Throughput of the built-in embedder on ~1 KB English-like chunks, batches of 256, against a
// memcpy of the same bytes.
#include <benchmark/benchmark.h>

#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "benchmarks/bench_text.h"
#include "src/embedders/builtin_embedder.h"

namespace roxi::embedders {
namespace {

constexpr size_t kBatch = 256;
constexpr size_t kChunkBytes = 1000;
constexpr uint64_t kSeed = 42;

struct Batch {
  std::vector<std::string> chunks = bench::EnglishLikeChunks(kBatch, kChunkBytes, kSeed);
  std::vector<std::string_view> views;
  size_t bytes = 0;
  Batch() {
    for (const std::string& c : chunks) {
      views.push_back(c);
      bytes += c.size();
    }
  }
};

const Batch& TheBatch() {
  static const Batch batch;
  return batch;
}

void BM_BuiltinEmbed(benchmark::State& state) {
  const Batch& batch = TheBatch();
  BuiltinEmbedder embedder;
  std::vector<float> out(kBatch * embedder.info().dim);
  std::vector<Status> status;
  for (auto _ : state) {
    Status s = embedder.Embed(batch.views, out, &status);
    if (!s.ok()) state.SkipWithError(s.ToString().c_str());
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kBatch));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * batch.bytes));
}
BENCHMARK(BM_BuiltinEmbed);

void BM_BuiltinEmbed_Baseline(benchmark::State& state) {
  const Batch& batch = TheBatch();
  std::string dst(batch.bytes, '\0');
  for (auto _ : state) {
    char* p = dst.data();
    for (std::string_view v : batch.views) {
      std::memcpy(p, v.data(), v.size());
      p += v.size();
    }
    benchmark::DoNotOptimize(dst.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kBatch));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * batch.bytes));
}
BENCHMARK(BM_BuiltinEmbed_Baseline);

}  // namespace
}  // namespace roxi::embedders

BENCHMARK_MAIN();
