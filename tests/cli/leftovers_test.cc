// End to end: what a killed backup (.backup-staging/ in the data directory, hard links keeping
// deleted SST files on disk) or a restore (an empty D.restore-lock beside it) leaves behind is
// removed at the next start, and a restore that completes leaves no lock file. Regression test for
// both staying until the next backup, or for ever.
#include <filesystem>

#include "tests/cli/serve_fixture.h"

namespace roxi::testing {
namespace {

namespace fs = std::filesystem;

class LeftoversTest : public ServeTest {
 protected:
  std::string Staging() const { return data_dir() + "/.backup-staging"; }
  std::string RestoreLock() const { return data_dir() + ".restore-lock"; }

  void LeaveLeftovers() {
    WriteFile(Staging() + "/db/000009.sst", "a hard link a killed backup left");
    WriteFile(RestoreLock(), "");
    ASSERT_TRUE(fs::exists(Staging()));
    ASSERT_TRUE(fs::exists(RestoreLock()));
  }
};

TEST_F(LeftoversTest, TheNextServeStartRemovesThem) {
  WriteDocuments("a", 0, 3, 2);
  ASSERT_EQ(Roxi("ingest", {docs_dir() + "/a"}).exit_code, 0);
  LeaveLeftovers();
  auto server = StartServe();
  EXPECT_FALSE(fs::exists(Staging()));
  EXPECT_FALSE(fs::exists(RestoreLock()));
  EXPECT_EQ(StopServe(&server), 0);
}

TEST_F(LeftoversTest, AnyCommandThatWritesTheStoreRemovesThem) {
  WriteDocuments("a", 0, 3, 2);
  ASSERT_EQ(Roxi("ingest", {docs_dir() + "/a"}).exit_code, 0);
  LeaveLeftovers();
  // Readers leave them alone (a backup or restore of another process may own them)...
  EXPECT_EQ(Roxi("status").exit_code, 0);
  EXPECT_TRUE(fs::exists(Staging()));
  // ...a writer, which holds the store, removes them.
  ASSERT_EQ(Roxi("process", {"--quiet"}).exit_code, 0);
  EXPECT_FALSE(fs::exists(Staging()));
  EXPECT_FALSE(fs::exists(RestoreLock()));
}

TEST_F(LeftoversTest, ARestoreLeavesNoLockFile) {
  WriteDocuments("a", 0, 3, 2);
  ASSERT_EQ(Roxi("ingest", {docs_dir() + "/a"}).exit_code, 0);
  ASSERT_EQ(Roxi("process", {"--quiet"}).exit_code, 0);
  const std::string archive = RoxiJson("backup")["path"].get<std::string>();
  EXPECT_FALSE(fs::exists(Staging()));
  RunResult restore = Roxi("restore", {archive, "--force", "--discard-old"});
  ASSERT_EQ(restore.exit_code, 0) << restore.err;
  EXPECT_FALSE(fs::exists(RestoreLock()));
  EXPECT_EQ(Status()["documents"], 3);
}

}  // namespace
}  // namespace roxi::testing
