#include "src/embedders/vec_model_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "format/hash.h"
#include "tests/support/temp_dir.h"

namespace roxi::embedders {
namespace {

using ::testing::HasSubstr;

class VecModelReaderTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& contents) {
    const std::string path = dir_.Sub("m.vec");
    testing::WriteFile(path, contents);
    return path;
  }
  // Reads every word; returns the reader's final status.
  Status ReadAll(const std::string& contents, std::vector<std::string>* words = nullptr,
                 std::vector<std::vector<float>>* rows = nullptr) {
    Result<std::unique_ptr<VecModelReader>> reader = VecModelReader::Open(Write(contents));
    if (!reader.ok()) return reader.status();
    std::string_view word;
    std::vector<float> row;
    for (;;) {
      Result<bool> more = (*reader)->Next(&word, &row);
      if (!more.ok()) return more.status();
      if (!*more) break;
      if (words) words->emplace_back(word);
      if (rows) rows->push_back(row);
    }
    return Status::OK();
  }
  testing::TempDir dir_;
};

TEST_F(VecModelReaderTest, ReadsFastTextWithHeaderTrailingSpacesAndCrLf) {
  std::vector<std::string> words;
  std::vector<std::vector<float>> rows;
  ASSERT_TRUE(
      ReadAll("3 2\nthe 0.5 -1 \nCat 2e-1 3\r\n\xc3\xa9t\xc3\xa9\t1\t2", &words, &rows).ok());
  EXPECT_EQ(words, std::vector<std::string>({"the", "Cat", "\xc3\xa9t\xc3\xa9"}));
  EXPECT_EQ(rows, (std::vector<std::vector<float>>{{0.5f, -1.0f}, {0.2f, 3.0f}, {1.0f, 2.0f}}));
}

TEST_F(VecModelReaderTest, ReadsAHeaderlessFileTakingTheDimensionFromLineOne) {
  std::vector<std::string> words;
  std::vector<std::vector<float>> rows;
  const std::string path = Write("a 1 2 3\nb 4 5 6\n");
  Result<std::unique_ptr<VecModelReader>> reader = VecModelReader::Open(path);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_EQ((*reader)->dim(), 3u);
  EXPECT_FALSE((*reader)->declared_count().has_value());
  ASSERT_TRUE(ReadAll("a 1 2 3\nb 4 5 6\n", &words, &rows).ok());
  EXPECT_EQ(words, std::vector<std::string>({"a", "b"}));
  EXPECT_EQ(rows[1], std::vector<float>({4, 5, 6}));
}

TEST_F(VecModelReaderTest, HashIsTheFilesXxh3) {
  const std::string contents = "2 1\nx 1\ny 2\n";
  Result<std::unique_ptr<VecModelReader>> reader = VecModelReader::Open(Write(contents));
  ASSERT_TRUE(reader.ok());
  std::string_view word;
  std::vector<float> row;
  while (*(*reader)->Next(&word, &row)) {
  }
  EXPECT_EQ((*reader)->Hash(), format::Xxh3(contents));
  EXPECT_EQ((*reader)->words_read(), 2u);
}

TEST_F(VecModelReaderTest, RejectsMalformedLinesNamingFileAndLine) {
  struct Case {
    const char* contents;
    const char* problem;
  };
  const Case cases[] = {
      {"", "m.vec: empty file, not a .vec model"},
      {"hello\n", "line 1: neither a \"count dim\" header"},
      {"1 0\n", "line 1: dimension 0 is outside 1..16384"},
      {"1 20000\n", "line 1: dimension 20000 is outside"},
      {"2 2\na 1 2\nb 1\n", "line 3: has 1 numbers, expected 2"},
      {"2 2\na 1 2\nb 1 2 3\n", "line 3: has more than the 2 numbers expected"},
      {"1 2\na 1 x\n", "line 2: number 2 \"x\" is not a finite number"},
      {"1 2\na 1 nan\n", "line 2: number 2 \"nan\" is not a finite number"},
      {"1 2\na 1 70000\n", "line 2: number 2 \"70000\" is not a finite number within +-65504"},
      {"1 2\na 1 2.5.1\n", "line 2: number 2"},
      {"3 2\na 1 2\nb 1 2\n", "header says 3 words, the file has 2"},
      {"1 2\na 1 2\nb 1 2\n", "header says 1 words, the file has 2"},
  };
  for (const Case& c : cases) {
    const Status s = ReadAll(c.contents);
    ASSERT_FALSE(s.ok()) << c.contents;
    EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
    EXPECT_THAT(s.ToString(), HasSubstr(c.problem)) << c.contents;
    EXPECT_THAT(s.ToString(), HasSubstr(dir_.Sub("m.vec")));
  }
}

TEST_F(VecModelReaderTest, AMissingFileIsNotFound) {
  Result<std::unique_ptr<VecModelReader>> reader = VecModelReader::Open(dir_.Sub("none.vec"));
  ASSERT_FALSE(reader.ok());
  EXPECT_TRUE(reader.status().IsNotFound());
  EXPECT_THAT(reader.status().ToString(), HasSubstr("none.vec"));
}

TEST_F(VecModelReaderTest, ReadsLinesLongerThanTheBuffer) {
  // 16384 numbers of 8 characters: a line of about 150 KB, across buffer refills.
  std::string contents = "2 16384\n";
  for (const char* w : {"long", "other"}) {
    contents += w;
    for (int d = 0; d < 16384; ++d) contents += " 0.123456";
    contents += "\n";
  }
  std::vector<std::string> words;
  ASSERT_TRUE(ReadAll(contents, &words).ok());
  EXPECT_EQ(words, std::vector<std::string>({"long", "other"}));
}

}  // namespace
}  // namespace roxi::embedders
