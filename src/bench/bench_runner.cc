#include "src/bench/bench_runner.h"

#include <algorithm>
#include <filesystem>
#include <memory>
#include <system_error>

#include "src/bench/corpus_generator.h"
#include "src/bench/exact_search.h"
#include "src/bench/peak_memory.h"
#include "src/common/clock.h"
#include "src/embedders/embedder_identity.h"
#include "src/index/searcher.h"
#include "src/index/simd_path.h"
#include "src/ingest/ingester.h"
#include "src/processor/processor.h"
#include "storage/store.h"

namespace roxi::bench {

namespace {

constexpr size_t kQueryWords = 8;

uint64_t Now() { return common::SystemClock().MonotonicMicros(); }
double MillisSince(uint64_t start) { return static_cast<double>(Now() - start) / 1e3; }

struct IndexSample {
  double search_p50 = 0, search_p99 = 0, recall = 0, wake_ms = 0;
  uint64_t peak = 0, index_bytes = 0;
};

struct RepeatSample {
  double ingest_cps = 0, process_cps = 0, batch_p50 = 0, batch_p99 = 0;
  uint64_t pipeline_peak = 0;
  std::vector<IndexSample> per_kind;
};

// The queries every search of the run asks: word spans of chunks spread through the store, with
// their vectors (queries whose text the embedder finds nothing in are passed over).
struct QuerySet {
  std::vector<std::string> texts;
  std::vector<float> vectors;  // texts.size() rows of the embedder's dimension
};

Result<QuerySet> PickQueries(const storage::Store& store, embedders::Embedder* embedder,
                             size_t wanted) {
  const uint64_t chunks = std::max<uint64_t>(1, store.GetCounters().chunks);
  const uint64_t stride = std::max<uint64_t>(1, chunks / (2 * wanted));
  std::vector<std::string> candidates;
  uint64_t seen = 0;
  ROXI_RETURN_IF_ERROR(
      store.ForEachChunk([&](format::ChunkId, const format::ChunkRecord& chunk) -> Status {
        if (seen++ % stride != 0 || candidates.size() >= 2 * wanted) return Status::OK();
        std::string query;
        size_t words = 0, pos = 0;
        const std::string& t = chunk.text;
        while (words < kQueryWords && pos < t.size()) {
          const size_t start = t.find_first_not_of(" \t\r\n", pos);
          if (start == std::string::npos) break;
          const size_t end = std::min(t.find_first_of(" \t\r\n", start), t.size());
          query += (query.empty() ? "" : " ") + t.substr(start, end - start);
          ++words;
          pos = end;
        }
        if (!query.empty()) candidates.push_back(std::move(query));
        return Status::OK();
      }));
  const uint32_t dim = embedder->info().dim;
  std::vector<std::string_view> views(candidates.begin(), candidates.end());
  std::vector<float> vectors(views.size() * dim);
  std::vector<Status> item_status;
  ROXI_RETURN_IF_ERROR(embedder->Embed(views, vectors, &item_status));
  QuerySet set;
  for (size_t i = 0; i < candidates.size() && set.texts.size() < wanted; ++i) {
    const float* row = vectors.data() + i * dim;
    const bool zero = std::all_of(row, row + dim, [](float v) { return v == 0.0f; });
    if (!item_status[i].ok() || zero) continue;
    set.texts.push_back(candidates[i]);
    set.vectors.insert(set.vectors.end(), row, row + dim);
  }
  if (set.texts.empty()) {
    return Status::InvalidArgument("bench corpus", "no chunk gives a searchable query");
  }
  return set;
}

Result<std::unique_ptr<storage::Store>> OpenStore(const std::string& dir, bool create) {
  storage::StoreOptions options;
  options.data_dir = dir;
  options.create_if_missing = create;
  return storage::Store::Open(options);
}

class Runner {
 public:
  Runner(const BenchOptions& options, const std::function<void(const BenchProgress&)>& progress,
         const std::function<bool()>& interrupted)
      : o_(options), progress_(progress), interrupted_(interrupted) {
    store_dir_ = (std::filesystem::path(o_.scratch_dir) / "store").string();
  }

  Result<BenchReport> Run();

 private:
  Status Interrupted() const {
    return interrupted_ && interrupted_() ? Status::Aborted("roxi bench", "interrupted")
                                          : Status::OK();
  }
  void Report(const std::string& what) {
    if (progress_) progress_({step_, steps_, what});
  }
  Status PrepareCorpus(BenchReport* report);
  // One repeat of a pipeline point; `label` prefixes its progress lines.
  Result<RepeatSample> RunRepeat(embedders::Embedder* embedder, size_t batch_size,
                                 const std::string& label, BenchReport* report);
  Result<IndexSample> MeasureIndex(IndexKind kind, embedders::Embedder* embedder,
                                   const format::EmbedderRecord& identity,
                                   const std::vector<std::vector<index::SearchHit>>& exact,
                                   BenchReport* report);

