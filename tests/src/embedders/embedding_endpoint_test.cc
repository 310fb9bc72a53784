// EmbeddingEndpoint::Send against FakeEmbeddingServer: the three outcomes and their statuses.
#include "src/embedders/embedding_endpoint.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/support/fake_embedding_server.h"
#include "tests/support/fake_time.h"
#include "tests/support/scoped_env.h"

namespace roxi::embedders {
namespace {

using testing::Fault;
using ::testing::HasSubstr;

class EmbeddingEndpointTest : public ::testing::Test {
 protected:
  EndpointOptions Options() {
    EndpointOptions o;
    o.url = server_.BaseUrl() + "/embeddings";
    o.model = "m";
    o.retry.max_retries = 2;
    return o;
  }
  SendOutcome Send(const EndpointOptions& options, std::vector<std::string_view> inputs,
                   uint32_t dim, std::vector<float>* out,
                   const std::atomic<bool>* cancel = nullptr) {
    EmbeddingEndpoint endpoint(options, &limiter_, time_, time_);
    Result<HttpClient> client = HttpClient::Create();
    EXPECT_TRUE(client.ok());
    return endpoint.Send(&*client, inputs, dim, out, &rng_, cancel);
  }

  testing::ScopedEnv no_proxy_{"no_proxy", "127.0.0.1,localhost"};
  testing::FakeEmbeddingServer server_;
  testing::FakeTime time_;
  RateLimiter limiter_{RateLimits{}, time_, time_};
  std::mt19937_64 rng_{3};
};

TEST_F(EmbeddingEndpointTest, EmbedsAndLearnsTheDimension) {
  std::vector<float> out;
  SendOutcome o = Send(Options(), {"a", "b"}, 0, &out);
  ASSERT_EQ(o.kind, SendOutcome::Kind::kEmbedded) << o.status.ToString();
  EXPECT_EQ(o.dim, 16u);
  ASSERT_EQ(out.size(), 32u);
  EXPECT_EQ(std::vector<float>(out.begin() + 16, out.end()),
            testing::FakeEmbeddingServer::VectorFor("b", 16));
}

TEST_F(EmbeddingEndpointTest, RefusedInputsAreRejectedWithTheServersReason) {
  std::vector<float> out;
  SendOutcome o = Send(Options(), {"fine", "has <reject>"}, 16, &out);
  EXPECT_EQ(o.kind, SendOutcome::Kind::kRejected);
  EXPECT_TRUE(o.status.IsInvalidArgument());
  EXPECT_THAT(o.status.ToString(), HasSubstr("http 400: input 1 contains forbidden content"));
  EXPECT_EQ(server_.Requests().size(), 1u);  // not retried
}

TEST_F(EmbeddingEndpointTest, TransientFailuresAreRetriedThenFailUnavailable) {
  server_.AddFaults(Fault::kServerError, 3);
  std::vector<float> out;
  SendOutcome o = Send(Options(), {"a"}, 16, &out);
  EXPECT_EQ(o.kind, SendOutcome::Kind::kFailed);
  EXPECT_TRUE(o.status.IsUnavailable());
  EXPECT_EQ(o.status.ToString(),
            "unavailable: openai embedder " + server_.BaseUrl() +
                "/embeddings: gave up after 3 attempt(s): http 500: the server had an error");
  EXPECT_EQ(time_.sleeps().size(), 2u);
}

TEST_F(EmbeddingEndpointTest, ATimeoutOnTheLastAttemptIsTimedOut) {
  EndpointOptions options = Options();
  options.timeout_ms = 200;
  options.retry.max_retries = 0;
  server_.AddFaults(Fault::kHang, 1);
  std::vector<float> out;
  SendOutcome o = Send(options, {"a"}, 16, &out);
  EXPECT_EQ(o.kind, SendOutcome::Kind::kFailed);
  EXPECT_TRUE(o.status.IsTimedOut()) << o.status.ToString();
}

TEST_F(EmbeddingEndpointTest, ConfigurationErrorsAreNotRetried) {
  server_.AddFaults(Fault::kUnauthorized, 1);
  std::vector<float> out;
  SendOutcome o = Send(Options(), {"a"}, 16, &out);
  EXPECT_EQ(o.kind, SendOutcome::Kind::kFailed);
  EXPECT_TRUE(o.status.IsInvalidArgument());
  EXPECT_EQ(server_.Requests().size(), 1u);
  EndpointOptions wrong_path = Options();
  wrong_path.url = server_.BaseUrl() + "/nothing";
  o = Send(wrong_path, {"a"}, 16, &out);
  EXPECT_TRUE(o.status.IsInvalidArgument());
  EXPECT_THAT(o.status.ToString(), HasSubstr("http 404"));
  EXPECT_THAT(o.status.ToString(), HasSubstr("check the URL"));
}

TEST_F(EmbeddingEndpointTest, ACancelledCallStartsNoAttempt) {
  std::atomic<bool> cancel{true};
  std::vector<float> out;
  SendOutcome o = Send(Options(), {"a"}, 16, &out, &cancel);
  EXPECT_EQ(o.kind, SendOutcome::Kind::kFailed);
  EXPECT_TRUE(o.status.IsAborted());
  EXPECT_TRUE(server_.Requests().empty());
}

}  // namespace
}  // namespace roxi::embedders
