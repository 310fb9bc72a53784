// Throughput of roxi's whole pipeline, files -> chunks -> store -> embeddings -> store, on a
// generated corpus written once per process to a temporary directory (bench_files.h: 500 files of
// ~100 KB English-like paragraphs, about 60,000 chunks with the default chunker options). One
// iteration is one whole run over the corpus in a fresh data directory, so run with repetitions
// (tools/bench_ratio does). Each benchmark is paired with a baseline over the same chunks:
//
//   BM_IngestProcess/batch:B    Ingester over the corpus folder, then Processor::Run to completion
//                               with the built-in embedder, batches of B; fsynced commits (the
//                               default). Counters: ingest_s and process_s split the run in two.
//   BM_IngestProcess_Baseline/batch:B   the built-in embedder alone over the same chunk texts
//                               (chunked in memory beforehand, untimed), B per Embed call. The
//                               ratio is the pipeline's cost as a multiple of pure embedding.
//   BM_IngestProcessNoSync/batch:256    as BM_IngestProcess with StoreOptions::sync_writes = false:
//                               what the fsyncs cost (not durable against power loss: not roxi's
//                               behaviour, a measurement only); its baseline is the same embedding.
//   BM_IngestOnly               the Ingester alone (read, check, chunk, Store::Ingest).
//   BM_IngestOnly_Baseline      read and chunk the same files and write the chunk texts with raw
//                               RocksDB WriteBatches of the Ingester's size (8 MiB), fsynced.
//   BM_ProcessOnly/batch:B      Processor::Run over a store the Ingester filled (untimed).
//   BM_ProcessOnly_Baseline/batch:B     embed B chunks, write their 768-byte float16 vectors in one
//                               raw RocksDB WriteBatch, fsynced; repeat.
//   BM_ProcessOnlySequential/batch:B    as BM_ProcessOnly, but each batch is selected, embedded,
//                               committed and verified before the next is selected
//                               (Processor::RunBatch in a loop), as Run worked before it overlapped
//                               embedding one batch with committing the previous one: the pipeline's
//                               gain, measured in the same run. Its baseline is BM_ProcessOnly's.
//   BM_StoreWrite/batch:B       the Store's own cost: Store::Ingest of the documents and chunks
//                               built in memory (untimed), then Processor::Run with an embedder
//                               that returns a constant vector, so no file reading, no chunking and
//                               (almost) no embedding remain.
//   BM_StoreWrite_Baseline/batch:B      raw RocksDB: the same chunk bytes in 8 MiB WriteBatches,
//                               then the 768-byte vectors in WriteBatches of B, each fsynced.
//
// Every benchmark counts chunks as items and the corpus's source bytes as bytes, so chunks/s and
// MB/s compare across rows (chunk texts overlap, so they add up to ~15% more than the source).
// cpu_s is the CPU time of all the process's threads while timed (RocksDB's background work
// included), which a busy shared machine disturbs far less than wall time. peak_rss_MB is the
// process's peak resident set during the run, preparation included (bench_resources.h);
// start_rss_MB what it held when the run began. The raw RocksDB baselines use the Store's column
// family tuning (write buffers, compression) so that the ratio isolates roxi's own work: records,
// checksums, the pending queue, counters, checkpoints and the read-back check.
//
// Release builds only. Data directories live under $TMPDIR (else /tmp): point it at the disk you
// want measured, since the fsync cost is the disk's.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "benchmarks/bench_files.h"
#include "benchmarks/bench_raw_rocks.h"
#include "benchmarks/bench_resources.h"
#include "format/hash.h"
#include "format/keys.h"
#include "src/embedders/builtin_embedder.h"
#include "src/embedders/embedder_identity.h"
#include "src/ingest/ingester.h"
#include "src/processor/processor.h"
#include "src/text/chunker.h"
#include "storage/store.h"

