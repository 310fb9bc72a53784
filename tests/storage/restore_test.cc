// Tests of storage/restore.cc: restoring archives into data directories, and every refusal.
#include "storage/restore.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "storage/backup.h"
#include "storage/restore_swap.h"
#include "storage/verify_store.h"
#include "tests/storage/backup_test_store.h"
#include "tests/support/temp_dir.h"

namespace roxi::storage {
namespace {

namespace fs = std::filesystem;
using roxi::testing::ReadFile;
using roxi::testing::TempDir;
using roxi::testing::WriteFile;
using testing::OpenStore;
using testing::Populate;

class RestoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = OpenStore(Data());
    ASSERT_NE(store, nullptr);
    Populate(store.get(), "doc", 10, 4);
    counters_ = store->GetCounters();
    BackupOptions o;
    o.folder = dir_.Sub("backups");
    o.threads = 0;
    auto r = CreateBackup(*store, o);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    archive_ = r->path;
    Populate(store.get(), "later", 3, 2);  // the live store moves on after the backup
  }
  std::string Data() const { return dir_.Sub("data"); }
  RestoreOptions Options(const std::string& data_dir) const {
    RestoreOptions o;
    o.data_dir = data_dir;
    o.now_micros = 1795521600000000;
    return o;
  }
  uint64_t Documents(const std::string& data_dir) {
    auto store = OpenStore(data_dir, StoreOptions::Mode::kReadOnly);
    return store ? store->GetCounters().documents : 0;
  }
  void Damage(uint64_t offset) {
    std::string bytes = ReadFile(archive_);
    bytes[offset] ^= 0x20;
    fs::remove(archive_);
    WriteFile(archive_, bytes);
  }

  TempDir dir_;
  std::string archive_;
  format::CountersRecord counters_;
};

TEST_F(RestoreTest, RestoresIntoAnAbsentDirectory) {
  const std::string target = dir_.Sub("fresh");
  auto r = RestoreBackup(archive_, Options(target));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->previous_dir.empty());
  EXPECT_TRUE(r->check.clean());
  EXPECT_EQ(r->check.census.documents, 10u);
  auto store = OpenStore(target, StoreOptions::Mode::kReadOnly);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->GetCounters(), counters_);
  auto verified = VerifyStoreAt(target);
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified->clean());
  EXPECT_FALSE(fs::exists(target + ".restoring"));
  EXPECT_FALSE(fs::exists(JournalPath(target)));
}

TEST_F(RestoreTest, ReplacingAStoreNeedsForceAndKeepsTheOldOne) {
  auto refused = RestoreBackup(archive_, Options(Data()));
  ASSERT_TRUE(refused.status().IsInvalidArgument()) << refused.status().ToString();
  EXPECT_NE(refused.status().message().find("--force"), std::string_view::npos);
  EXPECT_EQ(Documents(Data()), 13u);

  auto o = Options(Data());
  o.force = true;
  auto r = RestoreBackup(archive_, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->previous_dir, dir_.Sub("data.before-restore-20261124T120000Z"));
  EXPECT_EQ(Documents(Data()), 10u);
  EXPECT_EQ(Documents(r->previous_dir), 13u);
}

TEST_F(RestoreTest, DiscardOldRemovesThePreviousStore) {
  auto o = Options(Data());
  o.force = true;
  o.discard_old = true;
  auto r = RestoreBackup(archive_, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->previous_dir.empty());
  EXPECT_FALSE(fs::exists(dir_.Sub("data.before-restore-20261124T120000Z")));
  EXPECT_EQ(Documents(Data()), 10u);
}

