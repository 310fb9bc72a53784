// Throughput of the text layer on a 4 MB English-like document: chunking with the default options,
// UTF-8 validation and word tokenisation, each against a memcpy of the same bytes.
#include <benchmark/benchmark.h>

#include <cstring>
#include <string>
#include <vector>

#include "benchmarks/bench_text.h"
#include "src/text/chunker.h"
#include "src/text/utf8.h"
#include "src/text/word_tokenizer.h"

namespace roxi::text {
namespace {

constexpr size_t kDocumentBytes = 4 << 20;
constexpr uint64_t kSeed = 7;

const std::string& TheDocument() {
  static const std::string doc = bench::EnglishLikeText(kDocumentBytes, kSeed);
  return doc;
}

void Memcpy(benchmark::State& state) {
  const std::string& doc = TheDocument();
  std::string dst(doc.size(), '\0');
  for (auto _ : state) {
    std::memcpy(dst.data(), doc.data(), doc.size());
    benchmark::DoNotOptimize(dst.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * doc.size()));
}

void BM_Chunker(benchmark::State& state) {
  const std::string& doc = TheDocument();
  Result<Chunker> chunker = Chunker::Create(ChunkerOptions{});
  if (!chunker.ok()) {
    state.SkipWithError(chunker.status().ToString().c_str());
    return;
  }
  size_t chunks = 0;
  for (auto _ : state) {
    std::vector<ChunkSpan> spans = chunker->Split(doc);
    chunks = spans.size();
    benchmark::DoNotOptimize(spans.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * chunks));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * doc.size()));
  state.counters["chunks"] = static_cast<double>(chunks);
}
BENCHMARK(BM_Chunker);

void BM_Chunker_Baseline(benchmark::State& state) { Memcpy(state); }
BENCHMARK(BM_Chunker_Baseline);

void BM_IsValidUtf8(benchmark::State& state) {
  const std::string& doc = TheDocument();
  for (auto _ : state) benchmark::DoNotOptimize(IsValidUtf8(doc));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * doc.size()));
}
BENCHMARK(BM_IsValidUtf8);

void BM_IsValidUtf8_Baseline(benchmark::State& state) { Memcpy(state); }
BENCHMARK(BM_IsValidUtf8_Baseline);

void BM_TokenizeWords(benchmark::State& state) {
  const std::string& doc = TheDocument();
  WordList words;
  for (auto _ : state) {
    TokenizeWords(doc, &words);
    benchmark::DoNotOptimize(words.size());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * doc.size()));
}
BENCHMARK(BM_TokenizeWords);

void BM_TokenizeWords_Baseline(benchmark::State& state) { Memcpy(state); }
BENCHMARK(BM_TokenizeWords_Baseline);

}  // namespace
}  // namespace roxi::text

BENCHMARK_MAIN();
