// How busy the OpenAI-compatible embedder keeps a remote server. The server (FakeEmbeddingServer on
// 127.0.0.1) serves at most 4 requests at once and holds each for 20 ms, like a small GPU box; it
// measures its own utilisation: slot-time busy over 4 x the time from the first request to the
// last. Throughput in texts/s follows from it (4 slots x 32 texts / 20 ms = 6,400 texts/s at 100%).
//
// Counters: server_utilisation, how well the client keeps the server supplied (the time-average
// of min(4, requests received and unfinished) / 4: 1 means a request was always there for every
// free slot); slot_utilisation, how busy the slots really were, which on a loaded machine also
// counts the fake server's own thread wake-ups against it; texts_per_second.
//
//   BM_OpenAiEmbed/N/T        the embedder alone, N requests in flight: Embed calls of T texts of
//                             ~1 KB (T/32 requests of 32), back to back
//   BM_OpenAiEmbed_Baseline   an ideal client: 4 threads, one connection each, posting prebuilt
//                             32-text requests with no gap, no JSON work, no checking
//   BM_OpenAiProcess/N/B      the whole `roxi process` pipeline (Processor::Run, RocksDB store with
//                             fsync'd commits) over ~4,096 chunks, N in flight, batches of B
//   BM_OpenAiProcessSequential/N/B  the same with one batch at a time (Processor::RunBatch in a
//                             loop: select, embed, commit, verify), as Run worked before it
//                             embedded the next batch while committing the previous one
#include <benchmark/benchmark.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "benchmarks/bench_text.h"
#include "src/embedders/embedder_identity.h"
#include "src/embedders/embedding_response.h"
#include "src/embedders/http_client.h"
#include "src/embedders/openai_embedder.h"
#include "src/ingest/ingester.h"
#include "src/processor/processor.h"
#include "storage/store.h"
#include "tests/support/fake_embedding_server.h"
#include "tests/support/temp_dir.h"