TEST_F(RestoreTest, DryRunChecksAndLeavesTheDirectoryAlone) {
  auto o = Options(Data());
  o.dry_run = true;
  int probes = 0;
  o.probe = [&](const Store& s) {
    ++probes;
    EXPECT_EQ(s.GetCounters().documents, 10u);
    return Status::OK();
  };
  auto r = RestoreBackup(archive_, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(probes, 1);
  EXPECT_TRUE(r->check.clean());
  EXPECT_EQ(Documents(Data()), 13u);
  for (const auto& e : fs::directory_iterator(dir_.path())) {
    const std::string name = e.path().filename();
    EXPECT_TRUE(name == "data" || name == "backups" || name == "data.restore-lock") << name;
  }
}

TEST_F(RestoreTest, FailingProbeStopsTheRestore) {
  auto o = Options(dir_.Sub("fresh"));
  o.probe = [](const Store&) { return Status::Corruption("trial search", "no hit"); };
  auto r = RestoreBackup(archive_, o);
  ASSERT_TRUE(r.status().IsCorruption());
  EXPECT_FALSE(fs::exists(dir_.Sub("fresh")));
  EXPECT_FALSE(fs::exists(dir_.Sub("fresh.restoring")));
}

TEST_F(RestoreTest, DamagedArchiveIsRefusedBeforeAnythingIsWritten) {
  const uint64_t size = fs::file_size(archive_);
  for (uint64_t offset : {uint64_t{3}, uint64_t{25}, size / 2, size - 40, size - 1}) {
    const std::string target = dir_.Sub("fresh");
    Damage(offset);
    auto r = RestoreBackup(archive_, Options(target));
    ASSERT_FALSE(r.ok()) << offset;
    EXPECT_TRUE(r.status().IsCorruption()) << offset << ": " << r.status().ToString();
    EXPECT_FALSE(fs::exists(target)) << offset;
    EXPECT_FALSE(fs::exists(target + ".restoring")) << offset;
    Damage(offset);  // repaired
  }
  EXPECT_TRUE(RestoreBackup(archive_, Options(dir_.Sub("fresh"))).ok());
}

TEST_F(RestoreTest, StoreDamagedBeforeItsBackupIsRefusedBeforeTheSwap) {
  // The archive holds the damaged bytes faithfully: only the store checks can find them.
  const std::string source = dir_.Sub("damaged-source");
  {
    auto store = OpenStore(source);
    ASSERT_NE(store, nullptr);
    Populate(store.get(), "doc", 40, 8);
    // A checkpoint flushes the memtables: the records are now in SST files to damage.
    fs::create_directories(dir_.Sub("flush-checkpoint"));
    ASSERT_TRUE(store->CreateCheckpoint(dir_.Sub("flush-checkpoint") + "/db").ok());
  }
  std::string largest;
  for (const auto& e : fs::directory_iterator(source + "/db")) {
    if (e.path().extension() == ".sst" &&
        (largest.empty() || e.file_size() > fs::file_size(largest))) {
      largest = e.path();
    }
  }
  ASSERT_FALSE(largest.empty());
  std::string bytes = ReadFile(largest);
  bytes[bytes.size() / 3] ^= 0x5a;  // inside a data block
  fs::remove(largest);
  WriteFile(largest, bytes);
  auto store = OpenStore(source);
  ASSERT_NE(store, nullptr);
  BackupOptions b;
  b.folder = dir_.Sub("damaged-backups");
  auto backup = CreateBackup(*store, b);
  ASSERT_TRUE(backup.ok()) << backup.status().ToString();
  auto r = RestoreBackup(backup->path, Options(dir_.Sub("fresh")));
  ASSERT_TRUE(r.status().IsCorruption()) << r.status().ToString();
  EXPECT_NE(r.status().message().find("restored store"), std::string_view::npos);
  EXPECT_FALSE(fs::exists(dir_.Sub("fresh")));
  EXPECT_FALSE(fs::exists(dir_.Sub("fresh.restoring")));
}

TEST_F(RestoreTest, StoreInUseIsRefused) {
  auto holder = OpenStore(Data());
  ASSERT_NE(holder, nullptr);
  auto o = Options(Data());
  o.force = true;
  auto r = RestoreBackup(archive_, o);
  ASSERT_TRUE(r.status().IsBusy()) << r.status().ToString();
  EXPECT_NE(r.status().message().find("in use by another roxi process"), std::string_view::npos);
  EXPECT_EQ(holder->GetCounters().documents, 13u);
}

TEST_F(RestoreTest, ConcurrentRestoreIsRefused) {
  auto lock = LockRestore(dir_.Sub("fresh"), false);
  ASSERT_TRUE(lock.ok());
  auto r = RestoreBackup(archive_, Options(dir_.Sub("fresh")));
  EXPECT_TRUE(r.status().IsBusy()) << r.status().ToString();
}

TEST_F(RestoreTest, MissingArchiveAndParentDirectoryAreNotFound) {
  EXPECT_TRUE(
      RestoreBackup(dir_.Sub("absent.roxibak"), Options(dir_.Sub("x"))).status().IsNotFound());
  EXPECT_TRUE(RestoreBackup(archive_, Options(dir_.Sub("no/such/dir"))).status().IsNotFound());
}

TEST_F(RestoreTest, HooksRunInOrder) {
  std::vector<std::string> points;
  auto o = Options(Data());
  o.force = true;
  o.hook = [&](std::string_view p) {
    if (points.empty() || points.back() != p) points.emplace_back(p);
  };
  ASSERT_TRUE(RestoreBackup(archive_, o).ok());
  EXPECT_EQ(points, (std::vector<std::string>{"restore:after_file", "restore:after_unpack",
                                              "restore:after_check", "restore:after_journal",
                                              "restore:after_move_old", "restore:after_move_new"}));
}

}  // namespace
}  // namespace roxi::storage
