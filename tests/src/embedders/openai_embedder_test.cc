// OpenAiEmbedder against FakeEmbeddingServer, a real HTTP server on 127.0.0.1 speaking the OpenAI
// embeddings protocol. Waits (backoff, Retry-After, rate limits) go through FakeTime, so they are
// checked without being slept, except in the test that checks Retry-After on the server's clock.
#include "src/embedders/openai_embedder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/fake_embedding_server.h"
#include "tests/support/fake_time.h"
#include "tests/support/scoped_env.h"

namespace roxi::embedders {
namespace {

using testing::FakeEmbeddingServer;
using testing::FakeEmbeddingServerOptions;
using testing::Fault;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr uint32_t kDim = 16;
constexpr uint64_t kSecond = 1000000;

class OpenAiEmbedderTest : public ::testing::Test {
 protected:
  OpenAiEmbedderOptions Options() {
    OpenAiEmbedderOptions o;
    o.url = server_.BaseUrl();
    o.model = "test-model";
    o.dimensions = kDim;
    o.requests_in_flight = 4;
    o.max_batch_inputs = 4;
    o.clock = &time_;
    o.sleeper = &time_;
    o.jitter_seed = 1;
    return o;
  }

  std::unique_ptr<OpenAiEmbedder> Make(const OpenAiEmbedderOptions& options) {
    Result<std::unique_ptr<OpenAiEmbedder>> e = OpenAiEmbedder::Create(options);
    EXPECT_TRUE(e.ok()) << e.status().ToString();
    return e.ok() ? std::move(e).value() : nullptr;
  }

  static std::vector<std::string> Texts(size_t n) {
    std::vector<std::string> texts;
    for (size_t i = 0; i < n; ++i) texts.push_back("chunk number " + std::to_string(i));
    return texts;
  }

  struct Output {
    Status status;
    std::vector<float> vectors;
    std::vector<Status> items;
  };
  static Output Embed(Embedder* e, const std::vector<std::string>& texts) {
    std::vector<std::string_view> views(texts.begin(), texts.end());
    Output out;
    out.vectors.assign(texts.size() * e->info().dim, 0.0f);
    out.status = e->Embed(views, out.vectors, &out.items);
    return out;
  }

  // Every item OK with exactly the server's vector for its text, normalised.
  static void ExpectAllEmbedded(const Output& out, const std::vector<std::string>& texts) {
    ASSERT_TRUE(out.status.ok()) << out.status.ToString();
    ASSERT_EQ(out.items.size(), texts.size());
    for (size_t i = 0; i < texts.size(); ++i) {
      ASSERT_TRUE(out.items[i].ok()) << i << ": " << out.items[i].ToString();
      const std::vector<float> want = FakeEmbeddingServer::UnitVectorFor(texts[i], kDim);
      for (uint32_t d = 0; d < kDim; ++d) {
        ASSERT_NEAR(out.vectors[i * kDim + d], want[d], 1e-6) << "text " << i << " dim " << d;
      }
    }
  }

  // Each text reached the server in exactly one successful request.
  void ExpectEmbeddedOnce(const std::vector<std::string>& texts) {
    std::map<std::string, int> count;
    for (const std::string& s : server_.EmbeddedInputs()) ++count[s];
    for (const std::string& t : texts) EXPECT_EQ(count[t], 1) << t;
  }

  testing::ScopedEnv no_proxy_{"no_proxy", "127.0.0.1,localhost"};
  FakeEmbeddingServer server_{MakeServerOptions()};
  testing::FakeTime time_;

