#include "tests/support/fake_embedding_server.h"

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <exception>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <utility>

#include "format/hash.h"

namespace roxi::testing {

namespace {

using nlohmann::json;

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// SplitMix64: a deterministic stream of numbers from a text's hash.
uint64_t NextRandom(uint64_t* state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// The decimal text of k / 1024 for k in [-1024, 1024], exact (at most 10 fractional digits), so a
// response is assembled from ready-made numbers. Why not nlohmann's dump(): formatting 8,192 floats
// per response took the fake server about a millisecond of CPU per request, which on a small
// machine it took from the client under test, and the benchmark then blamed the client.
const std::vector<std::string>& ComponentTexts() {
  static const std::vector<std::string>* const texts = [] {
    auto* out = new std::vector<std::string>;
    for (int k = -1024; k <= 1024; ++k) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.10f", k / 1024.0);
      std::string t = buf;
      while (t.back() == '0') t.pop_back();
      if (t.back() == '.') t.pop_back();
      out->push_back(t == "-0" ? "0" : t);
    }
    return out;
  }();
  return *texts;
}

// A component's text: VectorFor's values are multiples of 1/1024 in [-1, 1]; others (none today)
// go through the slow path.
void AppendComponent(float value, std::string* out) {
  const float scaled = value * 1024.0f;
  if (scaled >= -1024.0f && scaled <= 1024.0f && scaled == std::floor(scaled)) {
    out->append(ComponentTexts()[static_cast<size_t>(static_cast<int>(scaled) + 1024)]);
  } else {
    out->append(json(value).dump());
  }
}

// {"data":[{"embedding":[...],"index":i,"object":"embedding"},...],"model":...,"object":"list",
// "usage":{...}}, keys in the order nlohmann's dump() gave them, items in `order`.
std::string EncodeResponse(const std::vector<std::vector<float>>& vectors,
                           const std::vector<size_t>& order, bool duplicate_index,
                           const std::string& model, size_t inputs) {
  std::string out = "{\"data\":[";
  for (size_t k = 0; k < order.size(); ++k) {
    if (k > 0) out.push_back(',');
    out += "{\"embedding\":[";
    const std::vector<float>& v = vectors[order[k]];
    for (size_t d = 0; d < v.size(); ++d) {
      if (d > 0) out.push_back(',');
      AppendComponent(v[d], &out);
    }
    out += "],\"index\":" + std::to_string(duplicate_index ? 0 : order[k]) +
           ",\"object\":\"embedding\"}";
  }
  const std::string n = std::to_string(inputs);
  out += "],\"model\":" + json(model).dump() + ",\"object\":\"list\",\"usage\":{\"prompt_tokens\":" +
         n + ",\"total_tokens\":" + n + "}}";
  return out;
}

std::string ErrorBody(const std::string& message, const std::string& type) {
  return json{{"error", {{"message", message}, {"type", type}}}}.dump();
}

}  // namespace

struct FakeEmbeddingServer::Impl {
  explicit Impl(FakeEmbeddingServerOptions o) : options(std::move(o)) {}

  void Handle(const httplib::Request& req, httplib::Response& res);
  void Serve(const json& body, const std::optional<std::pair<Fault, std::string>>& fault,
             FakeRequest* record, httplib::Response& res);
  void AcquireSlot();
  void ReleaseSlot();

  const FakeEmbeddingServerOptions options;
  httplib::Server server;
  std::thread thread;
  int port = 0;

