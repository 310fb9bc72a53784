// OpenAiEmbedder: embeds chunks with any server that speaks the OpenAI embeddings protocol
// (POST <base>/embeddings): OpenAI itself, Ollama, vLLM, llama.cpp's server, Hugging Face TEI,
// LiteLLM and others. Spec "openai:<base URL>", e.g. "openai:http://127.0.0.1:11434/v1".
//
// One Embed call:
//  1. checks each text: ill-formed UTF-8 is rejected (InvalidArgument) without being sent; an
//     empty text gets the zero vector; a text over max_input_tokens is truncated or split
//     (input_limits.h; not an error);
//  2. cuts the rest into requests of at most max_batch_inputs inputs and max_batch_bytes bytes,
//     and keeps requests_in_flight of them running at once (embedding_fanout.h);
//  3. retries transient failures with backoff, honouring Retry-After and x-ratelimit-* and the
//     client-side limits (embedding_endpoint.h, retry_policy.h, rate_limiter.h);
//  4. halves a rejected request until the inputs at fault are alone: those are rejected with the
//     server's reason, the others embedded;
//  5. validates every response (count, index, dimension, finite numbers) before using it, and
//     L2-normalises each vector.
// It returns Unavailable or TimedOut when the server cannot serve the batch (nothing of the batch
// is returned then), and InvalidArgument for configuration errors the server reports (401, 403,
// 404, ...) or a server that rejects even a known-good probe text.
//
// Identity: "openai:<model>:<dim>:<fingerprint>", the fingerprint being 8 hex digits of a hash of
// the endpoint's host (lower-cased, without port or userinfo) and path, the model, the oversize
// policy and max_input_tokens, the token estimate and the normalisation: every setting that
// changes a vector. The scheme, port, key, timeouts, limits and batch sizes do not change vectors
// and are left out, so moving a server to another port keeps the store usable.
//
// Thread-safety: Embed may be called from several threads at once (AllowsConcurrentEmbed): the
// calls share one pool of requests_in_flight workers (embedding_fanout.h), earliest call first.
// info() is immutable and safe from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "format/status.h"
#include "src/common/clock.h"
#include "src/embedders/embedder.h"
#include "src/embedders/embedding_endpoint.h"
#include "src/embedders/embedding_fanout.h"
#include "src/embedders/http_client.h"
#include "src/embedders/input_limits.h"
#include "src/embedders/rate_limiter.h"
#include "src/embedders/retry_policy.h"
#include "src/embedders/sleeper.h"

namespace roxi::embedders {

struct OpenAiEmbedderOptions {
  // Base URL ("http://host:port/v1"; "/embeddings" is appended) or the full endpoint URL ending in
  // "/embeddings". http:// or https:// only. Required.
  std::string url;
  // The model name sent with each request, e.g. "nomic-embed-text". Required.
  std::string model;
  // Asks the server for vectors of this many dimensions (the request's "dimensions" field); 0
  // leaves the field out and learns the model's dimension with one probe request when the
  // embedder is created. 0 or 1..16384. Default: 0.
  uint32_t dimensions = 0;
  // Bearer token; the CLI takes it from $ROXI_EMBEDDER_API_KEY. Never logged, never in a message,
  // never stored. Default: empty (no Authorization header).
  std::string api_key;
  // PEM file of trusted CAs for https://; unset means ca_bundle.h's search order. Default: unset.
  std::optional<std::string> ca_bundle;
  // Whole request, in milliseconds, 1..3600000. Default: 60000.
  int64_t timeout_ms = 60000;
  // TCP connect plus TLS handshake, in milliseconds, 1..3600000. Default: 10000.
  int64_t connect_timeout_ms = 10000;
  // Requests kept running at once, 1..64. Default: 4.
  uint32_t requests_in_flight = 4;
  // Most inputs per request, 1..2048. Default: 32 (Hugging Face TEI's default cap).
  uint32_t max_batch_inputs = 32;
  // Most bytes of input text per request (a longer single text still goes alone), >= 1024.
  // Default: 262144.
  uint64_t max_batch_bytes = 262144;
  // Longest input sent, in estimated tokens (input_limits.h), >= 1. Default: 8191 (OpenAI's
  // limit; set your model's, e.g. 512 for BERT-sized models).
  uint64_t max_input_tokens = 8191;
  // What happens to a longer text. Default: truncate.
  OversizePolicy oversize = OversizePolicy::kTruncate;
  // Client-side requests and tokens per minute. Default: unlimited.
  RateLimits rate_limits;
  RetryOptions retry;
  // Time and waiting; null means the real ones. Must outlive the embedder. Default: null.
  const common::Clock* clock = nullptr;
  Sleeper* sleeper = nullptr;
  // Seed of the backoff jitter; 0 draws one from std::random_device. Default: 0.
  uint64_t jitter_seed = 0;
};

class OpenAiEmbedder final : public Embedder {
 public:
  // Validates the options (InvalidArgument naming the option), opens one HttpClient per request in
  // flight, and, when dimensions is 0, sends one probe request to learn the dimension (its errors
  // as for Embed, with context). Errors never contain the API key.
  static Result<std::unique_ptr<OpenAiEmbedder>> Create(OpenAiEmbedderOptions options);

  OpenAiEmbedder(const OpenAiEmbedder&) = delete;
  OpenAiEmbedder& operator=(const OpenAiEmbedder&) = delete;
  ~OpenAiEmbedder() override;

  const EmbedderInfo& info() const override { return info_; }

  // See Embedder::Embed and the class comment. InvalidArgument if `out` does not hold
  // texts.size() * dim floats or item_status is null.
  Status Embed(std::span<const std::string_view> texts, std::span<float> out,
               std::vector<Status>* item_status) override;

  bool AllowsConcurrentEmbed() const override { return true; }

  // What the endpoint has done so far (requests, retries, rejections, time spent waiting).
  const EndpointStats& stats() const { return endpoint_->stats(); }

 private:
  OpenAiEmbedder(OpenAiEmbedderOptions options, std::string endpoint_url);
  // Embeds one fixed text; how Create learns the dimension and how Embed tells a server that
  // rejects every request from one that rejects some inputs.
  SendOutcome Probe(uint32_t dim, std::vector<float>* out);

  const OpenAiEmbedderOptions options_;
  EmbedderInfo info_;
  std::unique_ptr<RateLimiter> limiter_;
  std::unique_ptr<EmbeddingEndpoint> endpoint_;
  // One per worker of the fanout, plus the last one for probes.
  std::vector<HttpClient> clients_;
  std::vector<std::mt19937_64> rngs_;
  std::mutex probe_mu_;  // one probe at a time on the probe client
  // Whether any request of this embedder has been answered with vectors.
  std::atomic<bool> served_{false};
  // Declared after the clients it drives, so its workers stop before they go.
  std::unique_ptr<EmbeddingFanout> fanout_;
};

// "openai:<model>:<dim>:<fingerprint>" for these options and dimension (see the class comment).
std::string OpenAiEmbedderId(const OpenAiEmbedderOptions& options, std::string_view endpoint_url,
                             uint32_t dim);

// The URL requests go to: `url` without a trailing "/", plus "/embeddings" unless it already ends
// so.
std::string EmbeddingsEndpointUrl(std::string_view url);

}  // namespace roxi::embedders
