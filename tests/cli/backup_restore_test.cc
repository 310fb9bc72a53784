// End to end: backup -> wipe -> restore gives the same search results and verify counts; restore
// into a directory another process holds is refused; verify's exit codes and output.
#include <filesystem>
#include <fstream>

#include "storage/store.h"
#include "tests/cli/backup_cli_fixture.h"

namespace roxi::testing {
namespace {

namespace fs = std::filesystem;

const char* kQueries[] = {"river stone lantern", "copper meadow harbor", "falcon quarry violet",
                          "glacier anchor thistle"};

TEST_F(BackupCliTest, BackupWipeRestoreGivesIdenticalSearchesAndCounts) {
  AddDocuments("a", 0, 40);
  std::vector<nlohmann::json> before;
  for (const char* q : kQueries) before.push_back(Search(q, data_dir()));
  auto [verify_code, verify_before] = VerifyStore(data_dir());
  ASSERT_EQ(verify_code, 0) << verify_before.dump(2);

  nlohmann::json backup = RoxiJson("backup");
  const std::string archive = backup["path"];
  EXPECT_TRUE(archive.starts_with(Backups() + "/")) << archive;
  EXPECT_EQ(backup["documents"], 40);
  EXPECT_EQ(backup["incremental"], false);
  EXPECT_FALSE(fs::exists(archive + ".tmp"));

  fs::remove_all(data_dir());
  nlohmann::json restored = RoxiJson("restore", {archive});
  EXPECT_EQ(restored["check"]["clean"], true);
  EXPECT_EQ(restored["trial_searches"]["searches"], 3);
  EXPECT_TRUE(restored["previous_dir"].is_null());

  for (size_t i = 0; i < std::size(kQueries); ++i) {
    EXPECT_EQ(Search(kQueries[i], data_dir()), before[i]) << kQueries[i];
  }
  auto [code, verify_after] = VerifyStore(data_dir());
  EXPECT_EQ(code, 0) << verify_after.dump(2);
  EXPECT_EQ(verify_after["store"], verify_before["store"]);
  EXPECT_EQ(verify_after["store"]["documents"], 40);
}

TEST_F(BackupCliTest, RestoreOverAStoreNeedsForceAndKeepsTheOldStore) {
  AddDocuments("a", 0, 5);
  const std::string archive = Backup();
  AddDocuments("b", 5, 3);
  RunResult refused = Roxi("restore", {archive});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("pass --force to replace it"), std::string::npos) << refused.err;
  EXPECT_EQ(Status()["documents"], 8);

  nlohmann::json r = RoxiJson("restore", {archive, "--force"});
  EXPECT_EQ(Status()["documents"], 5);
  const std::string previous = r["previous_dir"];
  EXPECT_TRUE(previous.starts_with(data_dir() + ".before-restore-")) << previous;
  RunResult old = RunRoxi({"status", "--json", "--data-dir", previous});
  EXPECT_EQ(nlohmann::json::parse(old.out)["documents"], 8);
}

TEST_F(BackupCliTest, DryRunLeavesTheDataDirectoryAlone) {
  AddDocuments("a", 0, 5);
  const std::string archive = Backup();
  AddDocuments("b", 5, 2);
  nlohmann::json r = RoxiJson("restore", {archive, "--dry-run"});
  EXPECT_EQ(r["dry_run"], true);
  EXPECT_EQ(r["check"]["store"]["documents"], 5);
  EXPECT_EQ(r["trial_searches"]["searches"], 3);
  EXPECT_EQ(Status()["documents"], 7);
  for (const auto& e : fs::directory_iterator(dir_.path())) {
    const std::string name = e.path().filename();
    EXPECT_TRUE(name == "data" || name == "docs" || name == "data.backups" ||
                name == "data.restore-lock")
        << name;
  }
}

TEST_F(BackupCliTest, RestoreIntoADirectoryInUseIsRefused) {
  AddDocuments("a", 0, 5);
  const std::string archive = Backup();
  // Another process holds the store read-write, as a server or a long `roxi process` would.
  storage::StoreOptions options;
  options.data_dir = data_dir();
  auto holder = storage::Store::Open(options);
  ASSERT_TRUE(holder.ok()) << holder.status().ToString();
  RunResult r = Roxi("restore", {archive, "--force"});
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_NE(r.err.find("in use by another roxi process"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("stop it before restoring"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(data_dir() + ".restoring"));
  EXPECT_EQ((*holder)->GetCounters().documents, 5u);
  // Backing up needs the store too: the same clear refusal.
  RunResult backup = Roxi("backup");
  EXPECT_EQ(backup.exit_code, 5) << backup.err;
}

TEST_F(BackupCliTest, VerifyExitCodesAndJson) {
  AddDocuments("a", 0, 10);
  auto [clean_code, clean] = VerifyStore(data_dir());
  EXPECT_EQ(clean_code, 0);
  EXPECT_EQ(clean["ok"], true);
  EXPECT_EQ(clean["kind"], "store");
  EXPECT_EQ(clean["problem_count"], 0);
  EXPECT_EQ(clean["store"]["counters"]["chunks"], clean["store"]["chunks"]);

  auto [missing_code, missing] = VerifyStore(dir_.Sub("absent"));
  EXPECT_EQ(missing_code, 2);
  EXPECT_EQ(missing["ok"], false);
  EXPECT_EQ(missing["exit_code"], 2);
  EXPECT_EQ(RunRoxi({"verify", "--data-dir", data_dir(), "--bogus"}).exit_code, 2);
  EXPECT_EQ(RunRoxi({"verify", "--data-dir", data_dir(), "--archive", "x"}).exit_code, 2);

  // Damage a data block of the largest SST file: RocksDB's checksums find it.
  std::string largest;
  for (const auto& e : fs::directory_iterator(data_dir() + "/db")) {
    if (e.path().extension() == ".sst" &&
        (largest.empty() || e.file_size() > fs::file_size(largest))) {
      largest = e.path();
    }
  }
  ASSERT_FALSE(largest.empty());
  {
    std::fstream f(largest, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(fs::file_size(largest) / 3));
    f.put('\x5a');
  }
  RunResult damaged = Roxi("verify");
  EXPECT_EQ(damaged.exit_code, 1) << damaged.out << damaged.err;
  EXPECT_NE(damaged.out.find("rocksdb"), std::string::npos) << damaged.out;
  EXPECT_NE(damaged.out.find("problem(s) found"), std::string::npos) << damaged.out;
}

TEST_F(BackupCliTest, HelpStatesVerifysOwnExitCodes) {
  RunResult r = RunRoxi({"verify", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("0    clean"), std::string::npos);
  EXPECT_NE(r.out.find("1    problems found"), std::string::npos);
  EXPECT_NE(r.out.find("2    could not run"), std::string::npos);
}

}  // namespace
}  // namespace roxi::testing
