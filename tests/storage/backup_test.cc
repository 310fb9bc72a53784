// Tests of storage/backup.cc and storage/backup_plan.cc: full and incremental archives of a live
// store, what they record, and what a failed backup leaves.
#include "storage/backup.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "storage/archive_reader.h"
#include "storage/backup_catalog.h"
#include "storage/backup_plan.h"
#include "storage/verify_archive.h"
#include "tests/storage/backup_test_store.h"
#include "tests/support/temp_dir.h"

namespace roxi::storage {
namespace {

namespace fs = std::filesystem;
using roxi::testing::TempDir;
using testing::OpenStore;
using testing::Populate;

class BackupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = OpenStore(Data());
    ASSERT_NE(store_, nullptr);
    Populate(store_.get(), "doc", 20, 6);
  }
  std::string Data() const { return dir_.Sub("data"); }
  std::string Folder() const { return dir_.Sub("backups"); }
  BackupOptions Options(uint64_t now_micros = 1795521600000000) const {
    BackupOptions o;
    o.folder = Folder();
    o.threads = 0;
    o.now_micros = now_micros;
    return o;
  }
  std::vector<std::string> FolderFiles() const {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(Folder())) out.push_back(e.path().filename());
    std::sort(out.begin(), out.end());
    return out;
  }
  TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(BackupTest, FullBackupHoldsEveryFileAndItsCounts) {
  auto r = CreateBackup(*store_, Options());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const auto info = store_->GetStoreInfo();
  EXPECT_EQ(r->name, "20261124T120000Z-" + HexId(info.store_id) + ".roxibak");
  EXPECT_FALSE(r->incremental);
  EXPECT_EQ(r->files, r->files_stored);
  EXPECT_EQ(r->documents, 20u);
  EXPECT_EQ(r->chunks, 120u);
  EXPECT_EQ(r->vectors, store_->GetCounters().embedded);
  EXPECT_GT(r->sequence, 0u);
  EXPECT_EQ(fs::file_size(r->path), r->archive_bytes);

  auto reader = ArchiveReader::Open(r->path);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  const auto& m = reader->manifest();
  EXPECT_EQ(m.store_id, info.store_id);
  EXPECT_EQ(m.embedder_id, "test:8");
  EXPECT_EQ(m.pending + m.failed + m.vectors, m.chunks);
  bool has_current = false;
  for (const auto& f : m.files) has_current = has_current || f.name == "CURRENT";
  EXPECT_TRUE(has_current);
  // Nothing but the archive, the catalog and its lock; the staging checkpoint is gone.
  EXPECT_EQ(FolderFiles(),
            (std::vector<std::string>{r->name, "roxi-catalog", "roxi-catalog.lock"}));
  EXPECT_FALSE(fs::exists(Data() + "/.backup-staging"));
  auto verified = VerifyArchive(r->path, VerifyArchiveOptions{});
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified->clean());
}

TEST_F(BackupTest, SecondBackupRefersToTheFilesTheFirstHolds) {
  auto first = CreateBackup(*store_, Options());
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  Populate(store_.get(), "more", 1, 3);
  auto second = CreateBackup(*store_, Options(1795521601000000));
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_TRUE(second->incremental);
  EXPECT_EQ(second->parents, std::vector<std::string>{first->name});
  EXPECT_GT(second->files_referenced, 0u);
  EXPECT_LT(second->stored_bytes, second->checkpoint_bytes);
  EXPECT_LT(second->archive_bytes, first->archive_bytes);
  EXPECT_EQ(second->documents, 21u);

  auto full = CreateBackup(*store_, [&] {
    auto o = Options(1795521602000000);
    o.full = true;
    return o;
  }());
  ASSERT_TRUE(full.ok());
  EXPECT_FALSE(full->incremental);
  EXPECT_EQ(full->files_referenced, 0u);

  auto catalog = LoadCatalog(Folder());
  ASSERT_TRUE(catalog.ok());
  ASSERT_EQ(catalog->catalog.archives.size(), 3u);
  EXPECT_FALSE(catalog->changed);
  auto verified = VerifyArchive(second->path, VerifyArchiveOptions{});
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified->clean()) << verified->problems.front().detail;
  EXPECT_GT(verified->archive.files_in_parents, 0u);
}

