#include "src/embedders/embedder_factory.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "tests/support/fake_embedding_server.h"
#include "tests/support/scoped_env.h"
#include "tests/support/temp_dir.h"

namespace roxi::embedders {
namespace {

using ::testing::HasSubstr;

EmbedderOptions Spec(std::string spec, uint32_t dim = 384) {
  EmbedderOptions options;
  options.spec = std::move(spec);
  options.dim = dim;
  return options;
}

TEST(EmbedderFactoryTest, CreatesTheBuiltinEmbedderByDefault) {
  Result<std::unique_ptr<Embedder>> embedder = CreateEmbedder(EmbedderOptions{});
  ASSERT_TRUE(embedder.ok()) << embedder.status().ToString();
  EXPECT_EQ((*embedder)->info().dim, 384u);
  EXPECT_EQ((*embedder)->info().id.rfind("builtin:hash-v2:384:", 0), 0u) << (*embedder)->info().id;
}

TEST(EmbedderFactoryTest, HonoursTheDimension) {
  for (uint32_t dim : {8u, 64u, 1000u, 4096u}) {
    Result<std::unique_ptr<Embedder>> embedder = CreateEmbedder(Spec("builtin", dim));
    ASSERT_TRUE(embedder.ok()) << embedder.status().ToString();
    EXPECT_EQ((*embedder)->info().dim, dim);
    std::vector<float> out(dim);
    std::vector<Status> status;
    const std::string_view texts[] = {"a short text"};
    EXPECT_TRUE((*embedder)->Embed(texts, out, &status).ok());
  }
}

TEST(EmbedderFactoryTest, RejectsAnUnknownSpecListingTheKnownKinds) {
  const std::pair<std::string, std::string> cases[] = {
      {"", ""},
      {"Builtin", "Builtin"},
      {"builtin:256", "builtin"},
      {" builtin", " builtin"},
      {"OpenAI:http://localhost:8080", "OpenAI"},
      {"hf:https://user:secret@example.com/", "hf"},
  };
  for (const auto& [spec, shown] : cases) {
    Result<std::unique_ptr<Embedder>> embedder = CreateEmbedder(Spec(spec));
    ASSERT_FALSE(embedder.ok()) << spec;
    EXPECT_TRUE(embedder.status().IsInvalidArgument());
    EXPECT_EQ(embedder.status().message(),
              "embedder spec: \"" + shown +
                  "\" is not known (known kinds: builtin, static:PATH, openai:URL)");
  }
}

TEST(EmbedderFactoryTest, RejectsADimensionOutOfRange) {
  for (uint32_t dim : {0u, 7u, 4097u, 1u << 31}) {
    Result<std::unique_ptr<Embedder>> embedder = CreateEmbedder(Spec("builtin", dim));
    ASSERT_FALSE(embedder.ok()) << dim;
    EXPECT_TRUE(embedder.status().IsInvalidArgument());
    EXPECT_EQ(embedder.status().message(),
              "embedder dim: " + std::to_string(dim) + " is outside 8..4096 for builtin");
  }
}

TEST(EmbedderFactoryTest, CreatesAnOpenAiEmbedderFromTheSpecsUrl) {
  testing::ScopedEnv no_proxy("no_proxy", "127.0.0.1,localhost");
  testing::FakeEmbeddingServer server;
  EmbedderOptions options = Spec("openai:" + server.BaseUrl());
  options.openai.model = "m";
  options.openai.url = "http://ignored.example/v1";
  Result<std::unique_ptr<Embedder>> embedder = CreateEmbedder(options);
  ASSERT_TRUE(embedder.ok()) << embedder.status().ToString();
  EXPECT_EQ((*embedder)->info().dim, 16u);  // learnt from the server
  EXPECT_THAT((*embedder)->info().id, ::testing::StartsWith("openai:m:16:"));
  EXPECT_EQ(server.Requests().size(), 1u);
}

TEST(EmbedderFactoryTest, OpenAiNeedsAModelAndAnHttpUrl) {
  Result<std::unique_ptr<Embedder>> embedder = CreateEmbedder(Spec("openai:http://127.0.0.1:1/v1"));
  ASSERT_FALSE(embedder.ok());
  EXPECT_EQ(embedder.status().ToString(),
            "invalid argument: --model: required for openai embedders");
  EmbedderOptions options = Spec("openai:127.0.0.1:8080");
  options.openai.model = "m";
  embedder = CreateEmbedder(options);
  ASSERT_FALSE(embedder.ok());
  EXPECT_THAT(embedder.status().ToString(), HasSubstr("want an http:// or https:// URL"));
}

TEST(EmbedderFactoryTest, CreatesAStaticEmbedderFromTheSpecsPath) {
  testing::TempDir dir;
  testing::WriteFile(dir.Sub("m.vec"), "2 3\nalpha 1 0 0\nbeta 0 1 0\n");
  EmbedderOptions options = Spec("static:" + dir.Sub("m.vec"));
  options.pooling = Pooling::kMean;
  Result<std::unique_ptr<Embedder>> embedder = CreateEmbedder(options);
  ASSERT_TRUE(embedder.ok()) << embedder.status().ToString();
  EXPECT_EQ((*embedder)->info().dim, 3u);
  EXPECT_THAT((*embedder)->info().id, ::testing::MatchesRegex("static:[0-9a-f]{16}:mean:3:.*"));
  embedder = CreateEmbedder(Spec("static:"));
  EXPECT_TRUE(embedder.status().IsInvalidArgument()) << embedder.status().ToString();
}

}  // namespace
}  // namespace roxi::embedders