namespace roxi::bench {
namespace {

using Clock = std::chrono::steady_clock;

constexpr uint32_t kDim = embedders::BuiltinEmbedder::kDefaultDim;
constexpr size_t kVectorBytes = kDim * 2;  // binary16
constexpr size_t kMinChunks = 50'000;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

// ---- The corpus ---------------------------------------------------------------------------------

struct Document {
  std::string path;  // absolute, as the Ingester names it
  std::string content;
  std::vector<text::ChunkSpan> spans;
};

// Reads every corpus file in name order and chunks it with the default options, as the Ingester
// does. IOError naming the file if one cannot be read.
Status LoadDocuments(const std::string& dir, size_t files, std::vector<Document>* out) {
  ROXI_ASSIGN_OR_RETURN(text::Chunker chunker, text::Chunker::Create(text::ChunkerOptions{}));
  out->clear();
  out->reserve(files);
  for (size_t i = 0; i < files; ++i) {
    Document doc;
    doc.path = std::filesystem::absolute(std::filesystem::path(dir) / CorpusFileName(i)).string();
    // Sized once and read in one call, as the Ingester reads a file.
    std::ifstream in(doc.path, std::ios::binary | std::ios::ate);
    const std::streamoff size = in.tellg();
    if (size >= 0) {
      doc.content.resize(static_cast<size_t>(size));
      in.seekg(0);
      in.read(doc.content.data(), size);
    }
    if (!in || size < 0) return Status::IOError("corpus file " + doc.path, "read failed");
    doc.spans = chunker.Split(doc.content);
    out->push_back(std::move(doc));
  }
  return Status::OK();
}

// The chunk texts of `docs`, in ChunkId order (the order the Processor embeds them in).
std::vector<std::string_view> ChunkTexts(const std::vector<Document>& docs) {
  std::vector<std::string_view> texts;
  for (const Document& doc : docs) {
    for (const text::ChunkSpan& span : doc.spans) texts.push_back(span.TextIn(doc.content));
  }
  return texts;
}

struct Corpus {
  const CorpusSpec spec;
  TempDir root{"roxi-pipeline-corpus"};
  std::string docs_dir;  // the folder ingested
  uint64_t bytes = 0;
  uint64_t chunks = 0;
  std::string error;  // why the benchmarks cannot run; empty if they can

  Corpus() {
    if (root.path().empty()) {
      error = root.error();
      return;
    }
    docs_dir = (std::filesystem::path(root.path()) / "docs").string();
    std::error_code ec;
    std::filesystem::create_directory(docs_dir, ec);
    Status s = ec ? Status::IOError("corpus folder " + docs_dir, ec.message())
                  : WriteCorpus(docs_dir, spec, &bytes);
    std::vector<Document> docs;
    if (s.ok()) s = LoadDocuments(docs_dir, spec.files, &docs);
    if (!s.ok()) {
      error = s.ToString();
      return;
    }
    chunks = ChunkTexts(docs).size();
    if (chunks < kMinChunks) error = "corpus has only " + std::to_string(chunks) + " chunks";
  }
};

const Corpus& TheCorpus() {
  static const Corpus corpus;
  return corpus;
}

// ---- Helpers ------------------------------------------------------------------------------------

// Internal unless every chunk of the corpus was embedded and none is pending.
Status CheckAllEmbedded(const storage::Store& store, const Corpus& corpus) {
  const format::CountersRecord c = store.GetCounters();
  if (c.chunks != corpus.chunks || c.embedded != corpus.chunks || c.pending != 0) {
    return Status::Internal("pipeline", "store holds " + std::to_string(c.chunks) + " chunks, " +
                                            std::to_string(c.embedded) + " embedded, " +
                                            std::to_string(c.pending) + " pending; expected " +
                                            std::to_string(corpus.chunks) + " embedded");
  }
  return Status::OK();
}

Result<std::unique_ptr<storage::Store>> OpenStore(const std::string& dir, bool sync,
                                                  const embedders::Embedder& embedder) {
  storage::StoreOptions options;
  options.data_dir = dir;
  options.sync_writes = sync;
  ROXI_ASSIGN_OR_RETURN(std::unique_ptr<storage::Store> store, storage::Store::Open(options));
  ROXI_RETURN_IF_ERROR(store->BindEmbedder(embedders::IdentityOf(embedder.info())));
  return store;
}

Status Ingest(storage::Store* store, const Corpus& corpus) {
  ingest::Ingester ingester(store, ingest::IngestOptions{});
  const std::vector<std::string> inputs = {corpus.docs_dir};
  return ingester.Run(inputs);
}

Status Process(storage::Store* store, embedders::Embedder* embedder, size_t batch_size,
               bool sequential = false) {
  processor::ProcessorOptions options;
  options.batch_size = batch_size;
  processor::Processor processor(store, embedder, options);
  if (!sequential) return processor.Run().status();
  while (true) {
    ROXI_ASSIGN_OR_RETURN(processor::BatchReport batch, processor.RunBatch());
    if (batch.selected == 0) return Status::OK();
  }
}

// An embedder that costs (almost) nothing: every text gets the same unit vector.
class ConstantEmbedder final : public embedders::Embedder {
 public:
  ConstantEmbedder() : info_{"bench-constant:" + std::to_string(kDim), kDim} {}
  const embedders::EmbedderInfo& info() const override { return info_; }
  Status Embed(std::span<const std::string_view> texts, std::span<float> out,
               std::vector<Status>* item_status) override {
    std::fill(out.begin(), out.end(), 1.0f / std::sqrt(static_cast<float>(kDim)));
    item_status->assign(texts.size(), Status::OK());
    return Status::OK();
  }

