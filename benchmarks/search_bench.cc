// Benchmarks of VectorIndex (src/index/vector_index.h), each paired with a plain C++ baseline:
//
//   BM_FlatSearch             one query, k = 10, over 100,000 unit vectors of dim 384 (the index
//                             as loaded from binary16); queries/s and float bytes scanned per s.
//   BM_FlatSearch_Baseline    the same search as a float32 dot-product loop with a k-heap.
//   BM_FlatSearchBatch        32 queries in one SearchBatch call (FAISS's matrix-product path).
//   BM_FlatSearchBatch_Baseline  the float32 loop over the 32 queries, row by row.
//   BM_IndexBuildFromHalfs    Create + Reserve + AddHalfs of the 100,000 stored vectors.
//   BM_IndexBuildFromHalfs_Baseline  memcpy of the same vectors already as float32 into a fresh
//                             buffer: the least any build that ends with a float index must do.
//
// The data is built once per process from a fixed seed; the index and the baselines scan the same
// values (float32 rounded through binary16, as they come from the store). Release builds only.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "format/float16.h"
#include "src/index/vector_index.h"

namespace roxi::index {
namespace {

constexpr size_t kRows = 100'000;
constexpr uint32_t kDim = 384;
constexpr size_t kK = 10;
constexpr size_t kBatch = 32;
constexpr size_t kRowBytes = kDim * sizeof(float);

struct Corpus {
  std::vector<uint64_t> ids;
  std::vector<uint16_t> halfs;  // kRows * kDim, as stored
  std::vector<float> floats;    // the same values widened, for the baselines
  std::vector<float> queries;   // kBatch * kDim unit vectors; row 0 is the single query
  std::unique_ptr<VectorIndex> index;
  std::string error;  // why the search benchmarks cannot run; empty if they can
};

// n unit vectors: uniform components in [-1, 1), L2-normalised.
std::vector<float> RandomUnitVectors(std::mt19937& rng, size_t n) {
  std::vector<float> v(n * kDim);
  for (size_t r = 0; r < n; ++r) {
    float* row = v.data() + r * kDim;
    double norm2 = 0;
    for (uint32_t c = 0; c < kDim; ++c) {
      row[c] = static_cast<float>(rng() >> 8) * (2.0f / 16777216.0f) - 1.0f;
      norm2 += double{row[c]} * row[c];
    }
    const float inv = static_cast<float>(1.0 / std::sqrt(norm2));
    for (uint32_t c = 0; c < kDim; ++c) row[c] *= inv;
  }
  return v;
}

// Plain float32 dot product of two rows: the loop any brute-force search starts from. Kept out of
// line: inlined into the heap loops below, GCC 12 (-O3) keeps `sum` in a stack slot across
// iterations, which made the baseline about 1.8x slower than this same loop as a function.
[[gnu::noinline]] float Dot(const float* a, const float* b) {
  float sum = 0;
  for (uint32_t d = 0; d < kDim; ++d) sum += a[d] * b[d];
  return sum;
}

// The baseline: one float32 dot product per row, keeping the k best in a min-heap; best first.
std::vector<SearchHit> BruteForceTopK(const Corpus& c, const float* query, size_t k) {
  auto worse = [](const SearchHit& a, const SearchHit& b) { return a.score > b.score; };
  std::vector<SearchHit> heap;
  heap.reserve(k);
  for (size_t r = 0; r < kRows; ++r) {
    const float* row = c.floats.data() + r * kDim;
    const float dot = Dot(query, row);
    if (heap.size() < k) {
      heap.push_back({c.ids[r], dot});
      std::push_heap(heap.begin(), heap.end(), worse);
    } else if (dot > heap.front().score) {
      std::pop_heap(heap.begin(), heap.end(), worse);
      heap.back() = {c.ids[r], dot};
      std::push_heap(heap.begin(), heap.end(), worse);
    }
  }
  std::sort_heap(heap.begin(), heap.end(), worse);
  return heap;
}

// As BruteForceTopK for nq queries at once, reading each row once for all of them.
std::vector<std::vector<SearchHit>> BruteForceTopKBatch(const Corpus& c, size_t nq, size_t k) {
  auto worse = [](const SearchHit& a, const SearchHit& b) { return a.score > b.score; };
  std::vector<std::vector<SearchHit>> heaps(nq);
  for (size_t r = 0; r < kRows; ++r) {
    const float* row = c.floats.data() + r * kDim;
    for (size_t q = 0; q < nq; ++q) {
      const float* query = c.queries.data() + q * kDim;
      const float dot = Dot(query, row);
      std::vector<SearchHit>& heap = heaps[q];
      if (heap.size() < k) {
        heap.push_back({c.ids[r], dot});
        std::push_heap(heap.begin(), heap.end(), worse);
      } else if (dot > heap.front().score) {
        std::pop_heap(heap.begin(), heap.end(), worse);
        heap.back() = {c.ids[r], dot};
        std::push_heap(heap.begin(), heap.end(), worse);
      }
    }
  }
  for (std::vector<SearchHit>& heap : heaps) std::sort_heap(heap.begin(), heap.end(), worse);
  return heaps;
}

// Builds the index and checks that it agrees with the brute force on the top-k ids of every
// query, one at a time and as a batch; returns what went wrong, or an empty string.
std::string BuildAndVerify(Corpus* c) {
  Result<std::unique_ptr<VectorIndex>> created = VectorIndex::Create(kDim);
  if (!created.ok()) return created.status().ToString();
  c->index = std::move(created).value();
  Status s = c->index->Reserve(kRows);
  if (s.ok()) s = c->index->AddHalfs(c->ids, c->halfs);
  if (!s.ok()) return s.ToString();
  Result<std::vector<std::vector<SearchHit>>> batch = c->index->SearchBatch(c->queries, kK);
  if (!batch.ok()) return batch.status().ToString();
  const std::vector<std::vector<SearchHit>> expected = BruteForceTopKBatch(*c, kBatch, kK);
  for (size_t q = 0; q < kBatch; ++q) {
    Result<std::vector<SearchHit>> single =
        c->index->Search({c->queries.data() + q * kDim, kDim}, kK);
    if (!single.ok()) return single.status().ToString();
    for (const std::vector<SearchHit>* got : {&*single, &(*batch)[q]}) {
      if (got->size() != kK) return "wrong hit count";
      for (size_t i = 0; i < kK; ++i) {
        if ((*got)[i].id != expected[q][i].id) return "index and brute force disagree";
      }
    }
  }
  return "";
}

Corpus MakeCorpus() {
  Corpus c;
  std::mt19937 rng(1234);
  std::vector<float> source = RandomUnitVectors(rng, kRows);
  c.halfs.resize(source.size());
  format::FloatsToHalfs(source.data(), source.size(), c.halfs.data());
  source = {};
  c.floats.resize(c.halfs.size());
  format::HalfsToFloats(c.halfs.data(), c.halfs.size(), c.floats.data());
  c.queries = RandomUnitVectors(rng, kBatch);
  c.ids.resize(kRows);
  for (size_t i = 0; i < kRows; ++i) c.ids[i] = (uint64_t{i + 1} << 24) | (i % 7);
  c.error = BuildAndVerify(&c);
  if (!c.error.empty()) std::fprintf(stderr, "search_bench: %s\n", c.error.c_str());
  return c;
}

// Built on first use and kept for the process.
const Corpus* GetCorpus() {
  static const Corpus corpus = MakeCorpus();
  return &corpus;
}

void BM_FlatSearch(benchmark::State& state) {
  const Corpus* c = GetCorpus();
  if (!c->error.empty()) {
    state.SkipWithError(c->error.c_str());
    return;
  }
  const std::span<const float> query(c->queries.data(), kDim);
  for (auto _ : state) {
    Result<std::vector<SearchHit>> hits = c->index->Search(query, kK);
    if (!hits.ok()) {
      state.SkipWithError(hits.status().ToString().c_str());
      break;
    }
    benchmark::DoNotOptimize(hits->data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * int64_t{kRows * kRowBytes});
}
BENCHMARK(BM_FlatSearch)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_FlatSearch_Baseline(benchmark::State& state) {
  const Corpus* c = GetCorpus();
  if (!c->error.empty()) {
    state.SkipWithError(c->error.c_str());
    return;
  }
  for (auto _ : state) {
    std::vector<SearchHit> hits = BruteForceTopK(*c, c->queries.data(), kK);
    benchmark::DoNotOptimize(hits.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * int64_t{kRows * kRowBytes});
}
BENCHMARK(BM_FlatSearch_Baseline)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_FlatSearchBatch(benchmark::State& state) {
  const Corpus* c = GetCorpus();
  if (!c->error.empty()) {
    state.SkipWithError(c->error.c_str());
    return;
  }
  for (auto _ : state) {
    Result<std::vector<std::vector<SearchHit>>> hits = c->index->SearchBatch(c->queries, kK);
    if (!hits.ok()) {
      state.SkipWithError(hits.status().ToString().c_str());
      break;
    }
    benchmark::DoNotOptimize(hits->data());
  }
  state.SetItemsProcessed(state.iterations() * int64_t{kBatch});
  state.SetBytesProcessed(state.iterations() * int64_t{kRows * kRowBytes});
}
BENCHMARK(BM_FlatSearchBatch)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_FlatSearchBatch_Baseline(benchmark::State& state) {
  const Corpus* c = GetCorpus();
  if (!c->error.empty()) {
    state.SkipWithError(c->error.c_str());
    return;
  }
  for (auto _ : state) {
    std::vector<std::vector<SearchHit>> hits = BruteForceTopKBatch(*c, kBatch, kK);
    benchmark::DoNotOptimize(hits.data());
  }
  state.SetItemsProcessed(state.iterations() * int64_t{kBatch});
  state.SetBytesProcessed(state.iterations() * int64_t{kRows * kRowBytes});
}
BENCHMARK(BM_FlatSearchBatch_Baseline)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_IndexBuildFromHalfs(benchmark::State& state) {
  const Corpus* c = GetCorpus();
  for (auto _ : state) {
    Result<std::unique_ptr<VectorIndex>> index = VectorIndex::Create(kDim);
    Status s = index.status();
    if (s.ok()) s = (*index)->Reserve(kRows);
    if (s.ok()) s = (*index)->AddHalfs(c->ids, c->halfs);
    if (!s.ok()) {
      state.SkipWithError(s.ToString().c_str());
      break;
    }
    benchmark::DoNotOptimize(index->get());
  }
  state.SetItemsProcessed(state.iterations() * int64_t{kRows});
  state.SetBytesProcessed(state.iterations() * int64_t{kRows * kRowBytes});  // float bytes built
}
BENCHMARK(BM_IndexBuildFromHalfs)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_IndexBuildFromHalfs_Baseline(benchmark::State& state) {
  const Corpus* c = GetCorpus();
  for (auto _ : state) {
    std::unique_ptr<float[]> copy = std::make_unique_for_overwrite<float[]>(c->floats.size());
    std::memcpy(copy.get(), c->floats.data(), c->floats.size() * sizeof(float));
    benchmark::DoNotOptimize(copy.get());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * int64_t{kRows});
  state.SetBytesProcessed(state.iterations() * int64_t{kRows * kRowBytes});
}
BENCHMARK(BM_IndexBuildFromHalfs_Baseline)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace roxi::index

BENCHMARK_MAIN();
