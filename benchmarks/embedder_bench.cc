// Throughput of the built-in embedder on ~1 KB chunks, batches of 256, against a memcpy of the same
// bytes: on generated English-like text (a few hundred distinct words), and on the demo corpus
// (tools/demo-corpus/docs, 372 chunks and about 8,400 distinct words), whose real vocabulary
// exercises the embedder's per-word work (stemming, its cache) the way documents do.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "benchmarks/bench_text.h"
#include "src/embedders/builtin_embedder.h"
#include "src/text/chunker.h"

namespace roxi::embedders {
namespace {

constexpr size_t kBatch = 256;
constexpr size_t kChunkBytes = 1000;
constexpr uint64_t kSeed = 42;

struct Batch {
  std::vector<std::string> chunks;
  std::vector<std::string_view> views;
  size_t bytes = 0;
  explicit Batch(std::vector<std::string> texts) : chunks(std::move(texts)) {
    for (const std::string& c : chunks) {
      views.push_back(c);
      bytes += c.size();
    }
  }
};

const Batch& TheBatch() {
  static const Batch batch(bench::EnglishLikeChunks(kBatch, kChunkBytes, kSeed));
  return batch;
}

// The demo corpus cut by the default chunker, as `roxi ingest` cuts it; empty if it is missing.
std::vector<std::string> DemoCorpusChunks() {
  const std::filesystem::path dir = std::filesystem::path(__FILE__).parent_path().parent_path() /
                                    "tools" / "demo-corpus" / "docs";
  std::vector<std::filesystem::path> paths;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    paths.push_back(entry.path());
  }
  std::sort(paths.begin(), paths.end());
  Result<text::Chunker> chunker = text::Chunker::Create(text::ChunkerOptions{});
  std::vector<std::string> chunks;
  if (!chunker.ok()) return chunks;
  for (const std::filesystem::path& path : paths) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream contents;
    contents << in.rdbuf();
    const std::string document = contents.str();
    for (const text::ChunkSpan& span : chunker->Split(document)) {
      chunks.emplace_back(span.TextIn(document));
    }
  }
  return chunks;
}

const Batch& TheCorpus() {
  static const Batch batch(DemoCorpusChunks());
  return batch;
}

// Embeds the whole batch in calls of kBatch texts with one embedder, whose caches stay warm across
// iterations as they do across a `roxi process` run.
void EmbedAll(benchmark::State& state, const Batch& batch) {
  if (batch.views.empty()) {
    state.SkipWithError("no chunks (demo corpus missing?)");
    return;
  }
  BuiltinEmbedder embedder;
  const size_t dim = embedder.info().dim;
  std::vector<float> out(kBatch * dim);
  std::vector<Status> status;
  for (auto _ : state) {
    for (size_t begin = 0; begin < batch.views.size(); begin += kBatch) {
      const size_t n = std::min(kBatch, batch.views.size() - begin);
      const std::span<const std::string_view> texts(batch.views.data() + begin, n);
      Status s = embedder.Embed(texts, std::span<float>(out.data(), n * dim), &status);
      if (!s.ok()) state.SkipWithError(s.ToString().c_str());
    }
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * batch.views.size()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * batch.bytes));
}

void MemcpyAll(benchmark::State& state, const Batch& batch) {
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
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * batch.views.size()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * batch.bytes));
}

void BM_BuiltinEmbed(benchmark::State& state) { EmbedAll(state, TheBatch()); }
BENCHMARK(BM_BuiltinEmbed);

void BM_BuiltinEmbed_Baseline(benchmark::State& state) { MemcpyAll(state, TheBatch()); }
BENCHMARK(BM_BuiltinEmbed_Baseline);

void BM_BuiltinEmbedCorpus(benchmark::State& state) { EmbedAll(state, TheCorpus()); }
BENCHMARK(BM_BuiltinEmbedCorpus);

void BM_BuiltinEmbedCorpus_Baseline(benchmark::State& state) { MemcpyAll(state, TheCorpus()); }
BENCHMARK(BM_BuiltinEmbedCorpus_Baseline);

}  // namespace
}  // namespace roxi::embedders

BENCHMARK_MAIN();
