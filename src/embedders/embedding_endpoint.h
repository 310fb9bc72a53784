// EmbeddingEndpoint: one OpenAI-compatible embeddings endpoint and the rules for talking to it:
// sends one batch of inputs, waits and retries when that can help (RetryPolicy, RateLimiter), and
// checks the response (embedding_response.h) before a single vector is handed back.
//
// The outcome of Send is one of three:
//  - embedded: every input has its vector, in input order;
//  - rejected: the server refused the inputs (HTTP 400, 413 or 422); with more than one input the
//    caller cannot tell which, so it splits the batch and asks again;
//  - failed:   the batch cannot be served now (Unavailable: retries exhausted, connection refused,
//    a server asking to wait too long, a response still invalid after every retry; TimedOut: the
//    last attempt timed out) or not at all with these settings (InvalidArgument: 401, 403, 404 and
//    other statuses that blame the configuration; IOError: an unreadable CA bundle).
// Every message names the endpoint (its URL without userinfo or query). The API key is sent as a
// Bearer token and never appears in a message: the server's own text is scrubbed of it too.
//
// Thread-safety: Send is const and may run on several threads at once, each with its own
// HttpClient and random generator; the RateLimiter it shares is thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "format/status.h"
#include "src/common/clock.h"
#include "src/embedders/http_client.h"
#include "src/embedders/rate_limiter.h"
#include "src/embedders/retry_policy.h"
#include "src/embedders/sleeper.h"

namespace roxi::embedders {

struct EndpointOptions {
  // The full URL requests are POSTed to, e.g. "http://127.0.0.1:11434/v1/embeddings".
  std::string url;
  // The "model" field of each request. Must not be empty.
  std::string model;
  // The "dimensions" field of each request; 0 leaves it out. Default: 0.
  uint32_t dimensions = 0;
  // Sent as "Authorization: Bearer <api_key>" when not empty. Never logged. Default: empty.
  std::string api_key;
  // Whole request, in milliseconds. Default: 60000.
  int64_t timeout_ms = 60000;
  // TCP connect plus TLS handshake, in milliseconds. Default: 10000.
  int64_t connect_timeout_ms = 10000;
  // PEM bundle for https://; unset means ca_bundle.h's search order. Default: unset.
  std::optional<std::string> ca_bundle;
  RetryOptions retry;
};

struct SendOutcome {
  enum class Kind { kEmbedded, kRejected, kFailed };
  Kind kind = Kind::kFailed;
  // OK when embedded; InvalidArgument carrying the server's reason when rejected; the batch's
  // error when failed.
  Status status;
  // When embedded: the dimension of the vectors written.
  uint32_t dim = 0;
};

// Counters of what an endpoint has done, for logs and tests.
struct EndpointStats {
  std::atomic<uint64_t> requests{0};     // HTTP exchanges attempted
  std::atomic<uint64_t> retries{0};      // of which repeated a batch after a transient failure
  std::atomic<uint64_t> rejected{0};     // answered 400, 413 or 422
  std::atomic<uint64_t> wait_micros{0};  // spent waiting on backoff, rate limits and the server
};

class EmbeddingEndpoint {
 public:
  // REQUIRES: limiter, clock and sleeper outlive the endpoint.
  EmbeddingEndpoint(EndpointOptions options, RateLimiter* limiter, const common::Clock& clock,
                    Sleeper& sleeper);
  EmbeddingEndpoint(const EmbeddingEndpoint&) = delete;
  EmbeddingEndpoint& operator=(const EmbeddingEndpoint&) = delete;

  // Embeds `inputs` (non-empty, valid UTF-8) over `client`. On kEmbedded, *out holds
  // inputs.size() * dim floats in input order, as the server sent them (not normalised). `dim` 0
  // accepts the server's dimension (learning it); otherwise any other dimension is an invalid
  // response. `rng` drives the backoff jitter. Once *cancel (if given) is set, no further attempt
  // is started and the outcome is failed with Aborted.
  SendOutcome Send(HttpClient* client, std::span<const std::string_view> inputs, uint32_t dim,
                   std::vector<float>* out, std::mt19937_64* rng,
                   const std::atomic<bool>* cancel = nullptr) const;

  // "openai embedder <redacted url>", the prefix of every message.
  const std::string& name() const { return name_; }
  const EndpointOptions& options() const { return options_; }
  const EndpointStats& stats() const { return stats_; }

 private:
  // The server's reason for a failed response, without the API key: "http <status>: <message>".
  std::string DescribeHttpError(const HttpResponse& response) const;
  // Logs one retry and waits for it; false if the server asks for longer than we may wait (then
  // *failure says so).
  bool WaitBeforeRetry(uint32_t retry, const std::optional<uint64_t>& server_wait,
                       const Status& why, std::mt19937_64* rng, Status* failure) const;

  const EndpointOptions options_;
  const std::string name_;
  RateLimiter* const limiter_;
  const common::Clock& clock_;
  Sleeper& sleeper_;
  const RetryPolicy policy_;
  mutable EndpointStats stats_;
};

}  // namespace roxi::embedders
