// storage/live_files.cc through Store::Open: a store with a live file deleted or truncated behind
// RocksDB's back is refused by every open, read-write and read-only, naming the file; verify's
// open (check_live_files off) gets through and lists the file first.
#include "storage/live_files.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "storage/store.h"
#include "storage/verify_store.h"
#include "tests/storage/backup_test_store.h"
#include "tests/support/temp_dir.h"

namespace roxi::storage {
namespace {

namespace fs = std::filesystem;

class LiveFilesTest : public ::testing::Test {
 protected:
  // A populated store, flushed to SST files and closed; returns its largest SST file.
  fs::path PopulatedStore() {
    auto store = testing::OpenStore(dir_.path().string());
    EXPECT_NE(store, nullptr);
    if (store == nullptr) return {};
    testing::Populate(store.get(), "doc", 20, 4);
    EXPECT_TRUE(store->FlushMemtables().ok());
    store.reset();
    fs::path largest;
    for (const auto& e : fs::directory_iterator(dir_.path() / "db")) {
      if (e.path().extension() == ".sst" &&
          (largest.empty() || e.file_size() > fs::file_size(largest))) {
        largest = e.path();
      }
    }
    return largest;
  }

  Result<std::unique_ptr<Store>> Open(StoreOptions::Mode mode, bool check = true) {
    StoreOptions options;
    options.data_dir = dir_.path().string();
    options.mode = mode;
    options.check_live_files = check;
    return Store::Open(options);
  }

  void ExpectRefusedNaming(const std::string& file, const std::string& what) {
    for (auto mode : {StoreOptions::Mode::kReadWrite, StoreOptions::Mode::kReadOnly}) {
      auto store = Open(mode);
      ASSERT_FALSE(store.ok());
      EXPECT_TRUE(store.status().IsCorruption()) << store.status().ToString();
      const std::string message(store.status().message());
      EXPECT_NE(message.find("live file " + file + " is " + what), std::string::npos) << message;
      EXPECT_EQ(message.find(".ldb"), std::string::npos) << message;
    }
    auto report = VerifyStoreAt(dir_.path().string());
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    ASSERT_FALSE(report->clean());
    EXPECT_EQ(report->problems.front().check, "rocksdb");
    EXPECT_EQ(report->problems.front().key, file);
    EXPECT_NE(report->problems.front().detail.find(what), std::string::npos)
        << report->problems.front().detail;
  }

  roxi::testing::TempDir dir_;
};

TEST_F(LiveFilesTest, HealthyStoreOpensInEveryMode) {
  ASSERT_FALSE(PopulatedStore().empty());
  EXPECT_TRUE(Open(StoreOptions::Mode::kReadWrite).ok());
  EXPECT_TRUE(Open(StoreOptions::Mode::kReadOnly).ok());
}

TEST_F(LiveFilesTest, MissingFileIsRefusedAndNamed) {
  const fs::path sst = PopulatedStore();
  ASSERT_FALSE(sst.empty());
  fs::remove(sst);
  ExpectRefusedNaming(sst.filename().string(), "missing");
}

TEST_F(LiveFilesTest, TruncatedFileIsRefusedAndNamed) {
  const fs::path sst = PopulatedStore();
  ASSERT_FALSE(sst.empty());
  const uint64_t size = fs::file_size(sst);
  fs::resize_file(sst, size - 1);
  ExpectRefusedNaming(sst.filename().string(),
                      "truncated: " + std::to_string(size - 1) + " bytes, not " +
                          std::to_string(size));
}

TEST_F(LiveFilesTest, DescriptionNamesTheFirstAndCountsTheRest) {
  EXPECT_EQ(DescribeLiveFileProblems({{"000044.sst", "missing"}}), "live file 000044.sst is missing");
  EXPECT_EQ(DescribeLiveFileProblems({{"000044.sst", "missing"}, {"000051.sst", "missing"}}),
            "live file 000044.sst is missing (and 1 more damaged live file)");
  EXPECT_EQ(DescribeLiveFileProblems(
                {{"000044.sst", "truncated: 1 bytes, not 2"}, {"a", "missing"}, {"b", "missing"}}),
            "live file 000044.sst is truncated: 1 bytes, not 2 (and 2 more damaged live files)");
}

}  // namespace
}  // namespace roxi::storage
