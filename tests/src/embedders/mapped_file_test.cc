#include "src/embedders/mapped_file.h"

#include <gtest/gtest.h>

#include "tests/support/temp_dir.h"

namespace roxi::embedders {
namespace {

TEST(MappedFileTest, MapsAFileAndOutlivesAMove) {
  testing::TempDir dir;
  testing::WriteFile(dir.Sub("f"), "hello, map");
  Result<MappedFile> file = MappedFile::Open(dir.Sub("f"));
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  MappedFile moved = std::move(file).value();
  EXPECT_EQ(moved.bytes(), "hello, map");
}

TEST(MappedFileTest, AnEmptyFileMapsToNothing) {
  testing::TempDir dir;
  testing::WriteFile(dir.Sub("empty"), "");
  Result<MappedFile> file = MappedFile::Open(dir.Sub("empty"));
  ASSERT_TRUE(file.ok());
  EXPECT_TRUE(file->bytes().empty());
}

TEST(MappedFileTest, AMissingFileIsNotFoundNamingIt) {
  testing::TempDir dir;
  Result<MappedFile> file = MappedFile::Open(dir.Sub("absent"));
  ASSERT_FALSE(file.ok());
  EXPECT_TRUE(file.status().IsNotFound());
  EXPECT_NE(file.status().ToString().find("absent"), std::string::npos);
}

}  // namespace
}  // namespace roxi::embedders