  mutable std::mutex mu;
  std::condition_variable cv;
  std::deque<std::pair<Fault, std::string>> faults;
  std::vector<FakeRequest> requests;
  int busy = 0;
  bool released = false;
};

void FakeEmbeddingServer::Impl::AcquireSlot() {
  if (options.max_concurrency <= 0) return;
  std::unique_lock<std::mutex> lock(mu);
  cv.wait(lock, [this] { return busy < options.max_concurrency; });
  ++busy;
}

void FakeEmbeddingServer::Impl::ReleaseSlot() {
  if (options.max_concurrency <= 0) return;
  {
    std::lock_guard<std::mutex> lock(mu);
    --busy;
  }
  cv.notify_all();
}

void FakeEmbeddingServer::Impl::Handle(const httplib::Request& req, httplib::Response& res) {
  FakeRequest record;
  record.received_micros = NowMicros();
  record.authorization = req.get_header_value("Authorization");
  std::optional<std::pair<Fault, std::string>> fault;
  {
    std::lock_guard<std::mutex> lock(mu);
    if (!faults.empty()) {
      fault = faults.front();
      faults.pop_front();
    }
  }
  // Parsing comes before the slot, as a real server reads requests while its model is busy.
  json body;
  std::string bad_request;
  try {
    body = json::parse(req.body);
  } catch (const std::exception& e) {
    bad_request = e.what();
  }
  AcquireSlot();
  record.slot_micros = NowMicros();
  try {
    if (bad_request.empty()) Serve(body, fault, &record, res);
  } catch (const std::exception& e) {
    bad_request = e.what();
  }
  if (!bad_request.empty()) {
    res.status = 400;
    res.set_content(ErrorBody("bad request: " + bad_request, "invalid_request_error"),
                    "application/json");
  }
  if (options.delay_ms > 0)
    std::this_thread::sleep_for(std::chrono::milliseconds(options.delay_ms));
  record.finished_micros = NowMicros();
  ReleaseSlot();
  record.status = res.status;
  std::lock_guard<std::mutex> lock(mu);
  requests.push_back(std::move(record));
}

void FakeEmbeddingServer::Impl::Serve(const json& body,
                                      const std::optional<std::pair<Fault, std::string>>& fault,
                                      FakeRequest* record, httplib::Response& res) {
  record->model = body.value("model", "");
  uint32_t dim = options.dim;
  if (body.contains("dimensions")) {
    record->dimensions = body["dimensions"].get<uint32_t>();
    dim = *record->dimensions;
  }
  for (const json& input : body.at("input")) record->inputs.push_back(input.get<std::string>());

  const auto is = [&fault](Fault f) { return fault.has_value() && fault->first == f; };
  if (is(Fault::kHang)) {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait_for(lock, std::chrono::milliseconds(options.hang_ms), [this] { return released; });
  }
  if (is(Fault::kTooManyRequests)) {
    res.status = 429;
    if (!fault->second.empty()) res.set_header("Retry-After", fault->second);
    res.set_content(ErrorBody("rate limit reached", "rate_limit_error"), "application/json");
    return;
  }
  if (is(Fault::kServerError)) {
    res.status = 500;
    res.set_content(ErrorBody("the server had an error", "server_error"), "application/json");
    return;
  }
  if (is(Fault::kUnauthorized)) {
    res.status = 401;
    res.set_content(ErrorBody("invalid api key", "invalid_request_error"), "application/json");
    return;
  }
  for (size_t i = 0; i < record->inputs.size(); ++i) {
    if (record->inputs[i].find(options.reject_marker) != std::string::npos) {
      res.status = 400;
      res.set_content(ErrorBody("input " + std::to_string(i) + " contains forbidden content",
                                "invalid_request_error"),
                      "application/json");
      return;
    }
  }
  if (is(Fault::kMalformedJson)) {
    res.status = 200;
    res.set_content(R"({"object":"list","data":[{"object":"embedding","index":0,"embe)",
                    "application/json");
    return;
  }

  const size_t n = record->inputs.size();
  std::vector<std::vector<float>> vectors;
  for (size_t i = 0; i < n; ++i) {
    vectors.push_back(VectorFor(record->inputs[i], dim));
    if (is(Fault::kWrongDimension)) vectors.back().push_back(0.5f);
  }
  std::vector<size_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = i;
  if (is(Fault::kWrongCount) && !order.empty()) order.pop_back();
  if (is(Fault::kShuffledIndexes)) std::reverse(order.begin(), order.end());
  std::string text = EncodeResponse(vectors, order, is(Fault::kDuplicateIndex), record->model, n);
  if (is(Fault::kNaN)) {
    // Replace the first component of the first vector with a NaN literal.
    const size_t at = text.find("\"embedding\":[");
    if (at != std::string::npos) {
      const size_t start = at + 13;
      const size_t end = text.find_first_of(",]", start);
      text.replace(start, end - start, "NaN");
    }
  }
  if (is(Fault::kRateLimited)) {
    res.set_header("x-ratelimit-remaining-requests", "0");
    res.set_header("x-ratelimit-reset-requests", fault->second);
  }
  res.status = 200;
  res.set_content(text, options.gzip ? "application/json" : "application/json; charset=utf-8");
  // A hung request's answer comes after the client gave up on it.
  record->valid = !fault || is(Fault::kShuffledIndexes) || is(Fault::kRateLimited);
}

