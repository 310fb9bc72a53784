#include "src/server/ingest_roots.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/support/temp_dir.h"

namespace roxi::server {
namespace {

namespace fs = std::filesystem;

class IngestRootsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(dir_.Sub("root/sub"));
    fs::create_directories(dir_.Sub("outside"));
    fs::create_directories(dir_.Sub("rootsibling"));
    Write("root/a.txt");
    Write("root/sub/b.txt");
    Write("outside/secret.txt");
    Write("rootsibling/c.txt");
    auto roots = ResolveIngestRoots({dir_.Sub("root")}, "--ingest-root");
    ASSERT_TRUE(roots.ok()) << roots.status().ToString();
    roots_ = *roots;
  }
  void Write(const std::string& name) { std::ofstream(dir_.Sub(name)) << "text\n"; }

  roxi::testing::TempDir dir_;
  std::vector<std::string> roots_;
};

TEST_F(IngestRootsTest, FilesAndFoldersUnderARootAreAllowed) {
  EXPECT_TRUE(CheckIngestPaths(roots_, {dir_.Sub("root/a.txt")}).ok());
  EXPECT_TRUE(CheckIngestPaths(roots_, {dir_.Sub("root")}).ok());
  EXPECT_TRUE(CheckIngestPaths(roots_, {dir_.Sub("root/sub")}).ok());
  EXPECT_TRUE(CheckIngestPaths(roots_, {dir_.Sub("root/sub/../a.txt")}).ok());
  // A file that does not exist yet is the ingest's to report.
  EXPECT_TRUE(CheckIngestPaths(roots_, {dir_.Sub("root/missing.txt")}).ok());
}

TEST_F(IngestRootsTest, PathsOutsideEveryRootAreRefused) {
  for (const std::string& path :
       {std::string("/etc/passwd"), dir_.Sub("outside/secret.txt"), dir_.Sub("root/../outside"),
        dir_.Sub("root/sub/../../outside/secret.txt"), dir_.Sub("rootsibling/c.txt"),
        dir_.path().string(), std::string("/")}) {
    Status s = CheckIngestPaths(roots_, {dir_.Sub("root/a.txt"), path});
    EXPECT_TRUE(s.IsInvalidArgument()) << path;
    EXPECT_NE(s.ToString().find("outside the ingest roots"), std::string::npos) << s.ToString();
  }
}

TEST_F(IngestRootsTest, RelativePathsAreRefused) {
  EXPECT_TRUE(CheckIngestPaths(roots_, {"root/a.txt"}).IsInvalidArgument());
  EXPECT_TRUE(CheckIngestPaths(roots_, {""}).IsInvalidArgument());
}

TEST_F(IngestRootsTest, SymlinksLeadingOutAreRefusedNamedOrInsideAFolder) {
  fs::create_symlink(dir_.Sub("outside/secret.txt"), dir_.Sub("root/sub/link.txt"));
  EXPECT_TRUE(CheckIngestPaths(roots_, {dir_.Sub("root/sub/link.txt")}).IsInvalidArgument());
  Status folder = CheckIngestPaths(roots_, {dir_.Sub("root")});
  EXPECT_TRUE(folder.IsInvalidArgument());
  EXPECT_NE(folder.ToString().find("link.txt"), std::string::npos) << folder.ToString();
  fs::create_symlink(dir_.Sub("outside"), dir_.Sub("dirlink"));
  EXPECT_TRUE(CheckIngestPaths(roots_, {dir_.Sub("dirlink/secret.txt")}).IsInvalidArgument());
}

TEST_F(IngestRootsTest, SymlinksStayingInsideAreAllowed) {
  fs::create_symlink(dir_.Sub("root/a.txt"), dir_.Sub("root/sub/alias.txt"));
  EXPECT_TRUE(CheckIngestPaths(roots_, {dir_.Sub("root")}).ok());
  EXPECT_TRUE(CheckIngestPaths(roots_, {dir_.Sub("root/sub/alias.txt")}).ok());
}

TEST_F(IngestRootsTest, ARootReachedThroughASymlinkIsResolved) {
  fs::create_symlink(dir_.Sub("root"), dir_.Sub("rootlink"));
  auto roots = ResolveIngestRoots({dir_.Sub("rootlink")}, "--ingest-root");
  ASSERT_TRUE(roots.ok());
  EXPECT_TRUE(CheckIngestPaths(*roots, {dir_.Sub("root/a.txt")}).ok());
  EXPECT_TRUE(CheckIngestPaths(*roots, {dir_.Sub("rootlink/a.txt")}).ok());
}

TEST_F(IngestRootsTest, WithoutRootsNoPathIsAllowed) {
  Status s = CheckIngestPaths({}, {dir_.Sub("root/a.txt")});
  EXPECT_TRUE(s.IsInvalidArgument());
  EXPECT_NE(s.ToString().find("--ingest-root"), std::string::npos);
  EXPECT_TRUE(CheckIngestPaths({}, {}).ok());
}

TEST_F(IngestRootsTest, MissingRootsAreRefusedAtStart) {
  auto roots = ResolveIngestRoots({dir_.Sub("nope")}, "--ingest-root");
  EXPECT_TRUE(roots.status().IsNotFound());
  EXPECT_NE(roots.status().ToString().find("--ingest-root"), std::string::npos);
  EXPECT_TRUE(ResolveIngestRoots({dir_.Sub("root/a.txt")}, "--ingest-root").status().IsNotFound());
}

}  // namespace
}  // namespace roxi::server
