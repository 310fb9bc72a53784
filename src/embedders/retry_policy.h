// RetryPolicy: when the OpenAI-compatible embedder sends a request again, and how long it waits
// first. Pure rules, no I/O: the caller does the waiting through its Sleeper.
//
//  - Which HTTP statuses are worth retrying (ClassifyHttpStatus): 408, 425, 429 and every 5xx
//    except 501 and 505 are transient; 400, 413 and 422 blame the inputs; any other status is a
//    configuration problem (bad key, wrong URL or model) that retrying cannot fix.
//  - How long to wait: exponential backoff with "equal jitter" (half the step fixed, half random),
//    unless the server named a time (Retry-After in seconds or as an HTTP-date, or the
//    x-ratelimit-reset-* headers that OpenAI sends), which is then honoured exactly, plus at most
//    10% (capped at 1 s) of random spread so that parallel workers do not return in lock step.
//
// Thread-safety: RetryPolicy is immutable; the parse functions are pure. BackoffMicros takes the
// random generator from the caller, so each worker keeps its own.
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string_view>

#include "src/embedders/http_message.h"

namespace roxi::embedders {

struct RetryOptions {
  // Retries after the first attempt of a request; 0 sends each request once. Default: 6.
  uint32_t max_retries = 6;
  // First backoff step, in milliseconds; each retry doubles it. Default: 500.
  uint64_t initial_backoff_ms = 500;
  // Largest backoff step, in milliseconds. Default: 30000.
  uint64_t max_backoff_ms = 30000;
  // A server asking to wait longer than this (Retry-After, x-ratelimit-reset-*) is not waited
  // for: the batch fails at once with Unavailable, so the caller can back off on its own terms.
  // In milliseconds. Default: 120000.
  uint64_t max_server_wait_ms = 120000;
};

enum class HttpOutcome {
  kSuccess,        // 2xx
  kTransient,      // retry later: 408, 425, 429, 5xx but 501 and 505
  kBadInput,       // the inputs are at fault: 400, 413, 422
  kConfiguration,  // anything else: 401, 403, 404, 405, 501, ...
};

HttpOutcome ClassifyHttpStatus(int status);

// Parses a Retry-After value: delay-seconds ("120") or an IMF-fixdate HTTP-date ("Wed, 21 Oct
// 2015 07:28:00 GMT"), relative to now_unix_micros. Returns the wait in microseconds (0 for a date
// in the past), or nullopt if the value is neither form.
std::optional<uint64_t> ParseRetryAfter(std::string_view value, uint64_t now_unix_micros);

// Parses a duration as OpenAI's x-ratelimit-reset-* headers write it: Go-style units ("20ms",
// "1s", "6m0s", "1h2m3.5s") or plain seconds ("1.5"). Microseconds, or nullopt if malformed.
std::optional<uint64_t> ParseResetDuration(std::string_view value);

// What a response says about when to send again.
struct ServerWait {
  // Retry-After (or, on a 429 without it, the x-ratelimit-reset-* that ran out): this request may
  // be sent again only after this many microseconds.
  std::optional<uint64_t> retry_after_micros;
  // x-ratelimit-remaining-requests or -tokens is 0: no request should start for this long.
  std::optional<uint64_t> pause_micros;
};

// Reads Retry-After, x-ratelimit-remaining-{requests,tokens} and
// x-ratelimit-reset-{requests,tokens} from `response`. Unparsable values are ignored.
ServerWait ReadServerWait(const HttpResponse& response, uint64_t now_unix_micros);

class RetryPolicy {
 public:
  explicit RetryPolicy(const RetryOptions& options) : options_(options) {}

  const RetryOptions& options() const { return options_; }

  // The wait before retry number `retry` (1 for the first retry) when the server named no time:
  // step = min(max_backoff, initial_backoff * 2^(retry-1)), and the wait is uniform in
  // [step/2, step].
  uint64_t BackoffMicros(uint32_t retry, std::mt19937_64* rng) const;

  // The wait when the server named `server_micros`: that, plus up to 10% of it (at most 1 s).
  uint64_t ServerWaitMicros(uint64_t server_micros, std::mt19937_64* rng) const;

 private:
  RetryOptions options_;
};

}  // namespace roxi::embedders
