// Tests of storage/verify_archive.cc: every damaged byte of an archive is found, parents are
// checked, a deep check restores and checks the store, and the result reaches the catalog.
#include "storage/verify_archive.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "format/archive_header.h"
#include "storage/archive_writer.h"
#include "storage/backup.h"
#include "storage/backup_catalog.h"
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

VerifyArchiveOptions Quiet() {
  VerifyArchiveOptions o;
  o.record_in_catalog = false;
  return o;
}

void Rewrite(const std::string& path, const std::string& bytes) {
  fs::remove(path);
  WriteFile(path, bytes);
}

TEST(VerifyArchiveTest, EveryDamagedByteOfASmallArchiveIsAProblem) {
  TempDir dir;
  WriteFile(dir.Sub("a"), std::string(700, 'a') + "tail");
  WriteFile(dir.Sub("b"), "b contents");
  WriteFile(dir.Sub("c"), "");
  const std::string path = dir.Sub("x.roxibak");
  {
    auto w = ArchiveWriter::Create(path, 3, 0);
    ASSERT_TRUE(w.ok());
    for (const char* name : {"a", "b", "c"}) {
      ASSERT_TRUE(w->AddFile(dir.Sub(name), name, fs::file_size(dir.Sub(name))).ok());
    }
    format::ArchiveManifest m;
    m.created_by = "roxi test";
    ASSERT_TRUE(w->Seal(m).ok());
    ASSERT_TRUE(w->Publish().ok());
  }
  const std::string good = ReadFile(path);
  auto clean = VerifyArchive(path, Quiet());
  ASSERT_TRUE(clean.ok());
  EXPECT_TRUE(clean->clean());
  EXPECT_EQ(clean->archive.files, 3u);
  for (size_t i = 0; i < good.size(); ++i) {
    std::string bad = good;
    bad[i] = static_cast<char>(bad[i] ^ 0x01);
    Rewrite(path, bad);
    auto r = VerifyArchive(path, Quiet());
    ASSERT_TRUE(r.ok()) << "byte " << i << ": " << r.status().ToString();
    EXPECT_FALSE(r->clean()) << "byte " << i << " of " << good.size() << " went unnoticed";
  }
}

class VerifyStoreArchiveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = OpenStore(dir_.Sub("data"));
    ASSERT_NE(store_, nullptr);
    Populate(store_.get(), "doc", 12, 5);
    first_ = Backup();
    Populate(store_.get(), "more", 2, 5);
    second_ = Backup();
    ASSERT_FALSE(second_.parents.empty());
  }
  BackupReport Backup() {
    BackupOptions o;
    o.folder = dir_.Sub("backups");
    o.threads = 0;
    o.now_micros = 1795521600000000 + (++backups_) * 1000000;
    auto r = CreateBackup(*store_, o);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : BackupReport{};
  }
  TempDir dir_;
  std::unique_ptr<Store> store_;
  BackupReport first_, second_;
  int backups_ = 0;
};

TEST_F(VerifyStoreArchiveTest, RandomDamageIsFoundAndNamesAFileOrPart) {
  const std::string good = ReadFile(first_.path);
  std::mt19937 rng(20261124);
  for (int trial = 0; trial < 60; ++trial) {
    const size_t at = rng() % good.size();
    std::string bad = good;
    bad[at] = static_cast<char>(bad[at] + 1 + rng() % 255);
    Rewrite(first_.path, bad);
    auto r = VerifyArchive(first_.path, Quiet());
    ASSERT_TRUE(r.ok()) << at << ": " << r.status().ToString();
    ASSERT_FALSE(r->clean()) << "byte " << at;
    EXPECT_FALSE(r->problems.front().detail.empty());
  }
  Rewrite(first_.path, good);
}

