// Tests of storage/backup_retention.cc: which archives a policy keeps, per store, with parents.
#include "storage/backup_retention.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "storage/backup.h"
#include "storage/backup_catalog.h"
#include "tests/storage/backup_test_store.h"
#include "tests/support/temp_dir.h"

namespace roxi::storage {
namespace {

constexpr uint64_t kHour = 3600ull * 1000000;
constexpr uint64_t kDay = 24 * kHour;
constexpr uint64_t kMonday = 1795996800000000;  // 2026-11-30T00:00:00Z, a Monday

format::CatalogArchive Archive(const std::string& name, uint64_t at,
                               std::vector<std::string> parents = {}, uint8_t store = 1) {
  format::CatalogArchive a;
  a.name = name;
  a.created_at_micros = at;
  a.store_id[0] = store;
  a.archive_bytes = 100;
  a.parents = std::move(parents);
  return a;
}

std::map<std::string, std::string> Kept(const format::BackupCatalog& c, RetentionPolicy p) {
  std::map<std::string, std::string> out;
  for (const auto& d : PlanRetention(c, p)) {
    if (d.keep) out[d.name] = d.reason;
  }
  return out;
}

TEST(RetentionPlanTest, KeepLastKeepsTheNewest) {
  format::BackupCatalog c;
  for (int i = 0; i < 5; ++i)
    c.archives.push_back(Archive("a" + std::to_string(i), kMonday + i * kHour));
  const auto kept = Kept(c, {.keep_last = 2});
  EXPECT_EQ(kept, (std::map<std::string, std::string>{{"a3", "last 2"}, {"a4", "last 2"}}));
}

TEST(RetentionPlanTest, DailyAndWeeklyKeepTheNewestOfEachPeriod) {
  format::BackupCatalog c;
  // Three a day for 10 days, Monday 30 November onwards, at 01:00, 09:00 and 17:00.
  for (int day = 0; day < 10; ++day) {
    for (int h : {1, 9, 17}) {
      c.archives.push_back(Archive("d" + std::to_string(day) + "h" + std::to_string(h),
                                   kMonday + day * kDay + h * kHour));
    }
  }
  std::sort(c.archives.begin(), c.archives.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  auto daily = Kept(c, {.keep_daily = 3});
  EXPECT_EQ(daily.size(), 3u);
  EXPECT_EQ(daily["d9h17"], "daily 2026-12-09");
  EXPECT_EQ(daily["d8h17"], "daily 2026-12-08");
  EXPECT_EQ(daily["d7h17"], "daily 2026-12-07");
  auto weekly = Kept(c, {.keep_weekly = 5});
  EXPECT_EQ(weekly.size(), 2u);  // two ISO weeks have archives
  EXPECT_EQ(weekly["d9h17"], "weekly 2026-W50");
  EXPECT_EQ(weekly["d6h17"], "weekly 2026-W49");  // Sunday 6 December ends the first week
}

TEST(RetentionPlanTest, ParentsOfKeptArchivesAreKept) {
  format::BackupCatalog c;
  c.archives.push_back(Archive("full", kMonday));
  c.archives.push_back(Archive("inc1", kMonday + kHour, {"full"}));
  c.archives.push_back(Archive("inc2", kMonday + 2 * kHour, {"full"}));
  c.archives.push_back(Archive("old", kMonday - kDay));
  const auto kept = Kept(c, {.keep_last = 1});
  EXPECT_EQ(kept,
            (std::map<std::string, std::string>{{"inc2", "last 1"}, {"full", "parent of inc2"}}));
}

TEST(RetentionPlanTest, EachStoreIsCountedSeparately) {
  format::BackupCatalog c;
  c.archives.push_back(Archive("s1a", kMonday, {}, 1));
  c.archives.push_back(Archive("s1b", kMonday + kHour, {}, 1));
  c.archives.push_back(Archive("s2a", kMonday, {}, 2));
  const auto kept = Kept(c, {.keep_last = 1});
  EXPECT_EQ(kept.size(), 2u);
  EXPECT_TRUE(kept.count("s1b") && kept.count("s2a"));
}

TEST(ApplyRetentionTest, RemovesWhatThePolicyDropsButNeverANeededParent) {
  roxi::testing::TempDir dir;
  auto store = testing::OpenStore(dir.Sub("data"));
  ASSERT_NE(store, nullptr);
  testing::Populate(store.get(), "doc", 5, 3);
  std::vector<BackupReport> made;
  for (int i = 0; i < 4; ++i) {
    BackupOptions o;
    o.folder = dir.Sub("backups");
    o.threads = 0;
    o.full = i == 0 || i == 2;
    o.now_micros = kMonday + i * kHour;
    auto r = CreateBackup(*store, o);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    made.push_back(*r);
    testing::Populate(store.get(), "more" + std::to_string(i), 1, 2);
  }
  ASSERT_EQ(made[1].parents, std::vector<std::string>{made[0].name});
  ASSERT_FALSE(made[3].parents.empty());

  EXPECT_TRUE(ApplyRetention(dir.Sub("backups"), {}, false).status().IsInvalidArgument());
  auto dry = ApplyRetention(dir.Sub("backups"), {.keep_last = 1}, /*dry_run=*/true);
  ASSERT_TRUE(dry.ok());
  EXPECT_EQ(dry->removed, 2u);
  for (const auto& m : made) EXPECT_TRUE(std::filesystem::exists(m.path));

  auto pruned = ApplyRetention(dir.Sub("backups"), {.keep_last = 1}, false);
  ASSERT_TRUE(pruned.ok()) << pruned.status().ToString();
  EXPECT_EQ(pruned->kept, 2u);
  EXPECT_FALSE(std::filesystem::exists(made[0].path));
  EXPECT_FALSE(std::filesystem::exists(made[1].path));
  EXPECT_TRUE(std::filesystem::exists(made[2].path));  // the parent of the newest
  EXPECT_TRUE(std::filesystem::exists(made[3].path));
  auto load = LoadCatalog(dir.Sub("backups"));
  ASSERT_TRUE(load.ok());
  EXPECT_EQ(load->catalog.archives.size(), 2u);
  EXPECT_FALSE(load->changed);
}

}  // namespace
}  // namespace roxi::storage
