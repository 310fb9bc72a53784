// Incremental backups end to end: after 1 % more documents the second archive is under 10 % of the
// first, restores the whole store on its own (its parent beside it), fails naming the parent when
// that is gone, and retention keeps the parent; `backup list` shows sizes, parents and
// verification state.
#include <filesystem>
#include <iostream>

#include "tests/cli/backup_cli_fixture.h"

namespace roxi::testing {
namespace {

namespace fs = std::filesystem;

class BackupIncrementalTest : public BackupCliTest {
 protected:
  void SetUp() override {
    AddDocuments("a", 0, 200, 6);
    first_ = RoxiJson("backup");
    AddDocuments("b", 200, 2, 6);  // 1 % more
    second_ = RoxiJson("backup");
  }
  nlohmann::json first_, second_;
};

TEST_F(BackupIncrementalTest, SecondArchiveIsSmallAndRestoresTheWholeStore) {
  EXPECT_EQ(first_["incremental"], false);
  EXPECT_EQ(second_["incremental"], true);
  EXPECT_EQ(second_["parents"], nlohmann::json::array({first_["name"]}));
  const double ratio =
      second_["archive_bytes"].get<double>() / first_["archive_bytes"].get<double>();
  std::cout << "first archive " << first_["archive_bytes"] << " bytes, second "
            << second_["archive_bytes"] << " bytes (" << 100 * ratio << " %)\n";
  EXPECT_LT(ratio, 0.10);
  EXPECT_EQ(second_["documents"], 202);

  const std::string query = "orchard falcon beacon";
  const nlohmann::json expected = Search(query, data_dir());
  auto [code, live] = VerifyStore(data_dir());
  ASSERT_EQ(code, 0);
  const std::string fresh = dir_.Sub("fresh");
  RunResult r = RunRoxi({"restore", second_["path"], "--data-dir", fresh, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Search(query, fresh), expected);
  auto [fresh_code, restored] = VerifyStore(fresh);
  EXPECT_EQ(fresh_code, 0);
  EXPECT_EQ(restored["store"], live["store"]);
}

TEST_F(BackupIncrementalTest, MissingParentIsNamed) {
  const std::string parent = first_["path"];
  fs::rename(parent, parent + ".away");
  RunResult verify = RunRoxi({"verify", "--archive", second_["path"]});
  EXPECT_EQ(verify.exit_code, 1);
  EXPECT_NE(verify.out.find("parent archive " + first_["name"].get<std::string>()),
            std::string::npos)
      << verify.out;
  RunResult restore = RunRoxi({"restore", second_["path"], "--data-dir", dir_.Sub("fresh")});
  EXPECT_EQ(restore.exit_code, 4) << restore.err;
  EXPECT_NE(restore.err.find("parent archive " + first_["name"].get<std::string>()),
            std::string::npos)
      << restore.err;
  EXPECT_NE(restore.err.find("is missing"), std::string::npos) << restore.err;
  EXPECT_FALSE(fs::exists(dir_.Sub("fresh")));
  EXPECT_FALSE(fs::exists(dir_.Sub("fresh.restoring")));
}

TEST_F(BackupIncrementalTest, FullBackupStandsAlone) {
  nlohmann::json full = RoxiJson("backup", {"--full"});
  EXPECT_EQ(full["incremental"], false);
  EXPECT_EQ(full["files_referenced"], 0);
  fs::remove(first_["path"].get<std::string>());
  RunResult r = RunRoxi({"restore", full["path"], "--data-dir", dir_.Sub("fresh")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(BackupIncrementalTest, PruneNeverRemovesAParentStillNeeded) {
  nlohmann::json plan = RoxiJson("backup", {"prune", "--keep-last", "1", "--dry-run"});
  EXPECT_EQ(plan["removed"], 0);
  ASSERT_EQ(plan["decisions"].size(), 2u);
  EXPECT_EQ(plan["decisions"][1]["reason"], "parent of " + second_["name"].get<std::string>());

  nlohmann::json full = RoxiJson("backup", {"--full"});
  nlohmann::json pruned = RoxiJson("backup", {"prune", "--keep-last", "1"});
  EXPECT_EQ(pruned["removed"], 2);
  EXPECT_EQ(Archives(Backups()), std::vector<std::string>{full["path"]});
  RunResult none = Roxi("backup", {"prune"});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("keeps nothing"), std::string::npos) << none.err;
}

TEST_F(BackupIncrementalTest, ListShowsSizesParentsAndVerification) {
  ASSERT_EQ(RunRoxi({"verify", "--archive", first_["path"]}).exit_code, 0);
  nlohmann::json list = RoxiJson("backup", {"list"});
  ASSERT_EQ(list["archives"].size(), 2u);
  const auto& newest = list["archives"][0];
  const auto& oldest = list["archives"][1];
  EXPECT_EQ(newest["name"], second_["name"]);
  EXPECT_EQ(newest["parents"], nlohmann::json::array({first_["name"]}));
  EXPECT_EQ(newest["verification"], "never");
  EXPECT_EQ(newest["archive_bytes"], second_["archive_bytes"]);
  EXPECT_EQ(newest["documents"], 202);
  EXPECT_EQ(oldest["verification"], "clean");
  EXPECT_FALSE(oldest["verified_at"].is_null());
  EXPECT_EQ(oldest["children"], 1);
  EXPECT_EQ(list["total_bytes"],
            first_["archive_bytes"].get<uint64_t>() + second_["archive_bytes"].get<uint64_t>());
  RunResult text = Roxi("backup", {"list"});
  EXPECT_NE(text.out.find("incremental of " + first_["name"].get<std::string>()), std::string::npos)
      << text.out;
}

}  // namespace
}  // namespace roxi::testing