 private:
  static FakeEmbeddingServerOptions MakeServerOptions() {
    FakeEmbeddingServerOptions o;
    o.dim = kDim;
    return o;
  }
};

TEST_F(OpenAiEmbedderTest, EmbedsEveryTextOnceWithTheServersVector) {
  auto e = Make(Options());
  ASSERT_NE(e, nullptr);
  const auto texts = Texts(10);
  ExpectAllEmbedded(Embed(e.get(), texts), texts);
  ExpectEmbeddedOnce(texts);
  const auto requests = server_.Requests();
  ASSERT_EQ(requests.size(), 3u);  // 4 + 4 + 2
  for (const auto& r : requests) {
    EXPECT_EQ(r.model, "test-model");
    EXPECT_EQ(r.dimensions, kDim);
    EXPECT_EQ(r.authorization, "");
  }
}

TEST_F(OpenAiEmbedderTest, LearnsTheDimensionWithOneProbeWhenNotGiven) {
  OpenAiEmbedderOptions o = Options();
  o.dimensions = 0;
  auto e = Make(o);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->info().dim, kDim);
  EXPECT_THAT(e->info().id, ::testing::MatchesRegex("openai:test-model:16:[0-9a-f]{8}"));
  const auto requests = server_.Requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_FALSE(requests[0].dimensions.has_value());
}

TEST_F(OpenAiEmbedderTest, IdDependsOnWhatChangesVectorsOnly) {
  OpenAiEmbedderOptions a = Options();
  const std::string base = OpenAiEmbedderId(a, "http://Host.example:8080/v1/embeddings", 16);
  EXPECT_THAT(base, ::testing::MatchesRegex("openai:test-model:16:[0-9a-f]{8}"));
  OpenAiEmbedderOptions b = a;
  b.api_key = "secret";
  b.requests_in_flight = 9;
  b.timeout_ms = 5;
  EXPECT_EQ(OpenAiEmbedderId(b, "https://user:pw@host.example:9999/v1/embeddings?x=1", 16), base);
  EXPECT_NE(OpenAiEmbedderId(a, "http://other.example:8080/v1/embeddings", 16), base);
  EXPECT_NE(OpenAiEmbedderId(a, "http://host.example:8080/v2/embeddings", 16), base);
  EXPECT_NE(OpenAiEmbedderId(a, "http://host.example:8080/v1/embeddings", 32), base);
  b = a;
  b.model = "other";
  EXPECT_NE(OpenAiEmbedderId(b, "http://host.example:8080/v1/embeddings", 16), base);
  b = a;
  b.oversize = OversizePolicy::kSplit;
  EXPECT_NE(OpenAiEmbedderId(b, "http://host.example:8080/v1/embeddings", 16), base);
  b = a;
  b.max_input_tokens = 512;
  EXPECT_NE(OpenAiEmbedderId(b, "http://host.example:8080/v1/embeddings", 16), base);
}

TEST_F(OpenAiEmbedderTest, EndpointUrlGetsEmbeddingsAppendedOnce) {
  EXPECT_EQ(EmbeddingsEndpointUrl("http://h/v1"), "http://h/v1/embeddings");
  EXPECT_EQ(EmbeddingsEndpointUrl("http://h/v1/"), "http://h/v1/embeddings");
  EXPECT_EQ(EmbeddingsEndpointUrl("http://h/v1/embeddings"), "http://h/v1/embeddings");
}

TEST_F(OpenAiEmbedderTest, ValidatesOptions) {
  struct Case {
    std::function<void(OpenAiEmbedderOptions*)> change;
    const char* message;
  };
  const Case cases[] = {
      {[](auto* o) { o->url = "ftp://h/v1"; }, "want an http:// or https:// URL"},
      {[](auto* o) { o->model = ""; }, "--model: required for openai embedders"},
      {[](auto* o) { o->model = "a\nb"; }, "--model: want 1 to 256 bytes"},
      {[](auto* o) { o->dimensions = 16385; }, "--dimensions: 16385 is outside 1..16384"},
      {[](auto* o) { o->timeout_ms = 0; }, "--timeout-ms: 0 is outside"},
      {[](auto* o) { o->requests_in_flight = 0; }, "--requests-in-flight: 0 is outside 1..64"},
      {[](auto* o) { o->max_batch_inputs = 5000; }, "--max-batch-inputs: 5000 is outside"},
      {[](auto* o) { o->max_batch_bytes = 10; }, "--max-batch-bytes: 10 is outside"},
      {[](auto* o) { o->max_input_tokens = 0; }, "--max-input-tokens: 0 is outside"},
      {[](auto* o) { o->api_key = "abc\r\n"; }, "ROXI_EMBEDDER_API_KEY: contains a line break"},
  };
  for (const Case& c : cases) {
    OpenAiEmbedderOptions o = Options();
    c.change(&o);
    Result<std::unique_ptr<OpenAiEmbedder>> e = OpenAiEmbedder::Create(o);
    ASSERT_FALSE(e.ok()) << c.message;
    EXPECT_TRUE(e.status().IsInvalidArgument());
    EXPECT_THAT(e.status().ToString(), HasSubstr(c.message));
  }
  EXPECT_TRUE(server_.Requests().empty());
}

TEST_F(OpenAiEmbedderTest, SendsTheApiKeyButNeverShowsIt) {
  OpenAiEmbedderOptions o = Options();
  o.api_key = "sk-very-secret-key";
  auto e = Make(o);
  ASSERT_NE(e, nullptr);
  const auto texts = Texts(2);
  ExpectAllEmbedded(Embed(e.get(), texts), texts);
  EXPECT_EQ(server_.Requests()[0].authorization, "Bearer sk-very-secret-key");

  server_.AddFaults(Fault::kUnauthorized, 1);
  Output out = Embed(e.get(), texts);
  EXPECT_TRUE(out.status.IsInvalidArgument()) << out.status.ToString();
  EXPECT_THAT(out.status.ToString(), HasSubstr("http 401: invalid api key"));
  EXPECT_THAT(out.status.ToString(), HasSubstr("ROXI_EMBEDDER_API_KEY"));
  EXPECT_THAT(out.status.ToString(), Not(HasSubstr("sk-very-secret-key")));
}

// For each fault, two bad answers in a row: the embedder retries through them and ends with every
// text embedded with its own vector.
TEST_F(OpenAiEmbedderTest, RecoversFromTransientFaultsAndInvalidResponses) {
  const Fault faults[] = {Fault::kTooManyRequests,
                          Fault::kServerError,
                          Fault::kWrongCount,
                          Fault::kWrongDimension,
                          Fault::kNaN,
                          Fault::kDuplicateIndex,
                          Fault::kMalformedJson,
                          Fault::kShuffledIndexes};
  int round = 0;
  for (Fault fault : faults) {
    SCOPED_TRACE(static_cast<int>(fault));
    auto e = Make(Options());
    ASSERT_NE(e, nullptr);
    server_.ClearRequests();
    server_.AddFaults(fault, 2, "1");
    std::vector<std::string> texts;
    for (int i = 0; i < 10; ++i)
      texts.push_back("round " + std::to_string(round) + " text " + std::to_string(i));
    ++round;
    ExpectAllEmbedded(Embed(e.get(), texts), texts);
    ExpectEmbeddedOnce(texts);
    const uint64_t retries = e->stats().retries.load();
    EXPECT_EQ(retries, fault == Fault::kShuffledIndexes ? 0u : 2u);
  }
}

TEST_F(OpenAiEmbedderTest, WaitsWhatRetryAfterSaysOnFakeTime) {
  auto e = Make(Options());
  ASSERT_NE(e, nullptr);
  server_.AddFaults(Fault::kTooManyRequests, 1, "7");
  const auto texts = Texts(1);
  ExpectAllEmbedded(Embed(e.get(), texts), texts);
  const auto sleeps = time_.sleeps();
  ASSERT_FALSE(sleeps.empty());
  EXPECT_GE(sleeps[0], 7 * kSecond);
  EXPECT_LE(sleeps[0], 8 * kSecond);
}

TEST_F(OpenAiEmbedderTest, RetryAfterHoldsBackTheNextRequestOnTheServersClock) {
  OpenAiEmbedderOptions o = Options();
  o.clock = nullptr;  // real time: the server's timestamps are the judge
  o.sleeper = nullptr;
  auto e = Make(o);
  ASSERT_NE(e, nullptr);
  server_.AddFaults(Fault::kTooManyRequests, 1, "1");
  const auto texts = Texts(1);
  ExpectAllEmbedded(Embed(e.get(), texts), texts);
  const auto requests = server_.Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].status, 429);
  EXPECT_EQ(requests[1].status, 200);
  // The 429 was written after finished_micros, so a client honouring "1" cannot be back sooner
  // than a second later; 50 ms of margin for the two clocks' readings.
  EXPECT_GE(requests[1].received_micros - requests[0].finished_micros, 950000);
}

