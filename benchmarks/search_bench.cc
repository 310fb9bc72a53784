// Benchmarks of the exact search (src/index/vector_index.h), each paired with a baseline in the
// same binary. 100,000 unit vectors of dim 384 held as binary16 (76.8 MB), k = 10, one query.
//
//   BM_ExactScan/path:P/split:T     VectorIndex::Search on kernel path P (0 scalar, 1 avx2,
//                                   2 avx512; a path the CPU lacks is skipped) split over T threads.
//   BM_ExactScanBatch/path:P        SearchBatch of 32 queries (each row block read once for all).
//   BM_FaissFlatSearch              Debian FAISS IndexFlatIP over the same vectors as float32.
//   every _Baseline                 a plain read of the 76.8 MB of binary16 rows (summed as 64-bit
//                                   words, so nothing is optimised away): the least any exact scan
//                                   of them must do. The ratio is the benchmark's throughput
//                                   (items/s for the batch: queries) over the read's.
//   BM_FilteredScan/permille:P/layout:L  a search filtered to P per mille of the documents
//                                   (scattered or clustered rows); its baseline is the unfiltered
//                                   search of the same index.
//   BM_IndexBuildFromHalfs          Create + Reserve + AddHalfs of the 100,000 stored vectors.
//   BM_IndexBuildFromHalfs_Baseline a memcpy of the same halves into a fresh buffer.
//
// The data is built once per process from a fixed seed; the index paths are checked against the
// scalar path before anything is timed. Results in benchmarks/RESULTS.md.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "format/float16.h"
#include "src/index/faiss_flat_index.h"
#include "src/index/vector_index.h"

namespace roxi::index {
namespace {

constexpr size_t kRows = 100'000;
constexpr uint32_t kDim = 384;
constexpr size_t kK = 10;
constexpr size_t kBatch = 32;
constexpr int64_t kHalfBytes = int64_t{kRows} * kDim * 2;

struct Corpus {
  std::vector<uint64_t> ids;
  std::vector<uint16_t> halfs;  // kRows * kDim, as stored
  std::vector<float> queries;   // kBatch * kDim unit vectors; row 0 is the single query
  std::vector<SearchHit> expected;  // query 0's hits on the scalar path
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

Corpus MakeCorpus() {
  Corpus c;
  std::mt19937 rng(1234);
  std::vector<float> source = RandomUnitVectors(rng, kRows);
  c.halfs.resize(source.size());
  format::FloatsToHalfs(source.data(), source.size(), c.halfs.data());
  c.queries = RandomUnitVectors(rng, kBatch);
  c.ids.resize(kRows);
  for (size_t i = 0; i < kRows; ++i) c.ids[i] = (uint64_t{i + 1} << 24) | (i % 7);
  return c;
}

const Corpus& GetCorpus() {
  static const Corpus corpus = MakeCorpus();
  return corpus;
}

// An index of the corpus on `path` over `threads` threads, or the reason there is none.
Result<std::unique_ptr<VectorIndex>> BuildIndex(SimdPath path, size_t threads) {
  const Corpus& c = GetCorpus();
  VectorIndexOptions options;
  options.simd = path;
  options.max_threads = threads;
  options.min_rows_per_thread = kRows / threads;
  ROXI_ASSIGN_OR_RETURN(std::unique_ptr<VectorIndex> index, VectorIndex::Create(kDim, options));
  ROXI_RETURN_IF_ERROR(index->Reserve(kRows));
  ROXI_RETURN_IF_ERROR(index->AddHalfs(c.ids, c.halfs));
  return index;
}

// Query 0's ids on the scalar path, one thread: what every other configuration must return.
const std::vector<SearchHit>& ScalarHits() {
  static const std::vector<SearchHit> hits = [] {
    auto index = BuildIndex(SimdPath::kScalar, 1);
    if (!index.ok()) return std::vector<SearchHit>{};
    auto found = (*index)->Search({GetCorpus().queries.data(), kDim}, kK);
    return found.ok() ? *found : std::vector<SearchHit>{};
  }();
  return hits;
}

bool SameIds(const std::vector<SearchHit>& a, const std::vector<SearchHit>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].id != b[i].id) return false;
  }
  return true;
}

