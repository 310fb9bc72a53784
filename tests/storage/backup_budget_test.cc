// Tests of storage/backup_budget.cc: the archive size estimate and the free-space check.
#include "storage/backup_budget.h"

#include <gtest/gtest.h>

#include "tests/support/temp_dir.h"

namespace roxi::storage {
namespace {

TEST(BackupBudgetTest, WithoutHistoryTheEstimateIsTheInputSize) {
  const SpaceEstimate e = EstimateArchiveSpace(100 << 20, 10, std::nullopt);
  EXPECT_GE(e.archive_bytes, uint64_t{100} << 20);
  EXPECT_LT(e.archive_bytes, (uint64_t{100} << 20) + (1 << 20));
  EXPECT_EQ(e.required_bytes, e.archive_bytes + e.archive_bytes / 10);
}

TEST(BackupBudgetTest, ObservedRatioShrinksTheEstimateWithSlack) {
  const SpaceEstimate e = EstimateArchiveSpace(100 << 20, 10, 0.5);
  EXPECT_GT(e.archive_bytes, uint64_t{60} << 20);  // 0.5 + 0.1
  EXPECT_LT(e.archive_bytes, uint64_t{61} << 20);
  EXPECT_EQ(EstimateArchiveSpace(1000, 1, std::nullopt).required_bytes,
            EstimateArchiveSpace(1000, 1, std::nullopt).archive_bytes + kMinSpaceMarginBytes);
}

TEST(BackupBudgetTest, RatioComesFromTheNewestArchiveOfTheStore) {
  format::BackupCatalog c;
  auto add = [&](uint8_t store, uint64_t at, uint64_t size, uint64_t frame) {
    format::CatalogArchive a;
    a.name = "a" + std::to_string(c.archives.size());
    a.store_id[0] = store;
    a.created_at_micros = at;
    a.files.push_back({"f", size, 0, 0, 20, frame, 0});
    c.archives.push_back(a);
  };
  format::ArchiveId store1{};
  store1[0] = 1;
  EXPECT_FALSE(ObservedRatio(c, store1).has_value());
  add(1, 10, 4 << 20, 2 << 20);
  add(1, 20, 4 << 20, 1 << 20);
  add(2, 30, 4 << 20, 4 << 20);
  add(1, 40, 1000, 10);  // too small to say anything
  EXPECT_DOUBLE_EQ(*ObservedRatio(c, store1), 0.25);
}

TEST(BackupBudgetTest, NotEnoughSpaceIsRefusedWithBothNumbers) {
  roxi::testing::TempDir dir;
  SpaceEstimate e;
  e.archive_bytes = uint64_t{1} << 60;
  e.required_bytes = uint64_t{1} << 61;
  Status s = CheckBackupSpace(dir.path().string(), &e);
  ASSERT_TRUE(s.IsIOError());
  EXPECT_NE(s.message().find("not enough space"), std::string_view::npos);
  EXPECT_NE(s.message().find("is free"), std::string_view::npos);
  EXPECT_GT(e.free_bytes, 0u);
  SpaceEstimate small;
  small.required_bytes = 1;
  EXPECT_TRUE(CheckBackupSpace(dir.path().string(), &small).ok());
}

}  // namespace
}  // namespace roxi::storage