TEST_F(OpenAiEmbedderTest, RateLimitHeadersPauseTheNextRequest) {
  OpenAiEmbedderOptions o = Options();
  o.requests_in_flight = 1;
  auto e = Make(o);
  ASSERT_NE(e, nullptr);
  server_.AddFaults(Fault::kRateLimited, 1, "2s");
  const auto texts = Texts(8);
  ExpectAllEmbedded(Embed(e.get(), texts), texts);
  EXPECT_EQ(time_.sleeps(), std::vector<uint64_t>({2 * kSecond}));
  EXPECT_EQ(e->stats().retries.load(), 0u);
}

TEST_F(OpenAiEmbedderTest, ClientSideRequestLimitPacesRequests) {
  OpenAiEmbedderOptions o = Options();
  o.requests_in_flight = 1;
  o.max_batch_inputs = 1;
  o.rate_limits.requests_per_minute = 60;  // bursts of 6, then one a second
  auto e = Make(o);
  ASSERT_NE(e, nullptr);
  const auto texts = Texts(20);
  ExpectAllEmbedded(Embed(e.get(), texts), texts);
  EXPECT_EQ(time_.sleeps(), std::vector<uint64_t>(14, kSecond));
}

TEST_F(OpenAiEmbedderTest, ATimedOutRequestIsRetried) {
  OpenAiEmbedderOptions o = Options();
  o.timeout_ms = 300;
  auto e = Make(o);
  ASSERT_NE(e, nullptr);
  server_.AddFaults(Fault::kHang, 1);
  const auto texts = Texts(3);
  ExpectAllEmbedded(Embed(e.get(), texts), texts);
  EXPECT_EQ(e->stats().retries.load(), 1u);
}