  const BenchOptions& o_;
  const std::function<void(const BenchProgress&)>& progress_;
  const std::function<bool()>& interrupted_;
  std::string store_dir_;
  std::string corpus_;
  std::optional<QuerySet> queries_;
  size_t step_ = 0;
  size_t steps_ = 0;
};

Status Runner::PrepareCorpus(BenchReport* report) {
  if (!o_.corpus.empty()) {
    corpus_ = o_.corpus;
    return Status::OK();
  }
  corpus_ = (std::filesystem::path(o_.scratch_dir) / "corpus").string();
  std::error_code ec;
  std::filesystem::create_directory(corpus_, ec);
  if (ec) return Status::IOError("bench corpus folder " + corpus_, ec.message());
  Report("generating a corpus of " + std::to_string(o_.chunks) + " chunks");
  ROXI_ASSIGN_OR_RETURN(GeneratedCorpus generated,
                        GenerateCorpus(corpus_, o_.chunks, o_.chunker, o_.seed));
  report->corpus_generated = true;
  report->corpus_bytes = generated.bytes;
  return Status::OK();
}

Result<RepeatSample> Runner::RunRepeat(embedders::Embedder* embedder, size_t batch_size,
                                       const std::string& label, BenchReport* report) {
  RepeatSample sample;
  std::error_code ec;
  std::filesystem::remove_all(store_dir_, ec);
  if (ec) return Status::IOError("bench store " + store_dir_, ec.message());
  const format::EmbedderRecord identity = embedders::IdentityOf(embedder->info());
  {
    PeakMemoryWindow window;
    report->peak_reset = report->peak_reset && window.reset();
    ROXI_ASSIGN_OR_RETURN(std::unique_ptr<storage::Store> store, OpenStore(store_dir_, true));
    ROXI_RETURN_IF_ERROR(store->BindEmbedder(identity));
    Report(label + ": ingest");
    ingest::IngestOptions ingest_options;
    ingest_options.chunker = o_.chunker;
    ingest::Ingester ingester(store.get(), ingest_options);
    uint64_t start = Now();
    ROXI_RETURN_IF_ERROR(
        ingester.Run(std::vector<std::string>{corpus_}).WithContext("bench corpus"));
    const double ingest_seconds = static_cast<double>(Now() - start) / 1e6;
    const auto& ingested = ingester.report();
    const uint64_t chunks = ingested.chunks_queued + ingested.chunks_reused;
    if (chunks == 0) return Status::InvalidArgument("bench corpus " + corpus_, "holds no text");
    sample.ingest_cps = static_cast<double>(chunks) / std::max(ingest_seconds, 1e-6);
    report->documents = store->GetCounters().documents;
    report->chunks = store->GetCounters().chunks;
    if (!o_.corpus.empty()) report->corpus_bytes = ingested.bytes_read;
    ROXI_RETURN_IF_ERROR(Interrupted());

    processor::ProcessorOptions process_options;
    process_options.batch_size = batch_size;
    processor::Processor processor(store.get(), embedder, process_options);
    std::vector<double> batch_ms;
    auto run = processor.Run(
        [&](const processor::BatchReport& batch, const format::CountersRecord& counters) {
          batch_ms.push_back(static_cast<double>(batch.micros) / 1e3);
          const uint64_t done = counters.embedded + counters.failed;
          Report(label + ": process " +
                 std::to_string(counters.chunks == 0 ? 100 : 100 * done / counters.chunks) + "%");
          if (interrupted_ && interrupted_()) processor.Stop();
        });
    ROXI_RETURN_IF_ERROR(run.status());
    ROXI_RETURN_IF_ERROR(Interrupted());
    const double process_seconds = static_cast<double>(run->micros) / 1e6;
    sample.process_cps = static_cast<double>(run->embedded) / std::max(process_seconds, 1e-6);
    sample.batch_p50 = Percentile(batch_ms, 50);
    sample.batch_p99 = Percentile(batch_ms, 99);
    sample.pipeline_peak = window.PeakBytes();
    if (!queries_) {
      ROXI_ASSIGN_OR_RETURN(QuerySet picked, PickQueries(*store, embedder, o_.queries));
      queries_ = std::move(picked);
    }
  }
  // The reference is computed outside every measured window: its cost is not the index's.
  std::vector<std::vector<index::SearchHit>> exact;
  {
    ROXI_ASSIGN_OR_RETURN(std::unique_ptr<storage::Store> store, OpenStore(store_dir_, false));
    Report(label + ": exact reference");
    ROXI_ASSIGN_OR_RETURN(exact, ExactTopK(*store, identity, queries_->vectors, o_.k));
  }
  for (IndexKind kind : o_.index_kinds) {
    ROXI_RETURN_IF_ERROR(Interrupted());
    Report(label + ": search " + std::string(IndexKindName(kind)));
    ROXI_ASSIGN_OR_RETURN(IndexSample s, MeasureIndex(kind, embedder, identity, exact, report));
    sample.per_kind.push_back(s);
  }
  return sample;
}

Result<IndexSample> Runner::MeasureIndex(IndexKind kind, embedders::Embedder* embedder,
                                         const format::EmbedderRecord& identity,
                                         const std::vector<std::vector<index::SearchHit>>& exact,
                                         BenchReport* report) {
  IndexSample sample;
  PeakMemoryWindow window;
  report->peak_reset = report->peak_reset && window.reset();
  const uint64_t start = Now();
  ROXI_ASSIGN_OR_RETURN(std::unique_ptr<storage::Store> store, OpenStore(store_dir_, false));
  ROXI_ASSIGN_OR_RETURN(std::unique_ptr<BenchIndex> idx, BuildBenchIndex(kind, *store, identity));
  const uint32_t dim = identity.dim;
  std::vector<float> query(dim);
  std::vector<Status> item_status;
  const std::string& first = queries_->texts.front();
  if (idx->flat() != nullptr) {
    index::SearchOptions options;
    options.k = o_.k;
    ROXI_RETURN_IF_ERROR(
        index::SearchStore(*store, *idx->flat(), *embedder, first, options).status());
    report->simd_path = std::string(index::SimdPathName(idx->flat()->simd_path()));
  } else {
    const std::string_view text[] = {first};
    ROXI_RETURN_IF_ERROR(embedder->Embed(text, query, &item_status));
    ROXI_ASSIGN_OR_RETURN(std::vector<index::SearchHit> hits, idx->Search(query, o_.k));
    std::vector<format::ChunkId> ids;
    for (const auto& h : hits) ids.push_back(format::ChunkId{h.id});
    for (const auto& chunk : store->MultiGetChunks(ids)) ROXI_RETURN_IF_ERROR(chunk.status());
  }
  sample.wake_ms = MillisSince(start);

  std::vector<double> latencies;
  double recall_sum = 0;
  for (size_t q = 0; q < queries_->texts.size(); ++q) {
    ROXI_RETURN_IF_ERROR(Interrupted());
    const uint64_t t = Now();
    const std::string_view text[] = {queries_->texts[q]};
    ROXI_RETURN_IF_ERROR(embedder->Embed(text, query, &item_status));
    ROXI_ASSIGN_OR_RETURN(std::vector<index::SearchHit> hits, idx->Search(query, o_.k));
    latencies.push_back(MillisSince(t));
    recall_sum += RecallOf(hits, exact[q]);
  }
  sample.search_p50 = Percentile(latencies, 50);
  sample.search_p99 = Percentile(latencies, 99);
  sample.recall = recall_sum / static_cast<double>(queries_->texts.size());
  sample.index_bytes = idx->MemoryBytes();
  sample.peak = window.PeakBytes();
  return sample;
}

Result<BenchReport> Runner::Run() {
  const uint64_t start = Now();
  BenchReport report;
  report.queries = o_.queries;
  report.k = o_.k;
  report.repeat = o_.repeat;
  std::vector<std::optional<uint32_t>> flights;
  for (uint32_t n : o_.requests_in_flight) flights.push_back(n);
  if (flights.empty()) flights.push_back(std::nullopt);
  steps_ = o_.batch_sizes.size() * flights.size() * o_.repeat;
  ROXI_RETURN_IF_ERROR(PrepareCorpus(&report));
  for (size_t batch_size : o_.batch_sizes) {
    for (const auto& flight : flights) {
      embedders::EmbedderOptions embedder_options = o_.embedder;
      if (flight) embedder_options.openai.requests_in_flight = *flight;
      ROXI_ASSIGN_OR_RETURN(std::unique_ptr<embedders::Embedder> embedder,
                            embedders::CreateEmbedder(embedder_options));
      report.embedder_id = embedder->info().id;
      report.dim = embedder->info().dim;
      std::vector<RepeatSample> samples;
      for (uint32_t r = 0; r < o_.repeat; ++r) {
        std::string label = "batch " + std::to_string(batch_size);
        if (flight) label += ", " + std::to_string(*flight) + " in flight";
        label += ", repeat " + std::to_string(r + 1) + "/" + std::to_string(o_.repeat);
        ROXI_ASSIGN_OR_RETURN(RepeatSample s,
                              RunRepeat(embedder.get(), batch_size, label, &report));
        samples.push_back(std::move(s));
        ++step_;
        Report(label + ": done");
      }
      for (size_t i = 0; i < o_.index_kinds.size(); ++i) {
        BenchPoint p;
        p.batch_size = batch_size;
        p.requests_in_flight = flight;
        p.index = o_.index_kinds[i];
        std::vector<double> ingest, process, b50, b99, ppeak, ipeak, s50, s99, recall, wake;
        for (const RepeatSample& s : samples) {
          const IndexSample& x = s.per_kind[i];
          ingest.push_back(s.ingest_cps);
          process.push_back(s.process_cps);
          b50.push_back(s.batch_p50);
          b99.push_back(s.batch_p99);
          ppeak.push_back(static_cast<double>(s.pipeline_peak));
          ipeak.push_back(static_cast<double>(x.peak));
          s50.push_back(x.search_p50);
          s99.push_back(x.search_p99);
          recall.push_back(x.recall);
          wake.push_back(x.wake_ms);
          p.index_bytes = x.index_bytes;
          p.peak_rss_bytes = std::max({p.peak_rss_bytes, s.pipeline_peak, x.peak});
        }
        p.ingest_chunks_per_second = SpreadOf(ingest);
        p.process_chunks_per_second = SpreadOf(process);
        p.batch_ms_p50 = SpreadOf(b50);
        p.batch_ms_p99 = SpreadOf(b99);
        p.pipeline_peak_rss_bytes = SpreadOf(ppeak);
        p.index_peak_rss_bytes = SpreadOf(ipeak);
        p.search_ms_p50 = SpreadOf(s50);
        p.search_ms_p99 = SpreadOf(s99);
        p.recall = SpreadOf(recall);
        p.wake_ms = SpreadOf(wake);
        report.points.push_back(p);
      }
    }
  }
  std::error_code ec;  // why: the caller removes the whole scratch folder anyway
  std::filesystem::remove_all(store_dir_, ec);
  report.micros = Now() - start;
  return report;
}

}  // namespace

uint64_t EstimateBatchBytes(size_t batch_size, uint32_t dim, uint32_t chunk_max_bytes) {
  const uint64_t per_chunk = uint64_t{chunk_max_bytes} + uint64_t{dim} * (4 + 2) + 256;
  return 2 * uint64_t{batch_size} * per_chunk;
}

Status ValidateBenchOptions(const BenchOptions& o) {
  if (o.scratch_dir.empty()) return Status::InvalidArgument("bench", "no scratch folder");
  if (o.batch_sizes.empty()) return Status::InvalidArgument("--batch-sizes", "empty grid");
  for (size_t b : o.batch_sizes) {
    if (b == 0) return Status::InvalidArgument("--batch-sizes", "a batch size of 0");
  }
  if (o.index_kinds.empty()) return Status::InvalidArgument("--index", "empty grid");
  const bool openai = o.embedder.spec.starts_with("openai:");
  if (openai && o.requests_in_flight.empty()) {
    return Status::InvalidArgument("--requests-in-flight", "empty grid");
  }
  if (!openai && !o.requests_in_flight.empty()) {
    return Status::InvalidArgument("--requests-in-flight", "applies to openai: embedders only");
  }
  for (uint32_t n : o.requests_in_flight) {
    if (n < 1 || n > 64) {
      return Status::InvalidArgument("--requests-in-flight",
                                     std::to_string(n) + " is outside 1..64");
    }
  }
  if (o.repeat == 0) return Status::InvalidArgument("--repeat", "want at least 1");
  if (o.queries == 0 || o.k == 0) return Status::InvalidArgument("bench", "no queries");
  if (o.corpus.empty() && o.chunks == 0)
    return Status::InvalidArgument("--chunks", "want at least 1");
  return text::ValidateChunkerOptions(o.chunker);
}

Result<BenchReport> RunBench(const BenchOptions& options,
                             const std::function<void(const BenchProgress&)>& progress,
                             const std::function<bool()>& interrupted) {
  ROXI_RETURN_IF_ERROR(ValidateBenchOptions(options));
  Runner runner(options, progress, interrupted);
  return runner.Run();
}

}  // namespace roxi::bench
