// Tests of storage/archive_io.cc.
#include "storage/archive_io.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "tests/support/temp_dir.h"

namespace roxi::storage {
namespace {

using roxi::testing::ReadFile;
using roxi::testing::TempDir;
using roxi::testing::WriteFile;

TEST(ArchiveIoTest, RenameNoReplaceRefusesAnExistingTarget) {
  TempDir dir;
  WriteFile(dir.Sub("a"), "new");
  WriteFile(dir.Sub("b"), "old");
  Status s = RenameNoReplace(dir.Sub("a"), dir.Sub("b"));
  ASSERT_TRUE(s.IsIOError()) << s.ToString();
  EXPECT_NE(s.message().find("already exists"), std::string_view::npos);
  EXPECT_EQ(ReadFile(dir.Sub("b")), "old");
  ASSERT_TRUE(RenameNoReplace(dir.Sub("a"), dir.Sub("c")).ok());
  EXPECT_EQ(ReadFile(dir.Sub("c")), "new");
  EXPECT_FALSE(std::filesystem::exists(dir.Sub("a")));
}

TEST(ArchiveIoTest, WriteFileDurablyReplacesAndLeavesNoTemporary) {
  TempDir dir;
  ASSERT_TRUE(WriteFileDurably(dir.Sub("f"), "one").ok());
  ASSERT_TRUE(WriteFileDurably(dir.Sub("f"), "two").ok());
  EXPECT_EQ(ReadFile(dir.Sub("f")), "two");
  EXPECT_FALSE(std::filesystem::exists(dir.Sub("f.tmp")));
}

TEST(ArchiveIoTest, ReadSmallFileChecksItsLimit) {
  TempDir dir;
  WriteFile(dir.Sub("f"), "12345");
  EXPECT_EQ(*ReadSmallFile(dir.Sub("f"), 5), "12345");
  EXPECT_TRUE(ReadSmallFile(dir.Sub("f"), 4).status().IsCorruption());
  EXPECT_TRUE(ReadSmallFile(dir.Sub("absent"), 4).status().IsNotFound());
}

TEST(ArchiveIoTest, CreateExclusiveRefusesAnExistingFile) {
  TempDir dir;
  WriteFile(dir.Sub("f"), "x");
  auto f = File::CreateExclusive(dir.Sub("f"));
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.status().message().find(dir.Sub("f")), std::string_view::npos);
}

TEST(ArchiveIoTest, WriteLimitReadsAsDiskFull) {
  TempDir dir;
  auto f = File::CreateExclusive(dir.Sub("f"));
  ASSERT_TRUE(f.ok());
  f->set_write_limit_for_testing(10);
  ASSERT_TRUE(f->Append("12345").ok());
  Status s = f->Append("678901");
  ASSERT_TRUE(s.IsIOError());
  EXPECT_NE(s.message().find("disk full"), std::string_view::npos) << s.ToString();
}

TEST(ArchiveIoTest, ReadExactlyAtReportsTruncation) {
  TempDir dir;
  WriteFile(dir.Sub("f"), "abcdef");
  auto f = File::OpenForRead(dir.Sub("f"));
  ASSERT_TRUE(f.ok());
  std::string out;
  ASSERT_TRUE(f->ReadExactlyAt(2, 3, &out).ok());
  EXPECT_EQ(out, "cde");
  Status s = f->ReadExactlyAt(4, 3, &out);
  EXPECT_TRUE(s.IsCorruption());
  EXPECT_NE(s.message().find("truncated"), std::string_view::npos);
}

TEST(ArchiveIoTest, FileLockIsExclusive) {
  TempDir dir;
  auto first = FileLock::Acquire(dir.Sub("lock"), "thing", false);
  ASSERT_TRUE(first.ok());
  auto second = FileLock::Acquire(dir.Sub("lock"), "thing", false);
  ASSERT_TRUE(second.status().IsBusy()) << second.status().ToString();
  *first = FileLock();  // released
  EXPECT_TRUE(FileLock::Acquire(dir.Sub("lock"), "thing", false).ok());
}

TEST(ArchiveIoTest, FileLockHolderRemovesItsFile) {
  TempDir dir;
  auto first = FileLock::Acquire(dir.Sub("lock"), "thing", false);
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(first->RemoveAndRelease().ok());
  EXPECT_FALSE(std::filesystem::exists(dir.Sub("lock")));
  // The next holder locks a new file, and is exclusive again.
  auto second = FileLock::Acquire(dir.Sub("lock"), "thing", false);
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(std::filesystem::exists(dir.Sub("lock")));
  EXPECT_TRUE(FileLock::Acquire(dir.Sub("lock"), "thing", false).status().IsBusy());
}

TEST(ArchiveIoTest, ParentDirAndBaseName) {
  EXPECT_EQ(ParentDir("/a/b/c"), "/a/b");
  EXPECT_EQ(ParentDir("/a/b/c/"), "/a/b");
  EXPECT_EQ(ParentDir("c"), ".");
  EXPECT_EQ(BaseName("/a/b/c"), "c");
  EXPECT_EQ(BaseName("/a/b/c/"), "c");
  EXPECT_EQ(BaseName("c"), "c");
}

TEST(ArchiveIoTest, FreeBytesOfAnExistingDirectory) {
  TempDir dir;
  auto free = FreeBytes(dir.path().string());
  ASSERT_TRUE(free.ok()) << free.status().ToString();
  EXPECT_GT(*free, 0u);
  EXPECT_FALSE(FreeBytes(dir.Sub("absent")).ok());
}

}  // namespace
}  // namespace roxi::storage
