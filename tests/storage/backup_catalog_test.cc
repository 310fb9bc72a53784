// Tests of storage/backup_catalog.cc and storage/backup_list.cc: the catalog follows the folder.
#include "storage/backup_catalog.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "format/archive_file_frame.h"
#include "storage/backup.h"
#include "storage/backup_list.h"
#include "tests/storage/backup_test_store.h"
#include "tests/support/temp_dir.h"

namespace roxi::storage {
namespace {

namespace fs = std::filesystem;
using roxi::testing::TempDir;
using roxi::testing::WriteFile;

class BackupCatalogFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = testing::OpenStore(dir_.Sub("data"));
    ASSERT_NE(store_, nullptr);
    testing::Populate(store_.get(), "doc", 4, 3);
    for (int i = 0; i < 2; ++i) {
      BackupOptions o;
      o.folder = Folder();
      o.threads = 0;
      o.now_micros = 1795521600000000 + i * 1000000;
      auto r = CreateBackup(*store_, o);
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      names_.push_back(r->name);
    }
  }
  std::string Folder() const { return dir_.Sub("backups"); }
  std::string Catalog() const { return Folder() + "/roxi-catalog"; }
  TempDir dir_;
  std::unique_ptr<Store> store_;
  std::vector<std::string> names_;
};

TEST_F(BackupCatalogFileTest, AbsentCatalogIsRebuiltFromTheArchives) {
  const auto before = LoadCatalog(Folder());
  ASSERT_TRUE(before.ok());
  fs::remove(Catalog());
  auto after = LoadCatalog(Folder());
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(after->changed);
  EXPECT_EQ(after->catalog, before->catalog);
}

TEST_F(BackupCatalogFileTest, DamagedCatalogIsRebuilt) {
  const auto before = LoadCatalog(Folder());
  fs::remove(Catalog());
  WriteFile(Catalog(), "garbage");
  auto after = LoadCatalog(Folder());
  ASSERT_TRUE(after.ok());
  EXPECT_FALSE(after->rebuilt_because.empty());
  EXPECT_EQ(after->catalog, before->catalog);
}

TEST_F(BackupCatalogFileTest, FollowsArchivesAddedAndRemovedBehindItsBack) {
  fs::remove(Folder() + "/" + names_[0]);
  WriteFile(Folder() + "/junk.roxibak", "not an archive");
  auto load = LoadCatalog(Folder());
  ASSERT_TRUE(load.ok());
  EXPECT_TRUE(load->changed);
  ASSERT_EQ(load->catalog.archives.size(), 1u);
  EXPECT_EQ(load->catalog.archives[0].name, names_[1]);
  ASSERT_EQ(load->unreadable.size(), 1u);
  EXPECT_EQ(load->unreadable[0].first, "junk.roxibak");
}

TEST_F(BackupCatalogFileTest, NewerCatalogIsLeftAlone) {
  std::string bytes = roxi::testing::ReadFile(Catalog());
  bytes[8] = 2;  // version; the checksum no longer matches either, so rewrite it properly
  bytes.resize(bytes.size() - 8);
  format::SealMagicFile(&bytes, 0);
  fs::remove(Catalog());
  WriteFile(Catalog(), bytes);
  auto load = LoadCatalog(Folder());
  ASSERT_TRUE(load.status().IsNotSupported()) << load.status().ToString();
  EXPECT_EQ(roxi::testing::ReadFile(Catalog()), bytes);
}

TEST_F(BackupCatalogFileTest, ListingIsNewestFirstWithChildren) {
  auto listing = ListBackups(Folder());
  ASSERT_TRUE(listing.ok());
  ASSERT_EQ(listing->archives.size(), 2u);
  EXPECT_EQ(listing->archives[0].name, names_[1]);
  EXPECT_EQ(listing->archives[1].name, names_[0]);
  EXPECT_EQ(listing->children[1], listing->archives[0].parents.empty() ? 0u : 1u);
  EXPECT_EQ(listing->total_bytes,
            listing->archives[0].archive_bytes + listing->archives[1].archive_bytes);
  EXPECT_TRUE(ListBackups(dir_.Sub("absent")).status().IsNotFound());
}

}  // namespace
}  // namespace roxi::storage
