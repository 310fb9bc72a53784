#include "src/embedders/openai_embedder.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <utility>

#include "format/hash.h"
#include "format/vector_record.h"
#include "src/embedders/embedding_fanout.h"
#include "src/embedders/redacted_url.h"
#include "src/text/utf8.h"

namespace roxi::embedders {

namespace {

// The text of the probe request. Any short, plain text would do.
constexpr std::string_view kProbeText = "roxi embedding probe";
// Defines how a vector is derived from the server's answer; bump when that code changes.
constexpr std::string_view kClientVersion = "openai-v1";
constexpr int64_t kMaxTimeoutMs = 3600000;
constexpr size_t kMaxModelBytes = 256;

bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), s.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) ==
                  std::tolower(static_cast<unsigned char>(b));
         });
}

// The lower-cased host (no userinfo, no port) and the path of `url`, "host/path".
std::string HostAndPath(std::string_view url) {
  const size_t scheme_end = url.find("://");
  if (scheme_end != std::string_view::npos) url.remove_prefix(scheme_end + 3);
  url = url.substr(0, url.find_first_of("?#"));
  const size_t slash = url.find('/');
  std::string_view authority = url.substr(0, slash);
  const std::string_view path = slash == std::string_view::npos ? "" : url.substr(slash);
  if (const size_t at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
  }
  std::string_view host = authority;
  if (host.starts_with('[')) {
    host = host.substr(0, host.find(']') + 1);  // an IPv6 literal keeps its brackets
  } else {
    host = host.substr(0, host.find(':'));
  }
  std::string out(host);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out + std::string(path);
}

Status CheckRange(std::string_view flag, uint64_t value, uint64_t low, uint64_t high) {
  if (value >= low && value <= high) return Status::OK();
  return Status::InvalidArgument(flag, std::to_string(value) + " is outside " +
                                           std::to_string(low) + ".." + std::to_string(high));
}

Status ValidateOptions(const OpenAiEmbedderOptions& o) {
  if (!StartsWithIgnoreCase(o.url, "http://") && !StartsWithIgnoreCase(o.url, "https://")) {
    return Status::InvalidArgument("embedder spec openai:" + RedactUrl(o.url),
                                   "want an http:// or https:// URL, e.g. "
                                   "openai:http://127.0.0.1:11434/v1");
  }
  if (o.model.empty()) {
    return Status::InvalidArgument("--model", "required for openai embedders");
  }
  if (o.model.size() > kMaxModelBytes || !text::IsValidUtf8(o.model) ||
      std::any_of(o.model.begin(), o.model.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x20; })) {
    return Status::InvalidArgument("--model",
                                   "want 1 to 256 bytes of UTF-8 without control "
                                   "characters");
  }
  if (o.dimensions != 0) {
    ROXI_RETURN_IF_ERROR(CheckRange("--dimensions", o.dimensions, 1, format::kMaxDim));
  }
  ROXI_RETURN_IF_ERROR(CheckRange(
      "--timeout-ms", static_cast<uint64_t>(std::max<int64_t>(o.timeout_ms, 0)), 1, kMaxTimeoutMs));
  ROXI_RETURN_IF_ERROR(CheckRange("--connect-timeout-ms",
                                  static_cast<uint64_t>(std::max<int64_t>(o.connect_timeout_ms, 0)),
                                  1, kMaxTimeoutMs));
  ROXI_RETURN_IF_ERROR(CheckRange("--requests-in-flight", o.requests_in_flight, 1, 64));
  ROXI_RETURN_IF_ERROR(CheckRange("--max-batch-inputs", o.max_batch_inputs, 1, 2048));
  ROXI_RETURN_IF_ERROR(CheckRange("--max-batch-bytes", o.max_batch_bytes, 1024, uint64_t{1} << 30));
  ROXI_RETURN_IF_ERROR(CheckRange("--max-input-tokens", o.max_input_tokens, 1, uint64_t{1} << 24));
  ROXI_RETURN_IF_ERROR(CheckRange("--max-retries", o.retry.max_retries, 0, 100));
  if (o.api_key.find_first_of("\r\n") != std::string::npos) {
    return Status::InvalidArgument("ROXI_EMBEDDER_API_KEY", "contains a line break");
  }
  return Status::OK();
}

