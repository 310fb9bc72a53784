// EmbeddingFanout: a pool of N workers that runs the requests of the OpenAI-compatible embedder's
// Embed calls, so a remote server always has N requests to work on, and isolates inputs the server
// refuses.
//
// The inputs of a call arrive cut into batches (contiguous ranges, see PlanBatches). Each worker
// owns one HttpClient (one keep-alive connection) and takes the next batch from a queue shared by
// every call in progress, earliest call first. The workers live as long as the fanout, and two
// calls may run at once: while the last requests of one call are out, the workers left idle take
// the next call's, so the server is not starved at each call's tail (the processor embeds the next
// batch while the previous one is finishing and committing). When the server rejects a batch of
// several inputs (HTTP 400, 413, 422), the batch is halved and both halves go to the front of the
// queue, so a single bad input costs about 2·log2(batch) extra requests and the others are still
// embedded; a single rejected input gets the server's reason as its status. When any batch of a
// call fails as a whole (after its retries), that call stops: its queued batches are dropped, its
// running ones give up before their next attempt, and that first failure is its result; other
// calls go on.
//
// Why worker threads over libcurl's multi interface: each request's retries, backoff and
// rate-limit waits are plain sequential code on one thread (EmbeddingEndpoint::Send) over the
// already tested blocking HttpClient, and N is small (a server's useful concurrency), so N threads
// cost nothing that matters next to an HTTP round trip. They are started once, not per call:
// on a busy machine a new thread waits longer for a CPU than a woken one.
//
// Thread-safety: Run is thread-safe; the destructor must not run concurrently with Run.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <thread>
#include <random>
#include <span>
#include <string_view>
#include <vector>

#include "format/status.h"
#include "format/thread_annotations.h"
#include "src/embedders/embedding_endpoint.h"
#include "src/embedders/http_client.h"

namespace roxi::embedders {

// A batch: inputs [begin, end).
struct InputRange {
  size_t begin = 0;
  size_t end = 0;
};

// Cuts inputs into consecutive batches of at most max_inputs inputs and max_bytes bytes of text
// (a single larger input is a batch of its own). REQUIRES: max_inputs >= 1.
std::vector<InputRange> PlanBatches(std::span<const std::string_view> inputs, size_t max_inputs,
                                    size_t max_bytes);

class EmbeddingFanout {
 public:
  // Starts one worker per client; rngs[i] is worker i's jitter source.
  // REQUIRES: !clients.empty(), rngs.size() == clients.size(); all outlive the fanout.
  EmbeddingFanout(const EmbeddingEndpoint& endpoint, std::span<HttpClient> clients,
                  std::span<std::mt19937_64> rngs);
  // Stops and joins the workers.
  ~EmbeddingFanout();
  EmbeddingFanout(const EmbeddingFanout&) = delete;
  EmbeddingFanout& operator=(const EmbeddingFanout&) = delete;

  // Embeds every input of `batches` at dimension `dim`. Returns OK when every batch was embedded
  // or rejected: then (*vectors)[i * dim, (i + 1) * dim) holds input i's vector as the server sent
  // it, and (*input_status)[i] is OK or InvalidArgument with the server's reason. Otherwise returns
  // the first batch failure (see SendOutcome) and the outputs are unspecified.
  // REQUIRES: dim >= 1; batches cover inputs; vectors and input_status may be empty on entry; the
  // arguments stay untouched by the caller until Run returns.
  Status Run(std::span<const std::string_view> inputs, const std::vector<InputRange>& batches,
             uint32_t dim, std::vector<float>* vectors, std::vector<Status>* input_status);

 private:
  struct Call;
  struct Task {
    Call* call = nullptr;
    InputRange batch;
  };

  void Work(HttpClient* client, std::mt19937_64* rng);
  // Sends one batch; fills its rows or statuses, or returns the halves to queue, or the failure.
  void Process(const Task& task, HttpClient* client, std::mt19937_64* rng,
               std::vector<InputRange>* halves, Status* failure);

  const EmbeddingEndpoint& endpoint_;

  Mutex mu_;
  std::condition_variable work_cv_;  // workers: a task was queued, or stopping
  std::condition_variable done_cv_;  // callers: a call's last task finished
  std::deque<Task> queue_ ROXI_GUARDED_BY(mu_);
  bool stopping_ ROXI_GUARDED_BY(mu_) = false;
  std::vector<std::jthread> workers_;  // last: joined before the members above go
};

}  // namespace roxi::embedders
