#include "src/embedders/embedding_response.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace roxi::embedders {
namespace {

using ::testing::HasSubstr;

TEST(EmbeddingResponseTest, EncodesTheRequest) {
  const std::string_view inputs[] = {"hello", "wörld \"quoted\""};
  Result<std::string> body = EncodeEmbeddingRequest("m-1", inputs, 0);
  ASSERT_TRUE(body.ok()) << body.status().ToString();
  EXPECT_EQ(*body, R"({"input":["hello","wörld \"quoted\""],"model":"m-1"})");
  body = EncodeEmbeddingRequest("m-1", inputs, 256);
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(*body, R"({"dimensions":256,"input":["hello","wörld \"quoted\""],"model":"m-1"})");
}

TEST(EmbeddingResponseTest, RefusesToEncodeInvalidUtf8) {
  const std::string_view inputs[] = {"ok", "bad \xff byte"};
  Result<std::string> body = EncodeEmbeddingRequest("m", inputs, 0);
  ASSERT_FALSE(body.ok());
  EXPECT_TRUE(body.status().IsInvalidArgument());
  EXPECT_THAT(body.status().ToString(), HasSubstr("embedding input 1"));
}

TEST(EmbeddingResponseTest, DecodesInIndexOrder) {
  const std::string body = R"({"object":"list","data":[
      {"object":"embedding","index":1,"embedding":[3,4]},
      {"object":"embedding","index":0,"embedding":[1.5,-2]}],"model":"m","usage":{}})";
  std::vector<float> out;
  Result<uint32_t> dim = DecodeEmbeddingResponse(body, 2, 2, &out);
  ASSERT_TRUE(dim.ok()) << dim.status().ToString();
  EXPECT_EQ(*dim, 2u);
  EXPECT_EQ(out, std::vector<float>({1.5f, -2.0f, 3.0f, 4.0f}));
}

TEST(EmbeddingResponseTest, LearnsTheDimensionWhenAskedTo) {
  std::vector<float> out;
  Result<uint32_t> dim =
      DecodeEmbeddingResponse(R"({"data":[{"index":0,"embedding":[1,2,3]}]})", 1, 0, &out);
  ASSERT_TRUE(dim.ok()) << dim.status().ToString();
  EXPECT_EQ(*dim, 3u);
  EXPECT_EQ(out, std::vector<float>({1, 2, 3}));
}

struct BadCase {
  const char* body;
  size_t count;
  uint32_t dim;
  const char* problem;
};

TEST(EmbeddingResponseTest, RefusesEveryKindOfInvalidResponse) {
  const BadCase cases[] = {
      {"", 1, 2, "malformed json"},
      {R"({"data":[{"index":0,"embe)", 1, 2, "malformed json"},
      {R"([1,2])", 1, 2, "not a json object"},
      {R"({"object":"list"})", 1, 2, "no data array"},
      {R"({"error":{"message":"model is loading"}})", 1, 2, "no data array (model is loading)"},
      {R"({"data":[{"index":0,"embedding":[1,2]}]})", 2, 2, "data has 1 items for 2 inputs"},
      {R"({"data":[{"index":0,"embedding":[1,2]},{"index":1,"embedding":[1,2]}]})", 1, 2,
       "data has 2 items for 1 inputs"},
      {R"({"data":[7]})", 1, 2, "data[0] is not an object"},
      {R"({"data":[{"embedding":[1,2]}]})", 1, 2, "data[0] has no integer index"},
      {R"({"data":[{"index":"0","embedding":[1,2]}]})", 1, 2, "data[0] has no integer index"},
      {R"({"data":[{"index":1.5,"embedding":[1,2]}]})", 1, 2, "data[0] has no integer index"},
      {R"({"data":[{"index":2,"embedding":[1,2]},{"index":0,"embedding":[1,2]}]})", 2, 2,
       "data[0] has index 2, outside 0..1"},
      {R"({"data":[{"index":-1,"embedding":[1,2]}]})", 1, 2, "data[0] has index -1"},
      {R"({"data":[{"index":0,"embedding":[1,2]},{"index":0,"embedding":[1,2]}]})", 2, 2,
       "data[1] repeats index 0"},
      {R"({"data":[{"index":0,"embedding":"AAAA"}]})", 1, 2, "data[0] has no embedding array"},
      {R"({"data":[{"index":0}]})", 1, 2, "data[0] has no embedding array"},
      {R"({"data":[{"index":0,"embedding":[1,2,3]}]})", 1, 2,
       "data[0] has 3 dimensions, expected 2"},
      {R"({"data":[{"index":0,"embedding":[1]}]})", 1, 2, "data[0] has 1 dimensions, expected 2"},
      {R"({"data":[{"index":0,"embedding":[1,null]}]})", 1, 2,
       "data[0] component 1 is not a number"},
      {R"({"data":[{"index":0,"embedding":[1,"2"]}]})", 1, 2,
       "data[0] component 1 is not a number"},
      {R"({"data":[{"index":0,"embedding":[1e39,2]}]})", 1, 2, "data[0] component 0 is not finite"},
      {R"({"data":[{"index":0,"embedding":[NaN,2]}]})", 1, 2, "malformed json"},
      {R"({"data":[{"index":0,"embedding":[]}]})", 1, 0, "data[0] has an empty or oversized"},
      {R"({"data":[{"index":0,"embedding":[1,2]},{"index":1,"embedding":[1]}]})", 2, 0,
       "data[1] has 1 dimensions, expected 2"},
  };
  for (const BadCase& c : cases) {
    std::vector<float> out;
    Result<uint32_t> dim = DecodeEmbeddingResponse(c.body, c.count, c.dim, &out);
    ASSERT_FALSE(dim.ok()) << c.body;
    EXPECT_TRUE(dim.status().IsUnavailable()) << c.body;
    EXPECT_THAT(std::string(dim.status().message()),
                HasSubstr(std::string("invalid response: ") + c.problem))
        << c.body;
  }
}

TEST(EmbeddingResponseTest, ExtractsTheServersReason) {
  EXPECT_EQ(ServerErrorMessage(R"({"error":{"message":"too long","type":"x"}})"), "too long");
  EXPECT_EQ(ServerErrorMessage(R"({"error":"model not found"})"), "model not found");
  EXPECT_EQ(ServerErrorMessage(R"({"message":"bad"})"), "bad");
  EXPECT_EQ(ServerErrorMessage("plain\ntext\x01 here \xff!"), "plain text here !");
  EXPECT_EQ(ServerErrorMessage(""), "");
  const std::string longer(1000, 'x');
  EXPECT_EQ(ServerErrorMessage(longer), std::string(300, 'x') + "...");
}

}  // namespace
}  // namespace roxi::embedders