// Scales row[0, dim) to unit length; a zero row stays zero.
void Normalise(float* row, uint32_t dim) {
  double sum = 0;
  for (uint32_t d = 0; d < dim; ++d) sum += double{row[d]} * row[d];
  if (sum == 0) return;
  const double scale = 1.0 / std::sqrt(sum);
  for (uint32_t d = 0; d < dim; ++d) row[d] = static_cast<float>(row[d] * scale);
}

}  // namespace

std::string EmbeddingsEndpointUrl(std::string_view url) {
  while (url.ends_with('/')) url.remove_suffix(1);
  std::string out(url);
  if (!url.ends_with("/embeddings")) out += "/embeddings";
  return out;
}

std::string OpenAiEmbedderId(const OpenAiEmbedderOptions& options, std::string_view endpoint_url,
                             uint32_t dim) {
  const std::string settings =
      std::string(kClientVersion) + ";endpoint=" + HostAndPath(endpoint_url) +
      ";model=" + options.model + ";oversize=" + std::string(OversizePolicyName(options.oversize)) +
      ";max_input_tokens=" + std::to_string(options.max_input_tokens) +
      ";bytes_per_token=" + std::to_string(kBytesPerToken) + ";normalise=l2";
  char fingerprint[9];
  std::snprintf(fingerprint, sizeof(fingerprint), "%08x",
                static_cast<unsigned>(format::Xxh3(settings) & 0xFFFFFFFFu));
  return "openai:" + options.model + ":" + std::to_string(dim) + ":" + fingerprint;
}

OpenAiEmbedder::OpenAiEmbedder(OpenAiEmbedderOptions options, std::string endpoint_url)
    : options_(std::move(options)) {
  const common::Clock& clock = options_.clock ? *options_.clock : common::SystemClock();
  Sleeper& sleeper = options_.sleeper ? *options_.sleeper : SystemSleeper();
  limiter_ = std::make_unique<RateLimiter>(options_.rate_limits, clock, sleeper);
  EndpointOptions endpoint;
  endpoint.url = std::move(endpoint_url);
  endpoint.model = options_.model;
  endpoint.dimensions = options_.dimensions;
  endpoint.api_key = options_.api_key;
  endpoint.timeout_ms = options_.timeout_ms;
  endpoint.connect_timeout_ms = options_.connect_timeout_ms;
  endpoint.ca_bundle = options_.ca_bundle;
  endpoint.retry = options_.retry;
  endpoint_ =
      std::make_unique<EmbeddingEndpoint>(std::move(endpoint), limiter_.get(), clock, sleeper);
  std::mt19937_64 seeder(options_.jitter_seed != 0 ? options_.jitter_seed : std::random_device{}());
  for (uint32_t i = 0; i <= options_.requests_in_flight; ++i) rngs_.emplace_back(seeder());
}

OpenAiEmbedder::~OpenAiEmbedder() = default;

Result<std::unique_ptr<OpenAiEmbedder>> OpenAiEmbedder::Create(OpenAiEmbedderOptions options) {
  ROXI_RETURN_IF_ERROR(ValidateOptions(options));
  std::string url = EmbeddingsEndpointUrl(options.url);
  std::unique_ptr<OpenAiEmbedder> embedder(new OpenAiEmbedder(std::move(options), url));
  for (uint32_t i = 0; i <= embedder->options_.requests_in_flight; ++i) {
    ROXI_ASSIGN_OR_RETURN(HttpClient client, HttpClient::Create());
    embedder->clients_.push_back(std::move(client));
  }
  uint32_t dim = embedder->options_.dimensions;
  if (dim == 0) {
    std::vector<float> vector;
    SendOutcome probe = embedder->Probe(0, &vector);
    if (probe.kind != SendOutcome::Kind::kEmbedded) {
      return probe.status.WithContext("learn the model's dimension");
    }
    if (probe.dim > format::kMaxDim) {
      return Status::InvalidArgument(embedder->endpoint_->name(),
                                     "the model's dimension " + std::to_string(probe.dim) +
                                         " is above roxi's limit of " +
                                         std::to_string(format::kMaxDim));
    }
    dim = probe.dim;
  }
  embedder->info_.dim = dim;
  embedder->info_.id = OpenAiEmbedderId(embedder->options_, url, dim);
  const size_t workers = embedder->options_.requests_in_flight;
  embedder->fanout_ = std::make_unique<EmbeddingFanout>(
      *embedder->endpoint_, std::span<HttpClient>(embedder->clients_).first(workers),
      std::span<std::mt19937_64>(embedder->rngs_).first(workers));
  return embedder;
}