// The plain read: every 8-byte word of the rows, summed in four independent chains.
[[gnu::noinline]] uint64_t ReadAll(const uint16_t* halfs, size_t count) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(halfs);
  const size_t words = count * 2 / 8;
  uint64_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  size_t i = 0;
  for (; i + 4 <= words; i += 4) {
    uint64_t w[4];
    std::memcpy(w, p + i * 8, sizeof(w));
    s0 += w[0];
    s1 += w[1];
    s2 += w[2];
    s3 += w[3];
  }
  for (; i < words; ++i) {
    uint64_t w;
    std::memcpy(&w, p + i * 8, 8);
    s0 += w;
  }
  return s0 + s1 + s2 + s3;
}

void ReadBaseline(benchmark::State& state, int64_t items_per_iteration) {
  const Corpus& c = GetCorpus();
  for (auto _ : state) benchmark::DoNotOptimize(ReadAll(c.halfs.data(), c.halfs.size()));
  state.SetItemsProcessed(state.iterations() * items_per_iteration);
  state.SetBytesProcessed(state.iterations() * kHalfBytes);
}

void BM_ExactScan(benchmark::State& state) {
  const SimdPath path = static_cast<SimdPath>(state.range(0));
  const size_t threads = static_cast<size_t>(state.range(1));
  if (!CpuSupports(path)) {
    state.SkipWithError("this CPU lacks the path");
    return;
  }
  auto index = BuildIndex(path, threads);
  if (!index.ok()) {
    state.SkipWithError(index.status().ToString().c_str());
    return;
  }
  const std::span<const float> query(GetCorpus().queries.data(), kDim);
  auto first = (*index)->Search(query, kK);
  if (!first.ok() || !SameIds(*first, ScalarHits())) {
    state.SkipWithError("disagrees with the scalar path");
    return;
  }
  for (auto _ : state) {
    auto hits = (*index)->Search(query, kK);
    benchmark::DoNotOptimize(hits);
  }
  state.SetLabel(std::string(SimdPathName(path)));
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * kHalfBytes);
}
void BM_ExactScan_Baseline(benchmark::State& state) { ReadBaseline(state, 1); }
BENCHMARK(BM_ExactScan)
    ->ArgNames({"path", "split"})
    ->Args({0, 1})->Args({1, 1})->Args({2, 1})->Args({2, 2})
    ->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ExactScan_Baseline)
    ->ArgNames({"path", "split"})
    ->Args({0, 1})->Args({1, 1})->Args({2, 1})->Args({2, 2})
    ->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_ExactScanBatch(benchmark::State& state) {
  const SimdPath path = static_cast<SimdPath>(state.range(0));
  if (!CpuSupports(path)) {
    state.SkipWithError("this CPU lacks the path");
    return;
  }
  auto index = BuildIndex(path, 1);
  if (!index.ok()) {
    state.SkipWithError(index.status().ToString().c_str());
    return;
  }
  for (auto _ : state) {
    auto hits = (*index)->SearchBatch(GetCorpus().queries, kK);
    benchmark::DoNotOptimize(hits);
  }
  state.SetItemsProcessed(state.iterations() * int64_t{kBatch});
  state.SetBytesProcessed(state.iterations() * kHalfBytes);
}
void BM_ExactScanBatch_Baseline(benchmark::State& state) { ReadBaseline(state, 1); }
BENCHMARK(BM_ExactScanBatch)->ArgName("path")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ExactScanBatch_Baseline)->ArgName("path")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

SimdPath FastestPath() {
  auto path = DefaultSimdPath();
  return path.ok() ? *path : SimdPath::kScalar;
}