 private:
  embedders::EmbedderInfo info_;
};

// The documents as the Ingester would hand them to Store::Ingest, in its batches: a batch closes
// once it holds IngestOptions::batch_bytes of text or batch_documents documents.
std::vector<std::vector<storage::DocumentUpdate>> IngestBatches(const std::vector<Document>& docs) {
  const ingest::IngestOptions defaults;
  std::vector<std::vector<storage::DocumentUpdate>> batches(1);
  uint64_t batch_bytes = 0;
  for (const Document& doc : docs) {
    storage::DocumentUpdate update;
    update.document.name = doc.path;
    update.document.source_path = doc.path;
    update.document.content_hash = format::Xxh3(doc.content);
    update.document.size_bytes = doc.content.size();
    for (const text::ChunkSpan& span : doc.spans) {
      format::ChunkRecord chunk;
      chunk.byte_offset = span.byte_offset;
      chunk.text = std::string(span.TextIn(doc.content));
      update.chunks.push_back(std::move(chunk));
    }
    batches.back().push_back(std::move(update));
    batch_bytes += doc.content.size();
    if (batch_bytes >= defaults.batch_bytes || batches.back().size() >= defaults.batch_documents) {
      batches.emplace_back();
      batch_bytes = 0;
    }
  }
  if (batches.back().empty()) batches.pop_back();
  return batches;
}

// ---- Running one benchmark ----------------------------------------------------------------------

// The frame every benchmark here shares. It holds the corpus, the peak-RSS window (opened before
// any per-benchmark preparation, so that counts too) and a CPU clock that, like the benchmark's own
// timer, runs only while timing does. Each iteration gets a fresh directory, created and removed
// outside the timed region: `prepare` (untimed, may be null) then `work` (timed) run in it.
class Run {
 public:
  using Step = std::function<Status(const std::string& dir)>;

  explicit Run(benchmark::State& state) : state_(state), corpus_(TheCorpus()) {}
  Run(const Run&) = delete;
  Run& operator=(const Run&) = delete;

  const Corpus& corpus() const { return corpus_; }
  size_t batch_size() const { return static_cast<size_t>(state_.range(0)); }
  // False (after SkipWithError) when the corpus could not be built.
  bool ready() {
    if (corpus_.error.empty()) return true;
    state_.SkipWithError(corpus_.error.c_str());
    return false;
  }
  // Skips the benchmark with `s` unless it is OK; returns s.ok().
  bool Check(const Status& s) {
    if (!s.ok()) state_.SkipWithError(s.ToString().c_str());
    return s.ok();
  }

