#include "src/embedders/embedder_factory.h"

#include <gtest/gtest.h>

#include <string>

namespace roxi::embedders {
namespace {

TEST(EmbedderFactoryTest, CreatesTheBuiltinEmbedderByDefault) {
  Result<std::unique_ptr<Embedder>> embedder = CreateEmbedder(EmbedderOptions{});
  ASSERT_TRUE(embedder.ok()) << embedder.status().ToString();
  EXPECT_EQ((*embedder)->info().dim, 384u);
  EXPECT_EQ((*embedder)->info().id.rfind("builtin:hash-v1:384:", 0), 0u) << (*embedder)->info().id;
}

TEST(EmbedderFactoryTest, HonoursTheDimension) {
  for (uint32_t dim : {8u, 64u, 1000u, 4096u}) {
    Result<std::unique_ptr<Embedder>> embedder = CreateEmbedder({"builtin", dim});
    ASSERT_TRUE(embedder.ok()) << embedder.status().ToString();
    EXPECT_EQ((*embedder)->info().dim, dim);
    std::vector<float> out(dim);
    std::vector<Status> status;
    const std::string_view texts[] = {"a short text"};
    EXPECT_TRUE((*embedder)->Embed(texts, out, &status).ok());
  }
}

TEST(EmbedderFactoryTest, RejectsAnUnknownSpecListingTheKnownKinds) {
  for (const std::string spec : {"openai:http://localhost:8080", "static:/models/m.bin", "",
                                 "Builtin", "builtin:256", " builtin"}) {
    Result<std::unique_ptr<Embedder>> embedder = CreateEmbedder({spec, 384});
    ASSERT_FALSE(embedder.ok()) << spec;
    EXPECT_TRUE(embedder.status().IsInvalidArgument());
    EXPECT_EQ(embedder.status().message(),
              "embedder spec: \"" + spec + "\" is not known (known kinds: builtin)");
  }
}

TEST(EmbedderFactoryTest, RejectsADimensionOutOfRange) {
  for (uint32_t dim : {0u, 7u, 4097u, 1u << 31}) {
    Result<std::unique_ptr<Embedder>> embedder = CreateEmbedder({"builtin", dim});
    ASSERT_FALSE(embedder.ok()) << dim;
    EXPECT_TRUE(embedder.status().IsInvalidArgument());
    EXPECT_EQ(embedder.status().message(),
              "embedder dim: " + std::to_string(dim) + " is outside 8..4096 for builtin");
  }
}

}  // namespace
}  // namespace roxi::embedders
