// Tests of storage/restore_swap.cc: the swap, and its completion from every state a crash can
// leave, by the next Store::Open.
#include "storage/restore_swap.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "storage/store.h"
#include "tests/support/temp_dir.h"

namespace roxi::storage {
namespace {

namespace fs = std::filesystem;
using roxi::testing::ReadFile;
using roxi::testing::TempDir;
using roxi::testing::WriteFile;

class RestoreSwapTest : public ::testing::Test {
 protected:
  void SetUp() override {
    WriteFile(D() + "/marker", "old");
    WriteFile(dir_.Sub("d.restoring/marker"), "new");
  }
  std::string D() const { return dir_.Sub("d"); }
  format::RestoreJournal Journal(bool discard = false) const {
    format::RestoreJournal j;
    j.target = "d";
    j.previous = "d.before-restore-x";
    j.incoming = "d.restoring";
    j.discard_previous = discard;
    j.archive = "a.roxibak";
    return j;
  }
  void WriteJournal(const format::RestoreJournal& j) {
    std::string bytes;
    format::EncodeRestoreJournal(j, &bytes);
    WriteFile(JournalPath(D()), bytes);
  }
  void ExpectNewInPlace(bool previous_kept = true) {
    EXPECT_EQ(ReadFile(D() + "/marker"), "new");
    EXPECT_FALSE(fs::exists(dir_.Sub("d.restoring")));
    EXPECT_FALSE(fs::exists(JournalPath(D())));
    EXPECT_EQ(fs::exists(dir_.Sub("d.before-restore-x")), previous_kept);
    if (previous_kept) {
      EXPECT_EQ(ReadFile(dir_.Sub("d.before-restore-x/marker")), "old");
    }
  }
  TempDir dir_;
};

TEST_F(RestoreSwapTest, SwapsAndKeepsTheOldDirectory) {
  std::vector<std::string> points;
  ASSERT_TRUE(
      SwapIntoPlace(D(), Journal(), [&](std::string_view p) { points.emplace_back(p); }).ok());
  ExpectNewInPlace();
  EXPECT_EQ(points, (std::vector<std::string>{"restore:after_journal", "restore:after_move_old",
                                              "restore:after_move_new"}));
}

TEST_F(RestoreSwapTest, SwapsIntoAnAbsentDirectory) {
  fs::remove_all(D());
  auto j = Journal();
  j.previous.clear();
  ASSERT_TRUE(SwapIntoPlace(D() + "/", j, nullptr).ok());
  ExpectNewInPlace(false);
}

TEST_F(RestoreSwapTest, NothingToRecoverWithoutAJournal) {
  auto r = RecoverInterruptedRestore(D());
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(*r);
  EXPECT_EQ(ReadFile(D() + "/marker"), "old");
}

TEST_F(RestoreSwapTest, RecoversACrashRightAfterTheJournal) {
  WriteJournal(Journal());
  auto r = RecoverInterruptedRestore(D());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(*r);
  ExpectNewInPlace();
}

TEST_F(RestoreSwapTest, RecoversACrashBetweenTheRenames) {
  WriteJournal(Journal());
  fs::rename(D(), dir_.Sub("d.before-restore-x"));
  ASSERT_TRUE(RecoverInterruptedRestore(D()).ok());
  ExpectNewInPlace();
}

TEST_F(RestoreSwapTest, RecoversACrashBeforeTheJournalIsRemoved) {
  WriteJournal(Journal(/*discard=*/true));
  fs::rename(D(), dir_.Sub("d.before-restore-x"));
  fs::rename(dir_.Sub("d.restoring"), D());
  ASSERT_TRUE(RecoverInterruptedRestore(D()).ok());
  ExpectNewInPlace(/*previous_kept=*/false);
}

TEST_F(RestoreSwapTest, AFolderThatReappearsBetweenTheRenamesIsMovedAsideNotBlocking) {
  WriteJournal(Journal());
  fs::rename(D(), dir_.Sub("d.before-restore-x"));
  WriteFile(D() + "/stray", "made by another program");
  auto r = RecoverInterruptedRestore(D());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ExpectNewInPlace();
  EXPECT_EQ(ReadFile(dir_.Sub("d.appeared-during-restore/stray")), "made by another program");

  // Again, with the first aside name taken: nothing is replaced.
  WriteJournal(Journal());
  fs::rename(D(), dir_.Sub("d.restoring"));
  WriteFile(D() + "/stray", "second");
  ASSERT_TRUE(RecoverInterruptedRestore(D()).ok());
  EXPECT_EQ(ReadFile(D() + "/marker"), "new");
  EXPECT_EQ(ReadFile(dir_.Sub("d.appeared-during-restore/stray")), "made by another program");
  EXPECT_EQ(ReadFile(dir_.Sub("d.appeared-during-restore-2/stray")), "second");
}

TEST_F(RestoreSwapTest, AFolderThatAppearsDuringARestoreIntoNothingIsMovedAside) {
  auto j = Journal();
  j.previous.clear();
  fs::remove_all(D());
  WriteJournal(j);
  WriteFile(D() + "/stray", "x");
  ASSERT_TRUE(RecoverInterruptedRestore(D()).ok());
  EXPECT_EQ(ReadFile(D() + "/marker"), "new");
  EXPECT_EQ(ReadFile(dir_.Sub("d.appeared-during-restore/stray")), "x");
}

TEST_F(RestoreSwapTest, StoreOpenFinishesAnInterruptedSwapFirst) {
  WriteJournal(Journal());
  fs::rename(D(), dir_.Sub("d.before-restore-x"));
  // D is absent now: without recovery, a read-write open would create an empty store there.
  StoreOptions options;
  options.data_dir = D();
  auto store = Store::Open(options);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  store->reset();
  EXPECT_EQ(ReadFile(D() + "/marker"), "new");
  EXPECT_FALSE(fs::exists(JournalPath(D())));
}

TEST_F(RestoreSwapTest, RecoveryWaitsForARunningRestore) {
  WriteJournal(Journal());
  auto lock = LockRestore(D(), false);
  ASSERT_TRUE(lock.ok());
  auto r = RecoverInterruptedRestore(D());
  ASSERT_TRUE(r.status().IsBusy()) << r.status().ToString();
  EXPECT_NE(r.status().message().find("restore into it is in progress"), std::string_view::npos);
}

TEST_F(RestoreSwapTest, DamagedJournalIsReportedNotGuessed) {
  WriteFile(JournalPath(D()), "not a journal");
  auto r = RecoverInterruptedRestore(D());
  ASSERT_TRUE(r.status().IsCorruption()) << r.status().ToString();
  EXPECT_NE(r.status().message().find("inspect"), std::string_view::npos);
  EXPECT_EQ(ReadFile(D() + "/marker"), "old");
}

TEST_F(RestoreSwapTest, JournalOfAnotherDirectoryIsRefused) {
  auto j = Journal();
  j.target = "other";
  WriteJournal(j);
  EXPECT_TRUE(RecoverInterruptedRestore(D()).status().IsCorruption());
  EXPECT_EQ(ReadFile(D() + "/marker"), "old");
}

}  // namespace
}  // namespace roxi::storage
