// The measuring half of `roxi bench`: runs the real ingest -> process -> search path in this
// process, with the code the commands use (ingest::Ingester, processor::Processor,
// index::BuildIndexFromStore, index::SearchStore), over a grid of settings, on the machine it runs
// on, in a scratch folder the caller owns.
//
// For each pipeline point (a batch size and, for an openai: embedder, a number of requests in
// flight), each repeat:
//   1. a fresh store in <scratch>/store, the corpus ingested into it (ingest throughput);
//   2. `roxi process` with the point's batch size to the end (embed+commit throughput, the latency
//      of each batch from its selection to its verified commit, p50 and p99);
//   3. the peak resident memory of 1-2;
//   4. for each index kind: the store closed and opened again, the index built from it and the
//      first query answered with its chunks' records read (wake-to-first-answer, as a server waking
//      from deep sleep or a one-shot `roxi search`), then every query embedded and searched for its
//      top 10 (search latency p50 and p99, recall@10 against an exact float32 scan of the same
//      vectors), with the peak resident memory of this phase.
// Queries are spans of words from chunks spread evenly through the store.
//
// Thread-safety: RunBench runs on one thread and calls its callbacks on it.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "format/status.h"
#include "src/bench/bench_index.h"
#include "src/bench/sample_stats.h"
#include "src/embedders/embedder_factory.h"
#include "src/text/chunker.h"

namespace roxi::bench {

struct BenchOptions {
  // An existing, empty folder the run may fill; the caller removes it. Required.
  std::string scratch_dir;
  // A folder (or file) to ingest; empty: generate a corpus of `chunks` chunks in the scratch dir.
  std::string corpus;
  uint64_t chunks = 20000;
  // The grid. Batch sizes: at least one, each at least 1. Requests in flight: empty unless the
  // embedder is openai:, then at least one, each 1..64. Index kinds: at least one.
  std::vector<size_t> batch_sizes;
  std::vector<uint32_t> requests_in_flight;
  std::vector<IndexKind> index_kinds;
  uint32_t repeat = 3;  // at least 1
  size_t queries = 50;  // searches per index kind and repeat
  size_t k = 10;        // results per search, and the k of recall@k
  uint64_t seed = 20261202;
  text::ChunkerOptions chunker;  // how ingest splits the corpus; the defaults of `roxi ingest`
  embedders::EmbedderOptions embedder;
};

// What one grid row reports: the median over repeats of each figure, with its extremes.
struct BenchPoint {
  size_t batch_size = 0;
  std::optional<uint32_t> requests_in_flight;  // openai: only
  IndexKind index = IndexKind::kFlat;
  Spread ingest_chunks_per_second;
  Spread process_chunks_per_second;
  Spread batch_ms_p50;
  Spread batch_ms_p99;
  Spread pipeline_peak_rss_bytes;  // ingest and process
  Spread index_peak_rss_bytes;     // store open, index build, searches
  Spread search_ms_p50;
  Spread search_ms_p99;
  Spread recall;  // recall@k, mean over the queries of one repeat
  Spread wake_ms;
  uint64_t index_bytes = 0;  // the index's own memory, last repeat
  // The larger of the two phase peaks, worst repeat: what a memory limit is checked against.
  uint64_t peak_rss_bytes = 0;
};

struct BenchReport {
  std::string embedder_id;
  uint32_t dim = 0;
  uint64_t documents = 0;
  uint64_t chunks = 0;  // chunks the ingest made (the last store)
  uint64_t corpus_bytes = 0;
  bool corpus_generated = false;
  bool peak_reset = true;  // false: the kernel refused to reset the memory high-water mark
  std::string simd_path;   // of the flat index
  size_t queries = 0;
  size_t k = 0;
  uint32_t repeat = 0;
  std::vector<BenchPoint> points;  // pipeline points in grid order, index kinds within each
  uint64_t micros = 0;             // wall time of the whole run
};

struct BenchProgress {
  size_t step = 0;   // repeats of pipeline points finished
  size_t steps = 0;  // in all
  std::string what;  // "batch 256, repeat 2/3: process 45%"
};

// The memory one batch of `batch_size` needs while `roxi process` runs it, in bytes: two batches
// are in flight, each holding its chunk texts (at most `chunk_max_bytes` each), their float32
// vectors and encoded binary16 records, and about 256 bytes of bookkeeping per chunk. An
// estimate, used to refuse a memory limit that cannot hold even the smallest batch.
uint64_t EstimateBatchBytes(size_t batch_size, uint32_t dim, uint32_t chunk_max_bytes);

// InvalidArgument naming the option for an empty grid axis, a batch size of 0, a repeat of 0,
// requests in flight for an embedder other than openai: or out of 1..64, or no queries.
Status ValidateBenchOptions(const BenchOptions& options);

// Runs the grid (see the file comment). `progress` is called often (after each batch and phase);
// `interrupted` is polled as often, and once it is true the run stops after the batch or phase in
// flight and returns Aborted. Other errors: those of the store, the ingest (a bad corpus:
// InvalidArgument, NotFound), the embedder (Unavailable, TimedOut) and the index.
Result<BenchReport> RunBench(const BenchOptions& options,
                             const std::function<void(const BenchProgress&)>& progress,
                             const std::function<bool()>& interrupted);

}  // namespace roxi::bench
