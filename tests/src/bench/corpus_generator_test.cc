#include "src/bench/corpus_generator.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "tests/support/temp_dir.h"

namespace roxi::bench {
namespace {

TEST(CorpusGeneratorTest, WritesAtLeastTheChunksAskedForAndTheSameBytesEachTime) {
  roxi::testing::TempDir a, b;
  auto first = GenerateCorpus(a.path().string(), 150, text::ChunkerOptions{}, 7);
  auto second = GenerateCorpus(b.path().string(), 150, text::ChunkerOptions{}, 7);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_TRUE(second.ok());
  EXPECT_GE(first->chunks, 150u);
  EXPECT_LT(first->chunks, 150u + 40);  // one file's worth at most beyond it
  EXPECT_EQ(first->files, second->files);
  EXPECT_EQ(first->bytes, second->bytes);
  EXPECT_EQ(roxi::testing::ReadFile(a.path() / "doc-00000.md"),
            roxi::testing::ReadFile(b.path() / "doc-00000.md"));
  size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(a.path())) files += e.is_regular_file();
  EXPECT_EQ(files, first->files);
}

TEST(CorpusGeneratorTest, RefusesNothingAndAMissingFolder) {
  roxi::testing::TempDir a;
  EXPECT_TRUE(GenerateCorpus(a.path().string(), 0, {}, 1).status().IsInvalidArgument());
  EXPECT_TRUE(GenerateCorpus(a.Sub("missing"), 10, {}, 1).status().IsIOError());
}

}  // namespace
}  // namespace roxi::bench
