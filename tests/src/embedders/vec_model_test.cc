#include "src/embedders/vec_model.h"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <random>
#include <set>
#include <string>

#include "format/static_model_cache.h"
#include "tests/support/temp_dir.h"

namespace roxi::embedders {
namespace {

using ::testing::HasSubstr;

constexpr uint32_t kDim = 8;

// A row of multiples of 1/8 in [-2, 2): exact in binary16, so the cache holds them unchanged.
std::vector<float> Row(std::mt19937* rng) {
  std::vector<float> row(kDim);
  for (float& v : row) v = static_cast<float>(static_cast<int>((*rng)() % 32) - 16) / 8.0f;
  return row;
}

std::string Line(const std::string& word, const std::vector<float>& row) {
  std::string line = word;
  for (float v : row) line += " " + std::to_string(v);
  return line + "\n";
}

class VecModelTest : public ::testing::Test {
 protected:
  // Writes the model: its words in order, each with a row from a fixed seed; remembers the rows.
  std::string WriteModel(const std::vector<std::string>& words, uint32_t seed = 1) {
    std::mt19937 rng(seed);
    std::string text = std::to_string(words.size()) + " " + std::to_string(kDim) + "\n";
    rows_.clear();
    for (const std::string& w : words) {
      rows_.push_back(Row(&rng));
      text += Line(w, rows_.back());
    }
    testing::WriteFile(path(), text);
    return text;
  }
  std::string path() const { return dir_.Sub("m.vec"); }
  std::unique_ptr<VecModel> Open(VecModelOpenReport* report) {
    Result<std::unique_ptr<VecModel>> model = VecModel::Open(path(), report);
    EXPECT_TRUE(model.ok()) << model.status().ToString();
    return model.ok() ? std::move(model).value() : nullptr;
  }
  std::vector<float> VectorOf(const VecModel& m, uint64_t rank) {
    std::vector<float> acc(kDim, 0.0f);
    m.AddWordVector(rank, 1.0f, acc.data());
    return acc;
  }
  void SetMtime(const std::string& p, int64_t seconds) {
    const timespec times[2] = {{seconds, 0}, {seconds, 0}};
    ASSERT_EQ(::utimensat(AT_FDCWD, p.c_str(), times, 0), 0);
  }

  testing::TempDir dir_;
  std::vector<std::vector<float>> rows_;
};

TEST_F(VecModelTest, KeepsSingleTokenWordsFoldedFirstOccurrenceFirst) {
  WriteModel({"the", "The", "River", ",", "New_York", "stone", "\xc3\x89mile", "river"});
  VecModelOpenReport report;
  auto model = Open(&report);
  ASSERT_NE(model, nullptr);
  EXPECT_TRUE(report.built);
  EXPECT_EQ(report.reason, "missing");
  EXPECT_EQ(model->dim(), kDim);
  EXPECT_EQ(model->word_count(), 4u);
  EXPECT_EQ(model->Find("the"), 0u);
  EXPECT_EQ(model->Find("river"), 1u);
  EXPECT_EQ(model->Find("stone"), 2u);
  EXPECT_EQ(model->Find("\xc3\xa9mile"), 3u);
  EXPECT_FALSE(model->Find("The").has_value());
  EXPECT_FALSE(model->Find(",").has_value());
  EXPECT_EQ(VectorOf(*model, 0), rows_[0]);  // "the", not "The"
  EXPECT_EQ(VectorOf(*model, 1), rows_[2]);  // "River", the first to fold to "river"
  EXPECT_EQ(VectorOf(*model, 3), rows_[6]);
}

TEST_F(VecModelTest, TheCacheIsCanonicalAndRecordsItsSource) {
  const std::string text = WriteModel({"alpha", "beta", "gamma"});
  ASSERT_NE(Open(nullptr), nullptr);
  const std::string bytes = testing::ReadFile(VecModelCachePath(path()));
  Result<format::StaticModelCacheView> view = format::DecodeStaticModelCache(bytes);
  ASSERT_TRUE(view.ok()) << view.status().ToString();
  EXPECT_EQ(view->header.source_size, text.size());
  EXPECT_EQ(view->header.builder, VecModelBuilderFingerprint());
  EXPECT_EQ(view->header.bucket_count, FinalBucketCount(kDim, 3));
  EXPECT_EQ(view->header.bucket_count, 256u);
  EXPECT_EQ(view->header.min_n, kVecNgramMin);
  std::string again;
  format::EncodeStaticModelCache(format::CopyStaticModelCache(*view), &again);
  EXPECT_EQ(again, bytes);
  // Nothing but the model and its cache: the temporary file was renamed.
  size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir_.path())) {
    (void)e;
    ++files;
  }
  EXPECT_EQ(files, 2u);
}

TEST_F(VecModelTest, ReusesAnUpToDateCache) {
  WriteModel({"alpha", "beta"});
  ASSERT_NE(Open(nullptr), nullptr);
  VecModelOpenReport report;
  ASSERT_NE(Open(&report), nullptr);
  EXPECT_FALSE(report.built);
  EXPECT_FALSE(report.rehashed);
}

TEST_F(VecModelTest, AModelFileOnlyTouchedKeepsItsCache) {
  WriteModel({"alpha", "beta"});
  SetMtime(path(), 1000000000);
  ASSERT_NE(Open(nullptr), nullptr);
  SetMtime(path(), 1000000500);
  VecModelOpenReport report;
  ASSERT_NE(Open(&report), nullptr);
  EXPECT_TRUE(report.rehashed);
  EXPECT_FALSE(report.built);
}

