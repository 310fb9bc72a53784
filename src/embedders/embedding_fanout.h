// EmbeddingFanout: runs the requests of one Embed call of the OpenAI-compatible embedder on up to
// N workers at once, so a remote server always has N requests to work on, and isolates inputs the
// server refuses.
//
// The inputs arrive cut into batches (contiguous ranges, see PlanBatches). Each worker owns one
// HttpClient (one keep-alive connection) and takes the next batch from a shared queue. When the
// server rejects a batch of several inputs (HTTP 400, 413, 422), the batch is halved and both
// halves go back on the queue, so a single bad input costs about 2·log2(batch) extra requests and
// the others are still embedded; a single rejected input gets the server's reason as its status.
// When any batch fails as a whole (after its retries), the call stops: queued batches are dropped,
// running ones give up before their next attempt, and that first failure is the result.
//
// Why worker threads over libcurl's multi interface: each request's retries, backoff and
// rate-limit waits are plain sequential code on one thread (EmbeddingEndpoint::Send) over the
// already tested blocking HttpClient, and N is small (a server's useful concurrency), so N threads
// cost nothing that matters next to an HTTP round trip.
//
// Thread-safety: Run is called by one thread at a time; it starts and joins its workers inside.
#pragma once

#include <cstddef>
#include <random>
#include <span>
#include <string_view>
#include <vector>

#include "format/status.h"
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
  // One worker per client; rngs[i] is worker i's jitter source.
  // REQUIRES: !clients.empty(), rngs.size() == clients.size(); all outlive the fanout.
  EmbeddingFanout(const EmbeddingEndpoint& endpoint, std::span<HttpClient> clients,
                  std::span<std::mt19937_64> rngs);

  // Embeds every input of `batches` at dimension `dim`. Returns OK when every batch was embedded
  // or rejected: then (*vectors)[i * dim, (i + 1) * dim) holds input i's vector as the server sent
  // it, and (*input_status)[i] is OK or InvalidArgument with the server's reason. Otherwise returns
  // the first batch failure (see SendOutcome) and the outputs are unspecified.
  // REQUIRES: dim >= 1; batches cover inputs; vectors and input_status may be empty on entry.
  Status Run(std::span<const std::string_view> inputs, const std::vector<InputRange>& batches,
             uint32_t dim, std::vector<float>* vectors, std::vector<Status>* input_status);

 private:
  const EmbeddingEndpoint& endpoint_;
  std::span<HttpClient> clients_;
  std::span<std::mt19937_64> rngs_;
};

}  // namespace roxi::embedders
