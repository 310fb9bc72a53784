// FakeEmbeddingServer: a real HTTP server on 127.0.0.1 (a port the kernel picks) that speaks the
// OpenAI embeddings protocol, for the embedder's tests, the end-to-end tests and the benchmark.
//
// POST /v1/embeddings {"model", "input": [...], "dimensions"?} answers
// {"object": "list", "data": [{"object": "embedding", "index": i, "embedding": [...]}], "model",
// "usage"} with a deterministic vector per text (VectorFor), so a test knows what each text must
// get. A request any of whose inputs contains the reject marker is refused whole with a 400, as
// real servers do. Faults can be queued: the next requests then misbehave in the chosen way, one
// fault each, in arrival order. Every request is logged with the server's own timestamps.
//
// Optional load model for the benchmark: at most max_concurrency requests are served at once (the
// others wait for a slot) and each holds its slot delay_ms; Utilisation() reports how busy the
// slots were.
//
// Thread-safety: all methods are thread-safe; handlers run on the server's threads.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace roxi::testing {

enum class Fault {
  kTooManyRequests,  // 429 with the given Retry-After (omitted if empty)
  kServerError,      // 500
  kHang,             // answers only after hang_ms (past the client's timeout) or ReleaseHangs()
  kWrongCount,       // one item fewer than inputs
  kWrongDimension,   // each vector one component longer
  kNaN,              // a NaN literal in the first vector (as Python's json module writes it)
  kShuffledIndexes,  // items in reverse order, each with its correct index (valid)
  kDuplicateIndex,   // every item says index 0
  kMalformedJson,    // a truncated body
  kRateLimited,      // a normal 200 carrying x-ratelimit-remaining-requests: 0 and the given reset
  kUnauthorized,     // 401
};

struct FakeEmbeddingServerOptions {
  // Dimension of the vectors when a request does not ask for one. Default: 16.
  uint32_t dim = 16;
  // An input containing this is refused (the whole request gets a 400). Default: "<reject>".
  std::string reject_marker = "<reject>";
  // Requests served at once; 0 for no limit. Default: 0.
  int max_concurrency = 0;
  // Time each request holds its slot, in milliseconds. Default: 0.
  int delay_ms = 0;
  // How long a kHang request waits, in milliseconds. Default: 5000.
  int hang_ms = 5000;
  // Server threads. Default: 16.
  int threads = 16;
  // Gzip responses when the client accepts it (cpp-httplib does so for "application/json");
  // false sends "application/json; charset=utf-8", which it leaves alone, as local servers such as
  // Ollama or vLLM do. Default: true.
  bool gzip = true;
};

struct FakeRequest {
  int64_t received_micros = 0;  // steady clock, when the handler started
  int64_t slot_micros = 0;      // when it got a slot
  int64_t finished_micros = 0;  // when it released its slot
  std::vector<std::string> inputs;
  std::string model;
  std::optional<uint32_t> dimensions;
  std::string authorization;
  int status = 0;      // HTTP status answered
  bool valid = false;  // answered 200 with a correct embeddings response
};

class FakeEmbeddingServer {
 public:
  explicit FakeEmbeddingServer(FakeEmbeddingServerOptions options = {});
  ~FakeEmbeddingServer();
  FakeEmbeddingServer(const FakeEmbeddingServer&) = delete;
  FakeEmbeddingServer& operator=(const FakeEmbeddingServer&) = delete;

  int port() const;
  // "http://127.0.0.1:<port>/v1".
  std::string BaseUrl() const;

  // The next `count` requests answer with `fault`; `value` is the Retry-After of
  // kTooManyRequests or the reset of kRateLimited.
  void AddFaults(Fault fault, int count, std::string value = "");
  // Lets hanging requests answer now.
  void ReleaseHangs();
  // Every request so far, in order of arrival.
  std::vector<FakeRequest> Requests() const;
  // The inputs of requests answered with a valid embeddings response, with multiplicity.
  std::vector<std::string> EmbeddedInputs() const;
  // How well the server was kept supplied with work: the time-average of
  // min(max_concurrency, requests received and not yet finished) / max_concurrency, from the
  // first request received to the last finished. A client that always has a request waiting for
  // each free slot scores 1, whatever the server's own overheads. 0 without requests or without a
  // concurrency limit.
  double Utilisation() const;
  // Slot-holding time over (max_concurrency x the time from the first slot taken to the last
  // released): how busy the slots really were, which on a loaded machine also reflects the
  // server's own thread scheduling. 0 without requests or without a concurrency limit.
  double SlotUtilisation() const;
  // Forgets the request log (for measuring one phase).
  void ClearRequests();

  // The vector served for `text` at `dim` (not normalised) and its unit-length form.
  static std::vector<float> VectorFor(std::string_view text, uint32_t dim);
  static std::vector<float> UnitVectorFor(std::string_view text, uint32_t dim);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace roxi::testing