  void Iterate(const Step& prepare, const Step& work) {
    double cpu = 0;
    double since = ProcessCpuSeconds();
    for (auto _ : state_) {
      state_.PauseTiming();
      cpu += ProcessCpuSeconds() - since;
      auto dir = std::make_unique<TempDir>("roxi-pipeline-data");
      Status s =
          dir->path().empty() ? Status::IOError("data directory", dir->error()) : Status::OK();
      if (s.ok() && prepare) s = prepare(dir->path());
      since = ProcessCpuSeconds();
      state_.ResumeTiming();
      if (s.ok()) s = work(dir->path());
      state_.PauseTiming();
      cpu += ProcessCpuSeconds() - since;
      dir.reset();
      since = ProcessCpuSeconds();
      state_.ResumeTiming();
      if (!Check(s)) break;
    }
    cpu += ProcessCpuSeconds() - since;
    const auto n = static_cast<double>(std::max<benchmark::IterationCount>(state_.iterations(), 1));
    state_.SetItemsProcessed(static_cast<int64_t>(state_.iterations() * corpus_.chunks));
    state_.SetBytesProcessed(static_cast<int64_t>(state_.iterations() * corpus_.bytes));
    state_.counters["chunks"] = static_cast<double>(corpus_.chunks);
    state_.counters["cpu_s"] = cpu / n;
    state_.counters["peak_rss_MB"] = rss_.PeakMiB();
    state_.counters["start_rss_MB"] = rss_.StartMiB();
    if (!rss_.reset()) state_.SetLabel("peak RSS is the process's, not this run's");
  }