FakeEmbeddingServer::FakeEmbeddingServer(FakeEmbeddingServerOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {
  Impl* impl = impl_.get();
  const int threads = impl->options.threads;
  impl->server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  impl->server.set_keep_alive_timeout(5);
  // As production servers do: without it, Nagle's algorithm holds the body of a response behind
  // its headers until the client's delayed ACK, adding up to 40 ms to every request.
  impl->server.set_tcp_nodelay(true);
  impl->server.set_keep_alive_max_count(1000000);
  impl->server.Post("/v1/embeddings", [impl](const httplib::Request& req, httplib::Response& res) {
    impl->Handle(req, res);
  });
  impl->port = impl->server.bind_to_any_port("127.0.0.1");
  impl->thread = std::thread([impl] { impl->server.listen_after_bind(); });
  // stop() is a no-op until the accept loop runs, so wait for it; connections queue meanwhile.
  while (!impl->server.is_running()) std::this_thread::yield();
}

FakeEmbeddingServer::~FakeEmbeddingServer() {
  ReleaseHangs();
  impl_->server.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

int FakeEmbeddingServer::port() const { return impl_->port; }

std::string FakeEmbeddingServer::BaseUrl() const {
  return "http://127.0.0.1:" + std::to_string(impl_->port) + "/v1";
}

void FakeEmbeddingServer::AddFaults(Fault fault, int count, std::string value) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  for (int i = 0; i < count; ++i) impl_->faults.emplace_back(fault, value);
}

void FakeEmbeddingServer::ReleaseHangs() {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->released = true;
  }
  impl_->cv.notify_all();
}

std::vector<FakeRequest> FakeEmbeddingServer::Requests() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  std::vector<FakeRequest> out = impl_->requests;
  std::sort(out.begin(), out.end(), [](const FakeRequest& a, const FakeRequest& b) {
    return a.received_micros < b.received_micros;
  });
  return out;
}

std::vector<std::string> FakeEmbeddingServer::EmbeddedInputs() const {
  std::vector<std::string> out;
  for (const FakeRequest& r : Requests()) {
    if (r.valid) out.insert(out.end(), r.inputs.begin(), r.inputs.end());
  }
  return out;
}

double FakeEmbeddingServer::Utilisation() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  const int slots = impl_->options.max_concurrency;
  if (impl_->requests.empty() || slots <= 0) return 0;
  std::vector<std::pair<int64_t, int>> events;  // (time, +1 received / -1 finished)
  for (const FakeRequest& r : impl_->requests) {
    events.emplace_back(r.received_micros, +1);
    events.emplace_back(r.finished_micros, -1);
  }
  std::sort(events.begin(), events.end());
  double supplied = 0;
  int open = 0;
  for (size_t i = 0; i + 1 < events.size(); ++i) {
    open += events[i].second;
    supplied += static_cast<double>(std::min(open, slots)) *
                static_cast<double>(events[i + 1].first - events[i].first);
  }
  const double span = static_cast<double>(events.back().first - events.front().first);
  return span > 0 ? supplied / (static_cast<double>(slots) * span) : 0;
}

double FakeEmbeddingServer::SlotUtilisation() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  if (impl_->requests.empty() || impl_->options.max_concurrency <= 0) return 0;
  int64_t first = impl_->requests.front().slot_micros;
  int64_t last = impl_->requests.front().finished_micros;
  double busy = 0;
  for (const FakeRequest& r : impl_->requests) {
    first = std::min(first, r.slot_micros);
    last = std::max(last, r.finished_micros);
    busy += static_cast<double>(r.finished_micros - r.slot_micros);
  }
  if (last <= first) return 0;
  return busy /
         (static_cast<double>(impl_->options.max_concurrency) * static_cast<double>(last - first));
}

void FakeEmbeddingServer::ClearRequests() {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->requests.clear();
}

std::vector<float> FakeEmbeddingServer::VectorFor(std::string_view text, uint32_t dim) {
  uint64_t state = format::Xxh3(text);
  std::vector<float> v(dim);
  for (uint32_t d = 0; d < dim; ++d) {
    // Multiples of 1/1024 in [-1, 1): exact in float, so JSON round trips them unchanged.
    v[d] = static_cast<float>(static_cast<int>(NextRandom(&state) % 2048) - 1024) / 1024.0f;
  }
  return v;
}

std::vector<float> FakeEmbeddingServer::UnitVectorFor(std::string_view text, uint32_t dim) {
  std::vector<float> v = VectorFor(text, dim);
  double sum = 0;
  for (float x : v) sum += double{x} * x;
  if (sum == 0) return v;
  const double scale = 1.0 / std::sqrt(sum);
  for (float& x : v) x = static_cast<float>(x * scale);
  return v;
}

}  // namespace roxi::testing