TEST_F(VerifyStoreArchiveTest, IncrementalArchiveChecksItsParentsFrames) {
  auto r = VerifyArchive(second_.path, Quiet());
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->clean());
  EXPECT_GT(r->archive.files_in_parents, 0u);

  const std::string parent = ReadFile(first_.path);
  std::string bad = parent;
  bad[30] ^= 0x10;  // inside the first frame, which the child refers to (an SST file)
  Rewrite(first_.path, bad);
  r = VerifyArchive(second_.path, Quiet());
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->clean());

  fs::remove(first_.path);
  r = VerifyArchive(second_.path, Quiet());
  ASSERT_TRUE(r.ok());
  ASSERT_FALSE(r->clean());
  EXPECT_EQ(r->problems.front().check, "parent");
  EXPECT_NE(r->problems.front().detail.find("parent archive " + first_.name), std::string::npos)
      << r->problems.front().detail;
  EXPECT_NE(r->problems.front().detail.find("is missing"), std::string::npos);

  // Another archive under the parent's name is not the parent.
  fs::copy_file(second_.path, first_.path);
  r = VerifyArchive(second_.path, Quiet());
  ASSERT_TRUE(r.ok());
  ASSERT_FALSE(r->clean());
  EXPECT_NE(r->problems.front().detail.find("another archive"), std::string::npos);
}

TEST_F(VerifyStoreArchiveTest, DeepCheckRestoresAndChecksTheStore) {
  VerifyArchiveOptions o = Quiet();
  o.deep = true;
  o.scratch_parent = dir_.Sub("scratch");
  fs::create_directories(o.scratch_parent);
  int probes = 0;
  o.probe = [&](const Store& s) {
    ++probes;
    EXPECT_EQ(s.GetCounters().documents, 14u);
    return Status::OK();
  };
  auto r = VerifyArchive(second_.path, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->clean());
  EXPECT_TRUE(r->store_checked);
  EXPECT_EQ(r->census.documents, 14u);
  EXPECT_EQ(probes, 1);
  EXPECT_TRUE(fs::is_empty(o.scratch_parent));
}

TEST_F(VerifyStoreArchiveTest, ResultIsRecordedInTheCatalog) {
  ASSERT_TRUE(VerifyArchive(first_.path, VerifyArchiveOptions{}).ok());
  auto load = LoadCatalog(dir_.Sub("backups"));
  ASSERT_TRUE(load.ok());
  auto* entry = FindArchive(&load->catalog, first_.name);
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(entry->verify_state, format::VerifyState::kClean);
  EXPECT_GT(entry->verified_at_micros, 0u);
}

TEST_F(VerifyStoreArchiveTest, NewestVerifiedArchiveSkipsDamagedOnes) {
  const auto store_id = store_->GetStoreInfo().store_id;
  auto newest = NewestVerifiedArchive(dir_.Sub("backups"), store_id);
  ASSERT_TRUE(newest.ok());
  EXPECT_EQ(*newest, second_.path);
  std::string bad = ReadFile(second_.path);
  bad[bad.size() - 50] ^= 1;  // in its manifest
  Rewrite(second_.path, bad);
  newest = NewestVerifiedArchive(dir_.Sub("backups"), store_id);
  ASSERT_TRUE(newest.ok());
  EXPECT_EQ(*newest, dir_.Sub("backups") + "/" + first_.name);
  EXPECT_TRUE(
      NewestVerifiedArchive(dir_.Sub("backups"), format::ArchiveId{}).status().IsNotFound());
}

TEST_F(VerifyStoreArchiveTest, MissingOrNewerArchiveCannotBeChecked) {
  EXPECT_TRUE(VerifyArchive(dir_.Sub("absent.roxibak"), Quiet()).status().IsNotFound());
  std::string bytes = ReadFile(first_.path);
  std::string header;
  format::EncodeArchiveHeader(format::ArchiveHeader{7}, &header);
  bytes.replace(0, header.size(), header);
  Rewrite(first_.path, bytes);
  EXPECT_TRUE(VerifyArchive(first_.path, Quiet()).status().IsNotSupported());
}

}  // namespace
}  // namespace roxi::storage