TEST_F(BackupTest, SameSecondGetsANewName) {
  auto first = CreateBackup(*store_, Options());
  auto second = CreateBackup(*store_, Options());
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_NE(first->name, second->name);
  EXPECT_TRUE(second->name.ends_with("-2.roxibak")) << second->name;
}

TEST_F(BackupTest, HooksRunInOrder) {
  std::vector<std::string> points;
  auto o = Options();
  o.hook = [&](std::string_view p) {
    if (points.empty() || points.back() != p) points.emplace_back(p);
  };
  ASSERT_TRUE(CreateBackup(*store_, o).ok());
  EXPECT_EQ(points, (std::vector<std::string>{"backup:after_checkpoint", "backup:after_file",
                                              "backup:before_publish", "backup:after_publish"}));
}

TEST_F(BackupTest, FullDiskLeavesNoArchiveAndTheStoreUntouched) {
  const auto counters = store_->GetCounters();
  auto o = Options();
  o.write_limit_for_testing = 4096;
  auto r = CreateBackup(*store_, o);
  ASSERT_TRUE(r.status().IsIOError()) << r.status().ToString();
  EXPECT_NE(r.status().message().find("disk full"), std::string_view::npos);
  EXPECT_EQ(FolderFiles(), (std::vector<std::string>{"roxi-catalog.lock"}));
  EXPECT_EQ(store_->GetCounters(), counters);
  EXPECT_FALSE(fs::exists(Data() + "/.backup-staging"));
  EXPECT_TRUE(CreateBackup(*store_, Options()).ok());
}

TEST_F(BackupTest, LeftoversOfAKilledBackupAreRemoved) {
  ASSERT_TRUE(fs::create_directories(Folder()));
  const std::string stale =
      Folder() + "/20261101T000000Z-" + HexId(store_->GetStoreInfo().store_id) + ".roxibak.tmp";
  roxi::testing::WriteFile(stale, "partial");
  roxi::testing::WriteFile(Data() + "/.backup-staging/db/000001.sst", "stale link");
  ASSERT_TRUE(CreateBackup(*store_, Options()).ok());
  EXPECT_FALSE(fs::exists(stale));
  EXPECT_FALSE(fs::exists(Data() + "/.backup-staging"));
}

TEST_F(BackupTest, RefusesBadOptionsAndReadOnlyStores) {
  auto o = Options();
  o.level = 0;
  EXPECT_TRUE(CreateBackup(*store_, o).status().IsInvalidArgument());
  o = Options();
  o.threads = 100;
  EXPECT_TRUE(CreateBackup(*store_, o).status().IsInvalidArgument());
  o = Options();
  o.folder.clear();
  EXPECT_TRUE(CreateBackup(*store_, o).status().IsInvalidArgument());
  auto reader = OpenStore(Data(), StoreOptions::Mode::kReadOnly);
  ASSERT_NE(reader, nullptr);
  EXPECT_TRUE(CreateBackup(*reader, Options()).status().IsNotSupported());
}

TEST_F(BackupTest, BusyFolderIsRefused) {
  ASSERT_TRUE(fs::create_directories(Folder()));
  auto lock = LockBackupFolder(Folder(), false);
  ASSERT_TRUE(lock.ok());
  auto r = CreateBackup(*store_, Options());
  ASSERT_TRUE(r.status().IsBusy()) << r.status().ToString();
}

TEST(BackupNameTest, IsUtcTimeAndStoreId) {
  format::ArchiveId id{};
  id[0] = 0xab;
  id[15] = 0x01;
  EXPECT_EQ(ArchiveNameFor(1795521600123456, id),
            "20261124T120000Z-ab000000000000000000000000000001.roxibak");
}

TEST(BackupPlanTest, OnlySstAndBlobFilesAreImmutable) {
  EXPECT_TRUE(IsImmutableRocksFile("000012.sst"));
  EXPECT_TRUE(IsImmutableRocksFile("000012.blob"));
  EXPECT_FALSE(IsImmutableRocksFile("MANIFEST-000005"));
  EXPECT_FALSE(IsImmutableRocksFile("000013.log"));
  EXPECT_FALSE(IsImmutableRocksFile("CURRENT"));
}

}  // namespace
}  // namespace roxi::storage
