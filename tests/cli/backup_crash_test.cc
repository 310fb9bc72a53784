// kill -9 of `roxi backup` and `roxi restore` at random instants and at every named point of their
// write paths. After a killed backup, no partial archive carries a final name (every *.roxibak
// verifies) and the store is untouched; after a killed restore, the data directory is the old
// store or the new one (never a mixture, never missing) and verifies clean.
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <thread>
#include <tuple>

#include "tests/cli/backup_cli_fixture.h"

namespace roxi::testing {
namespace {

namespace fs = std::filesystem;

// How long a run of `args` takes: the fastest of two, because the first run pays for cold caches
// and the trials that follow are warm; drawing kill instants from a cold run's length lets too
// many trials finish before their kill on a loaded machine.
int64_t MicrosOf(const std::vector<std::string>& args) {
  int64_t fastest = INT64_MAX;
  for (int run = 0; run < 2; ++run) {
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(BackgroundProcess(RoxiBinary(), args).Wait(), 0);
    fastest = std::min<int64_t>(fastest, std::chrono::duration_cast<std::chrono::microseconds>(
                                             std::chrono::steady_clock::now() - start)
                                             .count());
  }
  return std::max<int64_t>(1000, fastest);
}

class BackupCrashTest : public BackupCliTest {
 protected:
  void SetUp() override {
    AddDocuments("a", 0, 60, 8);
    documents_ = Status()["documents"];
  }
  // Every archive not checked before verifies clean; the store is untouched.
  void ExpectNoPartialArchiveAndStoreFine(const std::string& what) {
    for (const auto& path : Archives(Backups())) {
      if (verified_.count(path)) continue;
      RunResult r = RunRoxi({"verify", "--archive", path});
      EXPECT_EQ(r.exit_code, 0) << what << ": " << path << "\n" << r.out << r.err;
      verified_.insert(path);
    }
    auto [code, doc] = VerifyStore(data_dir());
    EXPECT_EQ(code, 0) << what << "\n" << doc.dump(2);
    EXPECT_EQ(doc["store"]["documents"], documents_) << what;
  }
  std::set<std::string> verified_;
  int documents_ = 0;
};

TEST_F(BackupCrashTest, KillNineAtRandomInstantsLeavesNoPartialArchive) {
  const std::vector<std::string> args{"backup", "--data-dir", data_dir(), "--full"};
  const int64_t run_micros = MicrosOf(args);
  ExpectNoPartialArchiveAndStoreFine("calibration");
  std::mt19937 rng(20261124);
  int killed_mid_run = 0;
  for (int trial = 0; trial < 24; ++trial) {
    BackgroundProcess backup(RoxiBinary(), args);
    std::this_thread::sleep_for(std::chrono::microseconds(rng() % run_micros));
    if (backup.Running()) {
      backup.Kill(SIGKILL);
      ++killed_mid_run;
    }
    backup.Wait();
    ExpectNoPartialArchiveAndStoreFine("trial " + std::to_string(trial));
  }
  // The instants are drawn from within a run's length, so most trials interrupt one.
  EXPECT_GE(killed_mid_run, 12);
  std::cout << "killed mid-run " << killed_mid_run << " of 24; " << Archives(Backups()).size()
            << " archives published\n";
  // The next backup clears what the killed ones left, and the catalog knows every archive.
  const std::string last = Backup();
  for (const auto& e : fs::directory_iterator(Backups())) {
    EXPECT_FALSE(e.path().string().ends_with(".tmp")) << e.path();
  }
  EXPECT_FALSE(fs::exists(data_dir() + "/.backup-staging"));
  nlohmann::json list = RoxiJson("backup", {"list"});
  EXPECT_EQ(list["archives"].size(), Archives(Backups()).size());
  EXPECT_TRUE(list["unreadable"].empty());
}

TEST_F(BackupCrashTest, KillAtEachPointOfTheWritePath) {
  for (const auto& [point, after] :
       std::vector<std::pair<std::string, int>>{{"backup:after_checkpoint", 1},
                                                {"backup:after_file", 1},
                                                {"backup:after_file", 3},
                                                {"backup:before_publish", 1},
                                                {"backup:after_publish", 1}}) {
    const size_t archives_before = Archives(Backups()).size();
    RunOptions crash;
    crash.env["ROXI_TEST_CRASH_AT"] = point;
    crash.env["ROXI_TEST_CRASH_AFTER"] = std::to_string(after);
    RunResult r = Roxi("backup", {"--full"}, crash);
    EXPECT_EQ(r.exit_code, 128 + SIGKILL) << point << " " << after << ": " << r.err;
    // Only a backup killed after publishing has an archive under its final name.
    EXPECT_EQ(Archives(Backups()).size(), archives_before + (point == "backup:after_publish"))
        << point;
    ExpectNoPartialArchiveAndStoreFine(point + " " + std::to_string(after));
  }
  // The archive published just before the kill was never cataloged; listing adds it.
  nlohmann::json list = RoxiJson("backup", {"list"});
  EXPECT_EQ(list["archives"].size(), 1u);
  EXPECT_FALSE(Backup().empty());
}

class RestoreCrashTest : public BackupCliTest {
 protected:
  void SetUp() override {
    AddDocuments("a", 0, 40, 8);
    archive_ = Backup();
    ASSERT_FALSE(archive_.empty());
    AddDocuments("b", 40, 10, 8);
    // Keep a copy of the old store to put back before each trial.
    fs::copy(data_dir(), dir_.Sub("pristine"), fs::copy_options::recursive);
  }
  void ResetDataDir() {
    for (const auto& e : fs::directory_iterator(dir_.path())) {
      const std::string name = e.path().filename();
      if (name == "data" || name.starts_with("data.restor") || name.starts_with("data.before")) {
        fs::remove_all(e.path());
      }
    }
    fs::copy(dir_.Sub("pristine"), data_dir(), fs::copy_options::recursive);
  }
  // The data directory is whole and clean; returns how many documents it holds.
  int CheckedDocuments(const std::string& what) {
    auto [code, doc] = VerifyStore(data_dir());  // also finishes an interrupted swap
    EXPECT_EQ(code, 0) << what << "\n" << doc.dump(2);
    EXPECT_FALSE(fs::exists(data_dir() + ".restore-journal")) << what;
    const int documents = doc["store"].value("documents", -1);
    EXPECT_TRUE(documents == kOld || documents == kNew) << what << ": " << documents;
    return documents;
  }
  static constexpr int kOld = 50;  // the store restore replaces
  static constexpr int kNew = 40;  // the store in the archive
  std::string archive_;
};

TEST_F(RestoreCrashTest, KillNineAtRandomInstantsLeavesTheOldOrTheNewStore) {
  const std::vector<std::string> args{"restore", archive_, "--data-dir", data_dir(), "--force"};
  const int64_t run_micros = MicrosOf(args);
  EXPECT_EQ(CheckedDocuments("calibration"), kNew);
  std::mt19937 rng(20261125);
  int killed_mid_run = 0;
  std::map<int, int> outcomes;
  for (int trial = 0; trial < 24; ++trial) {
    ResetDataDir();
    BackgroundProcess restore(RoxiBinary(), args);
    std::this_thread::sleep_for(std::chrono::microseconds(rng() % run_micros));
    if (restore.Running()) {
      restore.Kill(SIGKILL);
      ++killed_mid_run;
    }
    restore.Wait();
    ++outcomes[CheckedDocuments("trial " + std::to_string(trial))];
  }
  EXPECT_GE(killed_mid_run, 12);
  EXPECT_EQ(outcomes[kOld] + outcomes[kNew], 24);
  std::cout << "killed mid-run " << killed_mid_run << " of 24; left the old store "
            << outcomes[kOld] << " times, the new one " << outcomes[kNew] << " times\n";
  // Whatever was left, the next restore succeeds.
  ResetDataDir();
  RoxiJson("restore", {archive_, "--force"});
  EXPECT_EQ(CheckedDocuments("final"), kNew);
}

TEST_F(RestoreCrashTest, KillAtEachPointOfTheSwap) {
  for (const auto& [point, after, expected] :
       std::vector<std::tuple<std::string, int, int>>{{"restore:after_file", 1, kOld},
                                                      {"restore:after_file", 4, kOld},
                                                      {"restore:after_unpack", 1, kOld},
                                                      {"restore:after_check", 1, kOld},
                                                      {"restore:after_journal", 1, kNew},
                                                      {"restore:after_move_old", 1, kNew},
                                                      {"restore:after_move_new", 1, kNew}}) {
    ResetDataDir();
    RunOptions crash;
    crash.env["ROXI_TEST_CRASH_AT"] = point;
    crash.env["ROXI_TEST_CRASH_AFTER"] = std::to_string(after);
    RunResult r = Roxi("restore", {archive_, "--force"}, crash);
    EXPECT_EQ(r.exit_code, 128 + SIGKILL) << point << ": " << r.err;
    EXPECT_EQ(CheckedDocuments(point), expected) << point << " " << after;
    if (expected == kNew) {
      // The swap was finished, keeping the old store beside it.
      int previous = 0;
      for (const auto& e : fs::directory_iterator(dir_.path())) {
        previous += e.path().filename().string().starts_with("data.before-restore-");
      }
      EXPECT_EQ(previous, 1) << point;
    }
  }
}

}  // namespace
}  // namespace roxi::testing