namespace roxi::embedders {
namespace {

constexpr uint32_t kDim = 256;
constexpr int kServerSlots = 4;
constexpr int kServerDelayMs = 20;
constexpr size_t kBatch = 256;         // texts per Embed call, the processor's default batch
constexpr size_t kRequestInputs = 32;  // the embedder's default --max-batch-inputs
constexpr size_t kChunkBytes = 1000;

testing::FakeEmbeddingServerOptions ServerOptions() {
  testing::FakeEmbeddingServerOptions o;
  o.dim = kDim;
  o.max_concurrency = kServerSlots;
  o.delay_ms = kServerDelayMs;
  o.threads = 16;
  // Local servers do not compress; gzip would also spend this machine's CPU on the fake's side.
  o.gzip = false;
  return o;
}

OpenAiEmbedderOptions EmbedderOptions(const testing::FakeEmbeddingServer& server,
                                      int64_t in_flight) {
  OpenAiEmbedderOptions o;
  o.url = server.BaseUrl();
  o.model = "bench";
  o.dimensions = kDim;
  o.requests_in_flight = static_cast<uint32_t>(in_flight);
  o.max_batch_inputs = kRequestInputs;
  return o;
}

// Opens every connection of `embedder` (one Embed call of one request per worker) and forgets
// those requests, so the measurement starts in the steady state. Why: the fake server accepts
// connections on one thread with cpp-httplib's listen backlog of 5; when 8 workers connect at once
// on a loaded machine, the SYNs that overflow it are retried by the kernel a second later, and
// that one-off second of idle slots used to be charged to the client.
Status WarmUp(OpenAiEmbedder* embedder, int64_t in_flight, testing::FakeEmbeddingServer* server) {
  const std::vector<std::string> texts =
      bench::EnglishLikeChunks(static_cast<size_t>(in_flight) * kRequestInputs, 100, 7);
  const std::vector<std::string_view> views(texts.begin(), texts.end());
  std::vector<float> out(views.size() * kDim);
  std::vector<Status> status;
  ROXI_RETURN_IF_ERROR(embedder->Embed(views, out, &status));
  server->ClearRequests();
  return Status::OK();
}

void Report(benchmark::State& state, const testing::FakeEmbeddingServer& server, double texts) {
  state.counters["server_utilisation"] = server.Utilisation();
  state.counters["slot_utilisation"] = server.SlotUtilisation();
  state.counters["texts_per_second"] = benchmark::Counter(texts, benchmark::Counter::kIsRate);
}

void BM_OpenAiEmbed(benchmark::State& state) {
  setenv("no_proxy", "127.0.0.1,localhost", 1);
  testing::FakeEmbeddingServer server(ServerOptions());
  auto embedder = OpenAiEmbedder::Create(EmbedderOptions(server, state.range(0)));
  Status ready = embedder.ok() ? WarmUp(embedder->get(), state.range(0), &server) : embedder.status();
  if (!ready.ok()) {
    state.SkipWithError(ready.ToString().c_str());
    return;
  }
  const auto per_call = static_cast<size_t>(state.range(1));
  const std::vector<std::string> texts = bench::EnglishLikeChunks(per_call, kChunkBytes, 42);
  const std::vector<std::string_view> views(texts.begin(), texts.end());
  std::vector<float> out(per_call * kDim);
  std::vector<Status> status;
  double embedded = 0;
  for (auto _ : state) {
    Status s = (*embedder)->Embed(views, out, &status);
    if (!s.ok()) state.SkipWithError(s.ToString().c_str());
    embedded += static_cast<double>(per_call);
  }
  Report(state, server, embedded);
}
// Args: --requests-in-flight (the default 4, equal to the server's slots, or 8), texts per Embed
// call (the processor's --batch-size: the default 256, or 1024).
BENCHMARK(BM_OpenAiEmbed)
    ->Args({4, 256})
    ->Args({8, 256})
    ->Args({8, 1024})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond)
    ->MinTime(5);

void BM_OpenAiEmbed_Baseline(benchmark::State& state) {
  setenv("no_proxy", "127.0.0.1,localhost", 1);
  testing::FakeEmbeddingServer server(ServerOptions());
  const std::vector<std::string> texts = bench::EnglishLikeChunks(kRequestInputs, kChunkBytes, 42);
  const std::vector<std::string_view> views(texts.begin(), texts.end());
  HttpRequest request;
  request.url = server.BaseUrl() + "/embeddings";
  request.headers = {{"Content-Type", "application/json"}};
  request.body = EncodeEmbeddingRequest("bench", views, kDim).value();
  double embedded = 0;
  for (auto _ : state) {
    // As many requests as one BM_OpenAiEmbed iteration sends, on 4 connections without a pause.
    std::atomic<int> left{static_cast<int>(kBatch / kRequestInputs)};
    std::vector<std::jthread> threads;
    for (int t = 0; t < kServerSlots; ++t) {
      threads.emplace_back([&] {
        Result<HttpClient> client = HttpClient::Create();
        while (client.ok() && left.fetch_sub(1) > 0) client->Post(request).IgnoreError();
      });
    }
    threads.clear();
    embedded += kBatch;
  }
  Report(state, server, embedded);
}
BENCHMARK(BM_OpenAiEmbed_Baseline)->UseRealTime()->Unit(benchmark::kMillisecond)->MinTime(5);

void OpenAiProcess(benchmark::State& state, bool sequential) {
  setenv("no_proxy", "127.0.0.1,localhost", 1);
  testing::FakeEmbeddingServer server(ServerOptions());
  double embedded = 0;
  for (auto _ : state) {
    state.PauseTiming();
    testing::TempDir dir;
    // 64 documents of ~64 KB: about 4,096 chunks of ~1 KB.
    std::vector<std::string> inputs;
    for (int d = 0; d < 64; ++d) {
      inputs.push_back(dir.Sub("docs/d" + std::to_string(d) + ".txt"));
      testing::WriteFile(inputs.back(), bench::EnglishLikeText(64 * 1024, 100 + d));
    }
    storage::StoreOptions store_options;
    store_options.data_dir = dir.Sub("data");
    auto store = storage::Store::Open(store_options);
    auto embedder = OpenAiEmbedder::Create(EmbedderOptions(server, state.range(0)));
    if (!store.ok() || !embedder.ok()) {
      state.SkipWithError("setup failed");
      return;
    }
    ingest::Ingester ingester(store->get(), ingest::IngestOptions{});
    if (!ingester.Run(inputs).ok() ||
        !(*store)->BindEmbedder(IdentityOf((*embedder)->info())).ok()) {
      state.SkipWithError("ingest failed");
      return;
    }
    if (Status s = WarmUp(embedder->get(), state.range(0), &server); !s.ok()) {
      state.SkipWithError(s.ToString().c_str());
      return;
    }
    processor::ProcessorOptions options;
    options.batch_size = static_cast<size_t>(state.range(1));
    processor::Processor processor(store->get(), embedder->get(), options);
    state.ResumeTiming();
    Status run;
    if (sequential) {
      while (run.ok()) {
        Result<processor::BatchReport> batch = processor.RunBatch();
        if (!batch.ok()) {
          run = batch.status();
        } else if (batch->selected == 0) {
          break;
        } else {
          embedded += static_cast<double>(batch->embedded);
        }
      }
    } else {
      Result<processor::RunReport> report = processor.Run();
      if (report.ok()) embedded += static_cast<double>(report->embedded);
      run = report.status();
    }
    if (!run.ok()) state.SkipWithError(run.ToString().c_str());
  }
  Report(state, server, embedded);
}
void BM_OpenAiProcess(benchmark::State& state) { OpenAiProcess(state, /*sequential=*/false); }
void BM_OpenAiProcessSequential(benchmark::State& state) {
  OpenAiProcess(state, /*sequential=*/true);
}
// Args: --requests-in-flight, --batch-size (the defaults 4 and 256, then more of each).
BENCHMARK(BM_OpenAiProcess)
    ->Args({4, 256})
    ->Args({8, 256})
    ->Args({8, 1024})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);
BENCHMARK(BM_OpenAiProcessSequential)
    ->Args({4, 256})
    ->Args({8, 256})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

}  // namespace
}  // namespace roxi::embedders

BENCHMARK_MAIN();
