#include "src/embedders/embedding_endpoint.h"

#include <utility>

#include "src/common/log.h"
#include "src/embedders/embedding_response.h"
#include "src/embedders/input_limits.h"
#include "src/embedders/redacted_url.h"

namespace roxi::embedders {

namespace {

// Replaces every occurrence of `secret` in *text. Short secrets are left alone: replacing a
// one-letter "key" everywhere would garble the message and protect nothing.
void Scrub(std::string_view secret, std::string* text) {
  if (secret.size() < 4) return;
  for (size_t at = text->find(secret); at != std::string::npos; at = text->find(secret, at)) {
    text->replace(at, secret.size(), "<redacted>");
  }
}

std::string ConfigurationHint(int status) {
  if (status == 401 || status == 403) return " (check ROXI_EMBEDDER_API_KEY)";
  if (status == 404) return " (check the URL, usually ending in /v1, and --model)";
  return "";
}

}  // namespace

EmbeddingEndpoint::EmbeddingEndpoint(EndpointOptions options, RateLimiter* limiter,
                                     const common::Clock& clock, Sleeper& sleeper)
    : options_(std::move(options)),
      name_("openai embedder " + RedactUrl(options_.url)),
      limiter_(limiter),
      clock_(clock),
      sleeper_(sleeper),
      policy_(options_.retry) {}

std::string EmbeddingEndpoint::DescribeHttpError(const HttpResponse& response) const {
  std::string message = ServerErrorMessage(response.body);
  Scrub(options_.api_key, &message);
  return "http " + std::to_string(response.status) + (message.empty() ? "" : ": " + message);
}

bool EmbeddingEndpoint::WaitBeforeRetry(uint32_t retry, const std::optional<uint64_t>& server_wait,
                                        const Status& why, std::mt19937_64* rng,
                                        Status* failure) const {
  uint64_t wait = 0;
  if (server_wait) {
    const uint64_t max_wait = policy_.options().max_server_wait_ms * 1000;
    if (*server_wait > max_wait) {
      *failure = Status::Unavailable(
          name_, "server asks to wait " + std::to_string(*server_wait / 1000000) +
                     " s, more than the " + std::to_string(max_wait / 1000000) +
                     " s allowed: " + std::string(why.message()));
      return false;
    }
    // Every worker holds back until then, not only this one.
    limiter_->PauseFor(*server_wait);
    wait = policy_.ServerWaitMicros(*server_wait, rng);
  } else {
    wait = policy_.BackoffMicros(retry, rng);
  }
  common::LogWarn("embedder request failed, retrying",
                  {{"endpoint", RedactUrl(options_.url)},
                   {"retry", retry},
                   {"of", policy_.options().max_retries},
                   {"wait_ms", static_cast<double>(wait) / 1000.0},
                   {"error", why}});
  sleeper_.SleepForMicros(wait);
  stats_.wait_micros += wait;
  return true;
}

SendOutcome EmbeddingEndpoint::Send(HttpClient* client, std::span<const std::string_view> inputs,
                                    uint32_t dim, std::vector<float>* out, std::mt19937_64* rng,
                                    const std::atomic<bool>* cancel) const {
  SendOutcome outcome;
  Result<std::string> body = EncodeEmbeddingRequest(options_.model, inputs, options_.dimensions);
  if (!body.ok()) {
    outcome.status = body.status().WithContext(name_);
    return outcome;
  }
  uint64_t tokens = 0;
  for (std::string_view input : inputs) tokens += EstimateTokens(input);

  HttpRequest request;
  request.url = options_.url;
  request.headers = {{"Content-Type", "application/json"}, {"Accept", "application/json"}};
  if (!options_.api_key.empty()) {
    request.headers.push_back({"Authorization", "Bearer " + options_.api_key});
  }
  request.body = std::move(body).value();
  request.timeout_ms = options_.timeout_ms;
  request.connect_timeout_ms = options_.connect_timeout_ms;
  request.ca_bundle = options_.ca_bundle;

  Status last;
  const uint32_t max_retries = policy_.options().max_retries;
  for (uint32_t attempt = 0;; ++attempt) {
    if (cancel != nullptr && cancel->load()) {
      outcome.status = Status::Aborted(name_, "batch abandoned");
      return outcome;
    }
    stats_.wait_micros += limiter_->Acquire(tokens);
    ++stats_.requests;
    Result<HttpResponse> response = client->Post(request);
    std::optional<uint64_t> server_wait;
    if (!response.ok()) {
      // HttpClient's messages name the redacted URL and never a header.
      if (!response.status().IsUnavailable() && !response.status().IsTimedOut()) {
        outcome.status = response.status().WithContext(name_);
        return outcome;
      }
      last = response.status();
    } else {
      const ServerWait wait = ReadServerWait(*response, clock_.NowMicros());
      if (wait.pause_micros) limiter_->PauseFor(*wait.pause_micros);
      switch (ClassifyHttpStatus(response->status)) {
        case HttpOutcome::kSuccess: {
          Result<uint32_t> got = DecodeEmbeddingResponse(response->body, inputs.size(), dim, out);
          if (got.ok()) {
            outcome.kind = SendOutcome::Kind::kEmbedded;
            outcome.dim = *got;
            outcome.status = Status::OK();
            return outcome;
          }
          last = got.status();  // "invalid response: <problem>"
          break;
        }
        case HttpOutcome::kBadInput:
          ++stats_.rejected;
          outcome.kind = SendOutcome::Kind::kRejected;
          outcome.status = Status::InvalidArgument(name_, DescribeHttpError(*response));
          return outcome;
        case HttpOutcome::kConfiguration:
          outcome.status = Status::InvalidArgument(
              name_, DescribeHttpError(*response) + ConfigurationHint(response->status));
          return outcome;
        case HttpOutcome::kTransient:
          last = Status::Unavailable(DescribeHttpError(*response));
          server_wait = wait.retry_after_micros;
          break;
      }
    }
    if (attempt >= max_retries) break;
    Status failure;
    if (!WaitBeforeRetry(attempt + 1, server_wait, last, rng, &failure)) {
      outcome.status = std::move(failure);
      return outcome;
    }
    ++stats_.retries;
  }
  const std::string detail = "gave up after " + std::to_string(max_retries + 1) +
                             " attempt(s): " + std::string(last.message());
  outcome.status =
      last.IsTimedOut() ? Status::TimedOut(name_, detail) : Status::Unavailable(name_, detail);
  return outcome;
}

}  // namespace roxi::embedders
