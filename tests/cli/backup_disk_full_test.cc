// A backup folder without room: the disk budget refuses up front; a disk that fills anyway (a
// real full tmpfs, or an injected write error) fails the backup cleanly. Either way: a clear error
// (exit 4), no archive and no temporary file left, the store untouched.
#include <sys/mount.h>
#include <unistd.h>

#include <filesystem>

#include "tests/cli/backup_cli_fixture.h"

namespace roxi::testing {
namespace {

namespace fs = std::filesystem;

class BackupDiskFullTest : public BackupCliTest {
 protected:
  void SetUp() override {
    AddDocuments("a", 0, 100, 6);
    documents_ = Status()["documents"];
  }
  void TearDown() override {
    if (mounted_) umount2(Small().c_str(), MNT_DETACH);
  }
  std::string Small() const { return dir_.Sub("small"); }
  // A 512 KiB tmpfs at Small(); false when this machine does not let the test mount one.
  bool MountSmallFileSystem() {
    fs::create_directories(Small());
    if (geteuid() != 0) return false;
    mounted_ = mount("tmpfs", Small().c_str(), "tmpfs", 0, "size=512k") == 0;
    return mounted_;
  }
  void ExpectNoArchiveAndStoreUntouched(const std::string& folder) {
    for (const auto& e : fs::directory_iterator(folder)) {
      const std::string name = e.path().filename();
      EXPECT_TRUE(name == "roxi-catalog.lock") << "left in the folder: " << name;
    }
    EXPECT_FALSE(fs::exists(data_dir() + "/.backup-staging"));
    auto [code, doc] = VerifyStore(data_dir());
    EXPECT_EQ(code, 0) << doc.dump(2);
    EXPECT_EQ(doc["store"]["documents"], documents_);
  }
  bool mounted_ = false;
  int documents_ = 0;
};

TEST_F(BackupDiskFullTest, BudgetRefusesAFolderWithoutRoomUpFront) {
  if (!MountSmallFileSystem()) GTEST_SKIP() << "cannot mount a tmpfs here (needs root)";
  RunResult r = Roxi("backup", {"--to", Small()});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_NE(r.err.find("not enough space: the archive needs about"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("is free"), std::string::npos) << r.err;
  ExpectNoArchiveAndStoreUntouched(Small());
}

TEST_F(BackupDiskFullTest, FullFileSystemFailsTheBackupCleanly) {
  if (!MountSmallFileSystem()) GTEST_SKIP() << "cannot mount a tmpfs here (needs root)";
  RunOptions no_budget;
  no_budget.env["ROXI_TEST_BACKUP_SKIP_SPACE_CHECK"] = "1";
  RunResult r = Roxi("backup", {"--to", Small()}, no_budget);
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_NE(r.err.find("disk full"), std::string::npos) << r.err;
  ExpectNoArchiveAndStoreUntouched(Small());
}

TEST_F(BackupDiskFullTest, InjectedWriteErrorFailsTheBackupCleanly) {
  RunOptions full;
  full.env["ROXI_TEST_BACKUP_WRITE_LIMIT"] = "65536";
  RunResult r = Roxi("backup", {}, full);
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_NE(r.err.find("disk full"), std::string::npos) << r.err;
  ExpectNoArchiveAndStoreUntouched(Backups());
  EXPECT_FALSE(Backup().empty());  // with room again, the next backup works
}

}  // namespace
}  // namespace roxi::testing