 private:
  benchmark::State& state_;
  const Corpus& corpus_;
  PeakRss rss_;
};

// The chunk texts of the corpus, chunked in memory (untimed preparation for the baselines).
bool LoadChunkTexts(Run* run, std::vector<Document>* docs, std::vector<std::string_view>* texts) {
  if (!run->Check(LoadDocuments(run->corpus().docs_dir, run->corpus().spec.files, docs))) {
    return false;
  }
  *texts = ChunkTexts(*docs);
  return true;
}

// Embeds `texts` with the built-in embedder, batch_size per call; after each call, `then` (may be
// null) gets the index of the batch's first text and the batch's size.
Status EmbedAll(std::span<const std::string_view> texts, size_t batch_size,
                const std::function<Status(size_t, size_t)>& then) {
  embedders::BuiltinEmbedder embedder;
  std::vector<float> out(batch_size * kDim);
  std::vector<Status> item_status;
  for (size_t i = 0; i < texts.size(); i += batch_size) {
    const size_t n = std::min(batch_size, texts.size() - i);
    ROXI_RETURN_IF_ERROR(
        embedder.Embed(texts.subspan(i, n), std::span(out).first(n * kDim), &item_status));
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
    if (then) ROXI_RETURN_IF_ERROR(then(i, n));
  }
  return Status::OK();
}

// ---- The pipeline and its embedding baseline ----------------------------------------------------

void IngestProcess(benchmark::State& state, bool sync) {
  Run run(state);
  if (!run.ready()) return;
  double ingest_s = 0, process_s = 0, store_mb = 0;
  run.Iterate(nullptr, [&](const std::string& dir) -> Status {
    const Clock::time_point start = Clock::now();
    embedders::BuiltinEmbedder embedder;
    ROXI_ASSIGN_OR_RETURN(std::unique_ptr<storage::Store> store, OpenStore(dir, sync, embedder));
    ROXI_RETURN_IF_ERROR(Ingest(store.get(), run.corpus()));
    ingest_s += Seconds(start);
    const Clock::time_point mid = Clock::now();
    ROXI_RETURN_IF_ERROR(Process(store.get(), &embedder, run.batch_size()));
    ROXI_RETURN_IF_ERROR(CheckAllEmbedded(*store, run.corpus()));
    store_mb = static_cast<double>(store->DiskBytes()) / 1e6;
    store.reset();  // closing is part of the run
    process_s += Seconds(mid);
    return Status::OK();
  });
  const auto n = static_cast<double>(std::max<benchmark::IterationCount>(state.iterations(), 1));
  state.counters["ingest_s"] = ingest_s / n;
  state.counters["process_s"] = process_s / n;
  state.counters["store_MB"] = store_mb;
}

// The built-in embedder over the corpus's chunk texts, batch_size per call.
void EmbedAlone(benchmark::State& state) {
  Run run(state);
  std::vector<Document> docs;
  std::vector<std::string_view> texts;
  if (!run.ready() || !LoadChunkTexts(&run, &docs, &texts)) return;
  run.Iterate(nullptr,
              [&](const std::string&) { return EmbedAll(texts, run.batch_size(), nullptr); });
}

void BM_IngestProcess(benchmark::State& state) { IngestProcess(state, /*sync=*/true); }
void BM_IngestProcess_Baseline(benchmark::State& state) { EmbedAlone(state); }
void BM_IngestProcessNoSync(benchmark::State& state) { IngestProcess(state, /*sync=*/false); }
void BM_IngestProcessNoSync_Baseline(benchmark::State& state) { EmbedAlone(state); }

// ---- The two phases, each against its least RocksDB cost ----------------------------------------

void BM_IngestOnly(benchmark::State& state) {
  Run run(state);
  if (!run.ready()) return;
  run.Iterate(nullptr, [&](const std::string& dir) -> Status {
    embedders::BuiltinEmbedder embedder;
    ROXI_ASSIGN_OR_RETURN(std::unique_ptr<storage::Store> store, OpenStore(dir, true, embedder));
    return Ingest(store.get(), run.corpus());
  });
}

void BM_IngestOnly_Baseline(benchmark::State& state) {
  Run run(state);
  if (!run.ready()) return;
  run.Iterate(nullptr, [&](const std::string& dir) -> Status {
    std::vector<Document> docs;
    ROXI_RETURN_IF_ERROR(LoadDocuments(run.corpus().docs_dir, run.corpus().spec.files, &docs));
    ROXI_ASSIGN_OR_RETURN(std::unique_ptr<RawDb> db, RawDb::Open(dir));
    return RawPutTexts(db.get(), ChunkTexts(docs), ingest::IngestOptions{}.batch_bytes);
  });
}

void ProcessOnly(benchmark::State& state, bool sequential) {
  Run run(state);
  if (!run.ready()) return;
  embedders::BuiltinEmbedder embedder;
  std::unique_ptr<storage::Store> store;
  run.Iterate(
      [&](const std::string& dir) -> Status {
        ROXI_ASSIGN_OR_RETURN(store, OpenStore(dir, true, embedder));
        return Ingest(store.get(), run.corpus());
      },
      [&](const std::string&) -> Status {
        ROXI_RETURN_IF_ERROR(Process(store.get(), &embedder, run.batch_size(), sequential));
        ROXI_RETURN_IF_ERROR(CheckAllEmbedded(*store, run.corpus()));
        store.reset();
        return Status::OK();
      });
}

void BM_ProcessOnly(benchmark::State& state) { ProcessOnly(state, /*sequential=*/false); }
void BM_ProcessOnlySequential(benchmark::State& state) { ProcessOnly(state, /*sequential=*/true); }

// Embeds B chunks and writes their vectors in one raw, fsynced WriteBatch; repeats.
void EmbedAndWriteRawVectors(benchmark::State& state) {
  Run run(state);
  std::vector<Document> docs;
  std::vector<std::string_view> texts;
  if (!run.ready() || !LoadChunkTexts(&run, &docs, &texts)) return;
  const std::string vector = NoiseBytes(kVectorBytes);
  run.Iterate(nullptr, [&](const std::string& dir) -> Status {
    ROXI_ASSIGN_OR_RETURN(std::unique_ptr<RawDb> db, RawDb::Open(dir));
    return EmbedAll(texts, run.batch_size(), [&](size_t first, size_t n) {
      return RawPutVectors(db.get(), first + 1, n, vector);
    });
  });
}

void BM_ProcessOnly_Baseline(benchmark::State& state) { EmbedAndWriteRawVectors(state); }
void BM_ProcessOnlySequential_Baseline(benchmark::State& state) {
  EmbedAndWriteRawVectors(state);
}

// ---- The Store against raw RocksDB, with embedding and file work taken out ----------------------

void BM_StoreWrite(benchmark::State& state) {
  Run run(state);
  std::vector<Document> docs;
  if (!run.ready() ||
      !run.Check(LoadDocuments(run.corpus().docs_dir, run.corpus().spec.files, &docs))) {
    return;
  }
  const std::vector<std::vector<storage::DocumentUpdate>> batches = IngestBatches(docs);
  docs.clear();
  run.Iterate(nullptr, [&](const std::string& dir) -> Status {
    ConstantEmbedder embedder;
    ROXI_ASSIGN_OR_RETURN(std::unique_ptr<storage::Store> store, OpenStore(dir, true, embedder));
    for (const auto& batch : batches) ROXI_RETURN_IF_ERROR(store->Ingest(batch).status());
    ROXI_RETURN_IF_ERROR(Process(store.get(), &embedder, run.batch_size()));
    return CheckAllEmbedded(*store, run.corpus());
  });
}

void BM_StoreWrite_Baseline(benchmark::State& state) {
  Run run(state);
  std::vector<Document> docs;
  std::vector<std::string_view> texts;
  if (!run.ready() || !LoadChunkTexts(&run, &docs, &texts)) return;
  const std::string vector = NoiseBytes(kVectorBytes);
  run.Iterate(nullptr, [&](const std::string& dir) -> Status {
    ROXI_ASSIGN_OR_RETURN(std::unique_ptr<RawDb> db, RawDb::Open(dir));
    ROXI_RETURN_IF_ERROR(RawPutTexts(db.get(), texts, ingest::IngestOptions{}.batch_bytes));
    for (size_t i = 0; i < texts.size(); i += run.batch_size()) {
      const size_t n = std::min(run.batch_size(), texts.size() - i);
      ROXI_RETURN_IF_ERROR(RawPutVectors(db.get(), i + 1, n, vector));
    }
    return Status::OK();
  });
}

// One iteration is a whole run; repetitions come from the command line. Real time, because the
// work includes fsync waits and RocksDB's background threads.
void Whole(benchmark::internal::Benchmark* b) {
  b->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();
}
void Batches(benchmark::internal::Benchmark* b) {
  Whole(b);
  b->ArgName("batch")->Arg(64)->Arg(256)->Arg(1024);
}
void DefaultBatch(benchmark::internal::Benchmark* b) {
  Whole(b);
  b->ArgName("batch")->Arg(processor::ProcessorOptions{}.batch_size);
}

BENCHMARK(BM_IngestProcess)->Apply(Batches);
BENCHMARK(BM_IngestProcess_Baseline)->Apply(Batches);
BENCHMARK(BM_IngestProcessNoSync)->Apply(DefaultBatch);
BENCHMARK(BM_IngestProcessNoSync_Baseline)->Apply(DefaultBatch);
BENCHMARK(BM_IngestOnly)->Apply(Whole);
BENCHMARK(BM_IngestOnly_Baseline)->Apply(Whole);
BENCHMARK(BM_ProcessOnly)->Apply(DefaultBatch);
BENCHMARK(BM_ProcessOnly_Baseline)->Apply(DefaultBatch);
BENCHMARK(BM_ProcessOnlySequential)->Apply(DefaultBatch);
BENCHMARK(BM_ProcessOnlySequential_Baseline)->Apply(DefaultBatch);
BENCHMARK(BM_StoreWrite)->Apply(DefaultBatch);
BENCHMARK(BM_StoreWrite_Baseline)->Apply(DefaultBatch);

}  // namespace
}  // namespace roxi::bench

BENCHMARK_MAIN();