TEST_F(VecModelTest, AChangedModelFileRebuildsTheCache) {
  WriteModel({"alpha", "beta"}, 1);
  SetMtime(path(), 1000000000);
  auto first = Open(nullptr);
  ASSERT_NE(first, nullptr);
  const uint64_t old_hash = first->source_hash();
  WriteModel({"alpha", "beta"}, 2);  // same words, other vectors
  SetMtime(path(), 1000000500);      // the file system's clock may not have moved on
  VecModelOpenReport report;
  auto second = Open(&report);
  ASSERT_NE(second, nullptr);
  EXPECT_TRUE(report.built);
  EXPECT_EQ(report.reason, "model file changed");
  EXPECT_NE(second->source_hash(), old_hash);
  EXPECT_EQ(VectorOf(*second, 0), rows_[0]);
}

TEST_F(VecModelTest, ADamagedCacheIsRebuilt) {
  WriteModel({"alpha", "beta"});
  ASSERT_NE(Open(nullptr), nullptr);
  std::string bytes = testing::ReadFile(VecModelCachePath(path()));
  bytes[100] ^= 0x40;
  testing::WriteFile(VecModelCachePath(path()), bytes);
  VecModelOpenReport report;
  auto model = Open(&report);
  ASSERT_NE(model, nullptr);
  EXPECT_TRUE(report.built);
  EXPECT_THAT(report.reason, HasSubstr("checksum mismatch"));
  EXPECT_EQ(VectorOf(*model, 1), rows_[1]);

  testing::WriteFile(VecModelCachePath(path()), "short");
  ASSERT_NE(Open(&report), nullptr);
  EXPECT_TRUE(report.built);
  EXPECT_THAT(report.reason, HasSubstr("too short"));
}

TEST_F(VecModelTest, UnknownWordsUseTheirNgramNeighbours) {
  WriteModel({"river", "stone", "garden", "lantern", "copper", "meadow", "harbor", "signal"});
  auto model = Open(nullptr);
  ASSERT_NE(model, nullptr);
  std::vector<float> rivers(kDim, 0.0f);
  ASSERT_TRUE(model->AddSubwordVector("rivers", 1.0f, rivers.data()));
  const auto cosine = [](const std::vector<float>& a, const std::vector<float>& b) {
    double ab = 0, aa = 0, bb = 0;
    for (uint32_t d = 0; d < kDim; ++d) {
      ab += a[d] * b[d];
      aa += a[d] * a[d];
      bb += b[d] * b[d];
    }
    return ab / std::sqrt(aa * bb);
  };
  const double to_river = cosine(rivers, VectorOf(*model, 0));
  EXPECT_GT(to_river, 0.5);
  for (uint64_t r = 1; r < model->word_count(); ++r) {
    EXPECT_GT(to_river, cosine(rivers, VectorOf(*model, r))) << r;
  }
  // A word none of whose n-grams shares a bucket with a model word's gets nothing.
  const uint64_t buckets = FinalBucketCount(kDim, model->word_count());
  std::set<uint64_t> used;
  for (const char* w :
       {"river", "stone", "garden", "lantern", "copper", "meadow", "harbor", "signal"}) {
    std::vector<uint64_t> b;
    NgramBuckets(w, buckets, &b);
    used.insert(b.begin(), b.end());
  }
  std::string lonely;
  for (int i = 0; lonely.empty(); ++i) {
    std::vector<uint64_t> b;
    const std::string candidate = "q" + std::to_string(i);
    NgramBuckets(candidate, buckets, &b);
    if (std::none_of(b.begin(), b.end(), [&used](uint64_t x) { return used.count(x) > 0; })) {
      lonely = candidate;
    }
  }
  std::vector<float> none(kDim, 0.0f);
  EXPECT_FALSE(model->AddSubwordVector(lonely, 1.0f, none.data())) << lonely;
  EXPECT_EQ(none, std::vector<float>(kDim, 0.0f));
}

TEST_F(VecModelTest, AModelWithoutUsableWordsIsRejected) {
  WriteModel({",", ".", "New_York"});
  Result<std::unique_ptr<VecModel>> model = VecModel::Open(path());
  ASSERT_FALSE(model.ok());
  EXPECT_TRUE(model.status().IsInvalidArgument());
  EXPECT_THAT(model.status().ToString(), HasSubstr("no usable word"));
  EXPECT_FALSE(std::filesystem::exists(VecModelCachePath(path())));
}

TEST_F(VecModelTest, ACacheThatCannotBeWrittenIsAnIoErrorNamingIt) {
  WriteModel({"alpha"});
  // A directory where the temporary cache file must go: the build cannot create it (unlike a
  // read-only folder, this stops root too).
  const std::string tmp = VecModelCachePath(path()) + ".tmp." + std::to_string(::getpid());
  testing::WriteFile(tmp + "/blocker", "x");
  Result<std::unique_ptr<VecModel>> model = VecModel::Open(path());
  ASSERT_FALSE(model.ok());
  EXPECT_TRUE(model.status().IsIOError()) << model.status().ToString();
  EXPECT_THAT(model.status().ToString(), HasSubstr("m.vec.roxi-cache.tmp."));
  EXPECT_FALSE(std::filesystem::exists(VecModelCachePath(path())));
}

TEST_F(VecModelTest, BucketCountsFollowTheRule) {
  EXPECT_EQ(VecBucketCount(8), 65536u);
  EXPECT_EQ(VecBucketCount(300), 32768u);
  EXPECT_EQ(VecBucketCount(1024), 16384u);
  EXPECT_EQ(VecBucketCount(16384), 1024u);
  EXPECT_EQ(FinalBucketCount(8, 1), 256u);
  EXPECT_EQ(FinalBucketCount(8, 1000), 4096u);
  EXPECT_EQ(FinalBucketCount(300, 1000000), 32768u);
}

}  // namespace
}  // namespace roxi::embedders