SendOutcome OpenAiEmbedder::Probe(uint32_t dim, std::vector<float>* out) {
  const std::string_view texts[] = {kProbeText};
  std::lock_guard<std::mutex> lock(probe_mu_);
  SendOutcome outcome = endpoint_->Send(&clients_.back(), texts, dim, out, &rngs_.back());
  if (outcome.kind == SendOutcome::Kind::kEmbedded) served_ = true;
  return outcome;
}

Status OpenAiEmbedder::Embed(std::span<const std::string_view> texts, std::span<float> out,
                             std::vector<Status>* item_status) {
  const uint32_t dim = info_.dim;
  ROXI_RETURN_IF_ERROR(PrepareEmbedCall(texts.size(), out.size(), dim, item_status));
  std::fill(out.begin(), out.end(), 0.0f);

  // What is sent: the texts' pieces, each remembering its text.
  std::vector<std::string_view> inputs;
  std::vector<size_t> owner;
  for (size_t i = 0; i < texts.size(); ++i) {
    if (Status s = text::CheckUtf8(texts[i], "embed text"); !s.ok()) {
      (*item_status)[i] = std::move(s);
      continue;
    }
    if (texts[i].empty()) continue;  // the zero vector, as for a text without features
    for (std::string_view piece :
         LimitInput(texts[i], options_.max_input_tokens, options_.oversize)) {
      inputs.push_back(piece);
      owner.push_back(i);
    }
  }

  std::vector<float> vectors;
  std::vector<Status> input_status;
  ROXI_RETURN_IF_ERROR(
      fanout_->Run(inputs, PlanBatches(inputs, options_.max_batch_inputs, options_.max_batch_bytes),
                   dim, &vectors, &input_status));

  const bool any_rejected = std::any_of(input_status.begin(), input_status.end(),
                                        [](const Status& s) { return !s.ok(); });
  if (any_rejected && !served_) {
    // A server that has never produced a vector may be refusing the request itself (an unknown
    // model, a bad field) rather than these texts; blaming them would fail good chunks.
    std::vector<float> probe_vector;
    SendOutcome probe = Probe(dim, &probe_vector);
    if (probe.kind == SendOutcome::Kind::kRejected) {
      return Status::InvalidArgument(endpoint_->name(), "server rejects even a probe text: " +
                                                            std::string(probe.status.message()));
    }
    if (probe.kind == SendOutcome::Kind::kFailed) return probe.status;
  }
  if (!inputs.empty() && !std::all_of(input_status.begin(), input_status.end(),
                                      [](const Status& s) { return !s.ok(); })) {
    served_ = true;
  }

  // Each text's vector: its pieces' vectors weighted by their length (one piece unless split).
  for (size_t k = 0; k < inputs.size(); ++k) {
    const size_t i = owner[k];
    if (!(*item_status)[i].ok()) continue;
    if (!input_status[k].ok()) {
      (*item_status)[i] = std::move(input_status[k]);
      continue;
    }
    float* row = out.data() + i * dim;
    const float* piece = vectors.data() + k * dim;
    std::vector<float> unit(piece, piece + dim);
    Normalise(unit.data(), dim);
    const auto weight = static_cast<float>(inputs[k].size());
    for (uint32_t d = 0; d < dim; ++d) row[d] += weight * unit[d];
  }
  for (size_t i = 0; i < texts.size(); ++i) {
    float* row = out.data() + i * dim;
    if ((*item_status)[i].ok()) {
      Normalise(row, dim);
    } else {
      std::fill(row, row + dim, 0.0f);
    }
  }
  return Status::OK();
}

}  // namespace roxi::embedders