TEST_F(OpenAiEmbedderTest, RejectsOnlyTheInputsTheServerRefuses) {
  auto e = Make(Options());
  ASSERT_NE(e, nullptr);
  auto texts = Texts(10);
  texts[3] = "chunk three <reject> has bad content";
  texts[8] = "<reject> again";
  Output out = Embed(e.get(), texts);
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  for (size_t i = 0; i < texts.size(); ++i) {
    if (i == 3 || i == 8) {
      EXPECT_TRUE(out.items[i].IsInvalidArgument()) << out.items[i].ToString();
      EXPECT_THAT(out.items[i].ToString(),
                  HasSubstr("http 400: input 0 contains forbidden content"));
      EXPECT_THAT(out.items[i].ToString(), HasSubstr(server_.BaseUrl() + "/embeddings"));
      for (uint32_t d = 0; d < kDim; ++d) EXPECT_EQ(out.vectors[i * kDim + d], 0.0f);
      continue;
    }
    ASSERT_TRUE(out.items[i].ok()) << i;
    EXPECT_NEAR(out.vectors[i * kDim], FakeEmbeddingServer::UnitVectorFor(texts[i], kDim)[0], 1e-6);
  }
  std::vector<std::string> good;
  for (size_t i = 0; i < texts.size(); ++i) {
    if (i != 3 && i != 8) good.push_back(texts[i]);
  }
  ExpectEmbeddedOnce(good);
}

