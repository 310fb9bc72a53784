#include "src/embedders/static_embedder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>

#include "format/hash.h"
#include "tests/support/temp_dir.h"

namespace roxi::embedders {
namespace {

using ::testing::MatchesRegex;

constexpr uint32_t kDim = 4;

// Three words with vectors exact in binary16, most frequent first.
const char* kModel =
    "3 4\n"
    "the 1 0 0 0\n"
    "river 0 1 0.5 0\n"
    "stone 0 0 1 -2\n";

std::vector<float> Normalised(std::vector<double> v) {
  double sum = 0;
  for (double x : v) sum += x * x;
  std::vector<float> out;
  for (double x : v) out.push_back(static_cast<float>(x / std::sqrt(sum)));
  return out;
}

// SIF weight of rank r in a 3-word model.
double Sif(double rank) {
  const double harmonic = std::log(3.0) + 0.5772156649015329 + 1.0 / 6.0;
  const double p = 1.0 / ((rank + 1.0) * harmonic);
  return 1e-3 / (1e-3 + p);
}

class StaticEmbedderTest : public ::testing::Test {
 protected:
  std::string WriteModel(const std::string& text = kModel) {
    const std::string path = dir_.Sub("m.vec");
    testing::WriteFile(path, text);
    return path;
  }
  std::unique_ptr<StaticEmbedder> Make(Pooling pooling, const std::string& text = kModel) {
    StaticEmbedderOptions o;
    o.path = WriteModel(text);
    o.pooling = pooling;
    Result<std::unique_ptr<StaticEmbedder>> e = StaticEmbedder::Create(o);
    EXPECT_TRUE(e.ok()) << e.status().ToString();
    return e.ok() ? std::move(e).value() : nullptr;
  }
  std::vector<float> EmbedOne(Embedder* e, std::string_view text, Status* item = nullptr) {
    std::vector<float> out(kDim);
    std::vector<Status> status;
    const std::string_view texts[] = {text};
    EXPECT_TRUE(e->Embed(texts, out, &status).ok());
    if (item) *item = status[0];
    return out;
  }
  static void ExpectNear(const std::vector<float>& got, const std::vector<float>& want) {
    ASSERT_EQ(got.size(), want.size());
    for (size_t d = 0; d < got.size(); ++d) EXPECT_NEAR(got[d], want[d], 1e-6) << d;
  }
  testing::TempDir dir_;
};

TEST_F(StaticEmbedderTest, IdEncodesTheModelsHashAndThePooling) {
  auto sif = Make(Pooling::kSif);
  ASSERT_NE(sif, nullptr);
  char hash[17];
  std::snprintf(hash, sizeof hash, "%016llx",
                static_cast<unsigned long long>(format::Xxh3(kModel)));
  EXPECT_THAT(sif->info().id, MatchesRegex(std::string("static:") + hash + ":sif:4:[0-9a-f]{8}"));
  EXPECT_EQ(sif->info().dim, kDim);
  auto mean = Make(Pooling::kMean);
  ASSERT_NE(mean, nullptr);
  EXPECT_THAT(mean->info().id, MatchesRegex(std::string("static:") + hash + ":mean:4:[0-9a-f]{8}"));
  auto other = Make(Pooling::kSif, std::string(kModel) + "\n");  // other bytes, same words
  ASSERT_NE(other, nullptr);
  EXPECT_NE(other->info().id, sif->info().id);
}

TEST_F(StaticEmbedderTest, SifWeighsFrequentWordsLess) {
  auto e = Make(Pooling::kSif);
  ASSERT_NE(e, nullptr);
  const double w0 = Sif(0), w1 = Sif(1);
  EXPECT_LT(w0, w1);
  ExpectNear(EmbedOne(e.get(), "The river!"), Normalised({w0, w1, 0.5 * w1, 0}));
}

TEST_F(StaticEmbedderTest, MeanWeighsEveryWordOnceEachOccurrence) {
  auto e = Make(Pooling::kMean);
  ASSERT_NE(e, nullptr);
  ExpectNear(EmbedOne(e.get(), "the river"), Normalised({1, 1, 0.5, 0}));
  ExpectNear(EmbedOne(e.get(), "river river stone"), Normalised({0, 2, 2, -2}));
}

TEST_F(StaticEmbedderTest, UnknownWordsFallBackOnSubwordsOrAreSkipped) {
  auto e = Make(Pooling::kMean);
  ASSERT_NE(e, nullptr);
  // "stones" shares most n-grams with "stone" only.
  const std::vector<float> stones = EmbedOne(e.get(), "stones");
  const std::vector<float> stone = EmbedOne(e.get(), "stone");
  double dot = 0;
  for (uint32_t d = 0; d < kDim; ++d) dot += stones[d] * stone[d];
  EXPECT_GT(dot, 0.5);
  // No word at all, or punctuation only: the zero vector, and OK.
  Status item;
  EXPECT_EQ(EmbedOne(e.get(), "  ... !! ", &item), std::vector<float>(kDim, 0.0f));
  EXPECT_TRUE(item.ok());
}

TEST_F(StaticEmbedderTest, RejectsIllFormedUtf8PerItem) {
  auto e = Make(Pooling::kSif);
  ASSERT_NE(e, nullptr);
  std::vector<float> out(2 * kDim, 1.0f);
  std::vector<Status> status;
  const std::string_view texts[] = {"river", "bad \xff"};
  ASSERT_TRUE(e->Embed(texts, out, &status).ok());
  EXPECT_TRUE(status[0].ok());
  EXPECT_TRUE(status[1].IsInvalidArgument());
  for (uint32_t d = 0; d < kDim; ++d) EXPECT_EQ(out[kDim + d], 0.0f);
  EXPECT_TRUE(e->Embed(texts, std::span<float>(out).first(3), &status).IsInvalidArgument());
}

TEST_F(StaticEmbedderTest, AMissingModelIsNotFoundNamingIt) {
  StaticEmbedderOptions o;
  o.path = dir_.Sub("absent.vec");
  Result<std::unique_ptr<StaticEmbedder>> e = StaticEmbedder::Create(o);
  ASSERT_FALSE(e.ok());
  EXPECT_TRUE(e.status().IsNotFound());
  EXPECT_THAT(e.status().ToString(), ::testing::HasSubstr("absent.vec"));
}

TEST_F(StaticEmbedderTest, ParsesPoolingNames) {
  EXPECT_EQ(*ParsePooling("sif"), Pooling::kSif);
  EXPECT_EQ(*ParsePooling("mean"), Pooling::kMean);
  EXPECT_TRUE(ParsePooling("max").status().IsInvalidArgument());
}

}  // namespace
}  // namespace roxi::embedders