// A filtered search (SearchFiltered) selecting `permille` of the rows by document, as the searcher
// does for `roxi search --filter`: a sorted list of accepted documents, looked up once per run of
// a document's rows. layout 0: the accepted rows are scattered (every (1000/permille)-th document
// of one chunk each); layout 1: clustered (documents of 100 consecutive chunks). The baseline is
// the unfiltered search of the same index, so the ratio is filtered over unfiltered speed.
void BM_FilteredScan(benchmark::State& state) {
  const size_t permille = static_cast<size_t>(state.range(0));
  const bool clustered = state.range(1) == 1;
  auto index = BuildIndex(FastestPath(), 1);
  if (!index.ok()) {
    state.SkipWithError(index.status().ToString().c_str());
    return;
  }
  const size_t stride = 1000 / permille;
  const size_t chunks_per_document = clustered ? 100 : 1;
  std::vector<uint64_t> accepted;  // documents, as the searcher keeps them
  for (size_t d = 0; d * chunks_per_document < kRows; d += stride) accepted.push_back(d);
  const std::span<const float> query(GetCorpus().queries.data(), kDim);
  size_t found = 0;
  for (auto _ : state) {
    uint64_t last = ~uint64_t{0};
    bool last_accepted = false;
    auto hits = (*index)->SearchFiltered(query, kK, -std::numeric_limits<float>::infinity(),
                                         [&](uint64_t id) {
                                           const uint64_t doc = ((id >> 24) - 1) / chunks_per_document;
                                           if (doc != last) {
                                             last = doc;
                                             last_accepted = std::binary_search(
                                                 accepted.begin(), accepted.end(), doc);
                                           }
                                           return last_accepted;
                                         });
    if (!hits.ok()) {
      state.SkipWithError(hits.status().ToString().c_str());
      return;
    }
    found = hits->size();
    benchmark::DoNotOptimize(hits);
  }
  if (found != kK) state.SkipWithError("fewer than k hits");
  state.SetLabel(clustered ? "clustered" : "scattered");
  state.SetItemsProcessed(state.iterations());
}
void BM_FilteredScan_Baseline(benchmark::State& state) {
  auto index = BuildIndex(FastestPath(), 1);
  if (!index.ok()) {
    state.SkipWithError(index.status().ToString().c_str());
    return;
  }
  const std::span<const float> query(GetCorpus().queries.data(), kDim);
  for (auto _ : state) {
    auto hits = (*index)->Search(query, kK);
    benchmark::DoNotOptimize(hits);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_FilteredScan)
    ->ArgNames({"permille", "layout"})
    ->Args({10, 0})->Args({1, 0})->Args({10, 1})->Args({1, 1})
    ->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_FilteredScan_Baseline)
    ->ArgNames({"permille", "layout"})
    ->Args({10, 0})->Args({1, 0})->Args({10, 1})->Args({1, 1})
    ->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_FaissFlatSearch(benchmark::State& state) {
  const Corpus& c = GetCorpus();
  auto index = FaissFlatIndex::Create(kDim);
  Status s = index.status();
  if (s.ok()) s = (*index)->AddHalfs(c.ids, c.halfs);
  if (!s.ok()) {
    state.SkipWithError(s.ToString().c_str());
    return;
  }
  const std::span<const float> query(c.queries.data(), kDim);
  for (auto _ : state) {
    auto hits = (*index)->Search(query, kK);
    benchmark::DoNotOptimize(hits);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * kHalfBytes);
}
void BM_FaissFlatSearch_Baseline(benchmark::State& state) { ReadBaseline(state, 1); }
BENCHMARK(BM_FaissFlatSearch)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_FaissFlatSearch_Baseline)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_IndexBuildFromHalfs(benchmark::State& state) {
  const Corpus& c = GetCorpus();
  for (auto _ : state) {
    auto index = VectorIndex::Create(kDim);
    Status s = index.status();
    if (s.ok()) s = (*index)->Reserve(kRows);
    if (s.ok()) s = (*index)->AddHalfs(c.ids, c.halfs);
    if (!s.ok()) {
      state.SkipWithError(s.ToString().c_str());
      break;
    }
    benchmark::DoNotOptimize(index->get());
  }
  state.SetItemsProcessed(state.iterations() * int64_t{kRows});
  state.SetBytesProcessed(state.iterations() * kHalfBytes);
}
void BM_IndexBuildFromHalfs_Baseline(benchmark::State& state) {
  const Corpus& c = GetCorpus();
  for (auto _ : state) {
    std::unique_ptr<uint16_t[]> copy = std::make_unique_for_overwrite<uint16_t[]>(c.halfs.size());
    std::memcpy(copy.get(), c.halfs.data(), c.halfs.size() * sizeof(uint16_t));
    benchmark::DoNotOptimize(copy.get());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * int64_t{kRows});
  state.SetBytesProcessed(state.iterations() * kHalfBytes);
}
BENCHMARK(BM_IndexBuildFromHalfs)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_IndexBuildFromHalfs_Baseline)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace roxi::index

BENCHMARK_MAIN();