TEST_F(OpenAiEmbedderTest, ConcurrentCallsShareTheWorkersAndEachGetsItsOwnResults) {
  auto e = Make(Options());
  ASSERT_NE(e, nullptr);
  ASSERT_TRUE(e->AllowsConcurrentEmbed());
  std::vector<std::vector<std::string>> texts(3);
  for (size_t c = 0; c < texts.size(); ++c) {
    for (size_t i = 0; i < 23; ++i) {
      texts[c].push_back("call " + std::to_string(c) + " text " + std::to_string(i));
    }
  }
  texts[1][5] = "call 1 has a <reject> text";
  std::vector<Output> outs(texts.size());
  {
    std::vector<std::jthread> threads;
    for (size_t c = 0; c < texts.size(); ++c) {
      threads.emplace_back([&, c] { outs[c] = Embed(e.get(), texts[c]); });
    }
  }
  ExpectAllEmbedded(outs[0], texts[0]);
  ExpectAllEmbedded(outs[2], texts[2]);
  ASSERT_TRUE(outs[1].status.ok()) << outs[1].status.ToString();
  for (size_t i = 0; i < texts[1].size(); ++i) {
    EXPECT_EQ(outs[1].items[i].ok(), i != 5) << i;
    if (i == 5) continue;
    EXPECT_NEAR(outs[1].vectors[i * kDim],
                FakeEmbeddingServer::UnitVectorFor(texts[1][i], kDim)[0], 1e-6);
  }
  std::vector<std::string> good = texts[0];
  good.insert(good.end(), texts[2].begin(), texts[2].end());
  for (size_t i = 0; i < texts[1].size(); ++i) {
    if (i != 5) good.push_back(texts[1][i]);
  }
  ExpectEmbeddedOnce(good);
}

TEST_F(OpenAiEmbedderTest, AServerThatRejectsEverythingIsAConfigurationError) {
  FakeEmbeddingServerOptions so;
  so.dim = kDim;
  so.reject_marker = "";  // every input contains the empty string
  FakeEmbeddingServer refusing(so);
  OpenAiEmbedderOptions o = Options();
  o.url = refusing.BaseUrl();
  auto e = Make(o);
  ASSERT_NE(e, nullptr);
  Output out = Embed(e.get(), Texts(3));
  EXPECT_TRUE(out.status.IsInvalidArgument()) << out.status.ToString();
  EXPECT_THAT(out.status.ToString(), HasSubstr("server rejects even a probe text"));
}

TEST_F(OpenAiEmbedderTest, PersistentInvalidResponsesFailTheBatchNamingEndpointAndProblem) {
  OpenAiEmbedderOptions o = Options();
  o.retry.max_retries = 2;
  auto e = Make(o);
  ASSERT_NE(e, nullptr);
  server_.AddFaults(Fault::kWrongDimension, 1000);
  Output out = Embed(e.get(), Texts(3));
  EXPECT_TRUE(out.status.IsUnavailable()) << out.status.ToString();
  EXPECT_THAT(out.status.ToString(), HasSubstr(server_.BaseUrl() + "/embeddings"));
  EXPECT_THAT(out.status.ToString(), HasSubstr("gave up after 3 attempt(s)"));
  EXPECT_THAT(out.status.ToString(), HasSubstr("data[0] has 17 dimensions, expected 16"));
}

TEST_F(OpenAiEmbedderTest, ConnectionRefusedIsUnavailableAfterRetries) {
  OpenAiEmbedderOptions o = Options();
  o.url = "http://127.0.0.1:1/v1";  // port 1: nothing listens there
  auto e = Make(o);
  ASSERT_NE(e, nullptr);
  Output out = Embed(e.get(), Texts(4));
  EXPECT_TRUE(out.status.IsUnavailable()) << out.status.ToString();
  EXPECT_THAT(out.status.ToString(), HasSubstr("http://127.0.0.1:1/v1/embeddings"));
  EXPECT_THAT(out.status.ToString(), HasSubstr("gave up after 7 attempt(s)"));
  EXPECT_EQ(e->stats().requests.load(), 7u);  // one batch: the first attempt and 6 retries
  EXPECT_EQ(time_.sleeps().size(), 6u);
}

TEST_F(OpenAiEmbedderTest, AServerAskingForTooLongAWaitFailsAtOnce) {
  auto e = Make(Options());
  ASSERT_NE(e, nullptr);
  server_.AddFaults(Fault::kTooManyRequests, 1, "3600");
  Output out = Embed(e.get(), Texts(1));
  EXPECT_TRUE(out.status.IsUnavailable()) << out.status.ToString();
  EXPECT_THAT(out.status.ToString(), HasSubstr("server asks to wait 3600 s"));
  EXPECT_TRUE(time_.sleeps().empty());
}

TEST_F(OpenAiEmbedderTest, InvalidUtf8IsRejectedUnsentAndEmptyTextsGetZero) {
  auto e = Make(Options());
  ASSERT_NE(e, nullptr);
  const std::vector<std::string> texts = {"fine", "bad \xc3 byte", ""};
  Output out = Embed(e.get(), texts);
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  EXPECT_TRUE(out.items[0].ok());
  EXPECT_TRUE(out.items[1].IsInvalidArgument());
  EXPECT_TRUE(out.items[2].ok());
  for (uint32_t d = 0; d < kDim; ++d) EXPECT_EQ(out.vectors[2 * kDim + d], 0.0f);
  EXPECT_EQ(server_.EmbeddedInputs(), std::vector<std::string>({"fine"}));
}

TEST_F(OpenAiEmbedderTest, LongTextsAreTruncatedOrSplitByPolicy) {
  const std::string text = "alpha beta gamma delta epsilon zeta";  // 35 bytes
  OpenAiEmbedderOptions o = Options();
  o.max_input_tokens = 4;  // 12 bytes
  auto truncating = Make(o);
  ASSERT_NE(truncating, nullptr);
  Output out = Embed(truncating.get(), {text});
  ASSERT_TRUE(out.status.ok() && out.items[0].ok());
  EXPECT_EQ(server_.EmbeddedInputs(), std::vector<std::string>({"alpha beta "}));
  const auto first = FakeEmbeddingServer::UnitVectorFor("alpha beta ", kDim);
  for (uint32_t d = 0; d < kDim; ++d) EXPECT_NEAR(out.vectors[d], first[d], 1e-6);

  server_.ClearRequests();
  o.oversize = OversizePolicy::kSplit;
  auto splitting = Make(o);
  ASSERT_NE(splitting, nullptr);
  out = Embed(splitting.get(), {text});
  ASSERT_TRUE(out.status.ok() && out.items[0].ok());
  const std::vector<std::string> pieces = {"alpha beta ", "gamma delta ", "epsilon zeta"};
  auto sent = server_.EmbeddedInputs();
  std::sort(sent.begin(), sent.end());
  auto want_sent = pieces;
  std::sort(want_sent.begin(), want_sent.end());
  EXPECT_EQ(sent, want_sent);
  std::vector<double> mean(kDim, 0.0);
  for (const std::string& p : pieces) {
    const auto v = FakeEmbeddingServer::UnitVectorFor(p, kDim);
    for (uint32_t d = 0; d < kDim; ++d) mean[d] += static_cast<double>(p.size()) * v[d];
  }
  double norm = 0;
  for (double x : mean) norm += x * x;
  norm = std::sqrt(norm);
  for (uint32_t d = 0; d < kDim; ++d) EXPECT_NEAR(out.vectors[d], mean[d] / norm, 1e-5);
}

}  // namespace
}  // namespace roxi::embedders
