// Backups, restores and recovery with a running `roxi serve`, with the real binary: a backup taken
// through the server while searches are answered, a restore refused into a served directory and
// the --stop-server path, scheduled backups with retention, automatic recovery of a store that
// lost an SST file, and --no-auto-restore.
#include <httplib.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "format/server_file.h"
#include "tests/cli/serve_fixture.h"
#include "tests/cli/store_census.h"

namespace roxi::testing {
namespace {

namespace fs = std::filesystem;

// Whether a status comes from a server that has restored its store (an offline status, read
// while the server restarts, has no recoveries).
bool Recovered(const nlohmann::json& s) {
  return s.contains("recoveries") && !s["recoveries"].empty();
}

bool AllEmbedded(const nlohmann::json& s, int documents) {
  return s.value("documents", 0) == documents && s.value("pending", 1) == 0 &&
         s.value("chunks", 0) > 0;
}

class ServeBackupTest : public ServeTest {
 protected:
  std::string Backups() const { return data_dir() + ".backups"; }

  static std::vector<std::string> Archives(const std::string& folder) {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(folder, ec)) {
      if (e.path().string().ends_with(".roxibak")) out.push_back(e.path().string());
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  // The SST files of the store, largest first.
  std::vector<fs::path> SstFiles() const {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(data_dir() + "/db")) {
      if (e.path().extension() == ".sst") out.push_back(e.path());
    }
    std::sort(out.begin(), out.end(),
              [](const fs::path& a, const fs::path& b) { return fs::file_size(a) > fs::file_size(b); });
    return out;
  }

  // GET `path` from the server named in roxi.server.
  std::string HttpGet(const std::string& path) {
    auto record = format::DecodeServerFile(ReadFile(data_dir() + "/roxi.server"));
    EXPECT_TRUE(record.ok());
    if (!record.ok()) return "";
    httplib::Client client(record->host, static_cast<int>(record->port));
    auto res = client.Get(path);
    EXPECT_TRUE(res) << "GET " << path;
    if (!res) return "";
    EXPECT_EQ(res->status, 200) << res->body;
    return res->body;
  }

  // The names of the documents a search for `query` finds first.
  std::set<std::string> SearchDocuments(const std::string& query) {
    nlohmann::json doc = RoxiJson("search", {query, "-k", "3"});
    std::set<std::string> out;
    for (const auto& r : doc["results"]) out.insert(r.value("document", std::string()));
    return out;
  }
};

TEST_F(ServeBackupTest, BackupThroughRunningServerWhileSearchesAreAnswered) {
  WriteDocuments("a", 0, 40);
  auto server = StartServe();
  ASSERT_EQ(Roxi("ingest", {docs_dir() + "/a"}).exit_code, 0);
  WaitForStatus([](const nlohmann::json& s) { return AllEmbedded(s, 40); });

  // Searches run throughout the backup; every one must be answered.
  std::atomic<bool> done{false};
  std::atomic<int> answered{0}, failed{0};
  std::thread searcher([&] {
    while (!done.load()) {
      RunResult r = Roxi("search", {"lantern harbor", "-k", "3", "--json"});
      (r.exit_code == 0 ? answered : failed).fetch_add(1);
    }
  });
  RunResult backup = Roxi("backup", {"--json"});
  done.store(true);
  searcher.join();
  ASSERT_EQ(backup.exit_code, 0) << backup.out << backup.err;
  EXPECT_EQ(failed.load(), 0);
  EXPECT_GT(answered.load(), 0);
  const nlohmann::json online = nlohmann::json::parse(backup.out);
  EXPECT_EQ(online["documents"], 40);
  EXPECT_EQ(fs::path(online["path"].get<std::string>()).parent_path(), fs::path(Backups()));
  ASSERT_EQ(Archives(Backups()).size(), 1u);
  EXPECT_TRUE(server->Running());

  // The server counts it, and the archive verifies.
  nlohmann::json status = Status();
  EXPECT_EQ(status["backups"]["ok"], 1);
  EXPECT_EQ(status["backups"]["last_name"], online["name"]);
  RunResult verify = RunRoxi({"verify", "--archive", online["path"].get<std::string>()});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  EXPECT_EQ(StopServe(&server), 0);

  // The offline path reports the same document, field for field.
  const nlohmann::json offline = RoxiJson("backup", {"--full"});
  std::set<std::string> online_keys, offline_keys;
  for (const auto& [k, v] : online.items()) online_keys.insert(k);
  for (const auto& [k, v] : offline.items()) offline_keys.insert(k);
  EXPECT_EQ(online_keys, offline_keys);
  EXPECT_EQ(offline["documents"], online["documents"]);
}

TEST_F(ServeBackupTest, RestoreIsRefusedWhileServedUnlessTheServerIsAskedToStop) {
  WriteDocuments("a", 0, 10);
  auto server = StartServe();
  ASSERT_EQ(Roxi("ingest", {docs_dir() + "/a"}).exit_code, 0);
  WaitForStatus([](const nlohmann::json& s) { return AllEmbedded(s, 10); });
  const std::string archive = RoxiJson("backup")["path"];

  RunResult refused = Roxi("restore", {archive, "--force"});
  EXPECT_EQ(refused.exit_code, 5) << refused.out << refused.err;
  EXPECT_NE(refused.err.find("served by roxi pid " + std::to_string(server->pid()) + " at 127.0.0.1:"),
            std::string::npos)
      << refused.err;
  EXPECT_NE(refused.err.find("--stop-server"), std::string::npos) << refused.err;
  EXPECT_TRUE(server->Running());
  EXPECT_EQ(Status()["documents"], 10);

  RunResult restored = Roxi("restore", {archive, "--force", "--stop-server", "--json"});
  ASSERT_EQ(restored.exit_code, 0) << restored.out << restored.err;
  // The server stopped cleanly on request, and the data directory holds the archive's store.
  for (int i = 0; i < 200 && server->Running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_FALSE(server->Running());
  EXPECT_EQ(server->Wait(), 0);
  EXPECT_FALSE(fs::exists(data_dir() + "/roxi.server"));
  const nlohmann::json r = nlohmann::json::parse(restored.out);
  EXPECT_FALSE(r["previous_dir"].is_null());
  Census c = TakeCensus(data_dir());
  ExpectConsistent(c);
  EXPECT_EQ(c.counters.documents, 10u);
}

TEST_F(ServeBackupTest, ScheduledBackupsSkipAnUnchangedStoreAndRetentionPrunes) {
  auto server = StartServe({"--backup-every", "1s", "--backup-full-every", "2", "--keep-last", "1",
                            "--keep-daily", "0", "--keep-weekly", "0"});
  // The empty new store is backed up at once; then four changes, each followed by a backup.
  for (int round = 1; round <= 4; ++round) {
    WriteDocuments("r" + std::to_string(round), round * 10, 1);
    ASSERT_EQ(Roxi("ingest", {docs_dir() + "/r" + std::to_string(round)}).exit_code, 0);
    WaitForStatus([&](const nlohmann::json& s) {
      return AllEmbedded(s, round) && s.contains("backups") &&
             s["backups"]["ok"].get<int>() >= round + 1;
    }, 60);
  }
  // Nothing changes any more: the next due backups are skipped.
  nlohmann::json status = WaitForStatus(
      [](const nlohmann::json& s) {
        return s.contains("backups") && s["backups"]["skipped_unchanged"].get<int>() >= 1;
      },
      30);
  const int taken = status["backups"]["ok"].get<int>();
  EXPECT_GE(taken, 5);
  EXPECT_EQ(status["backups"]["failed"], 0);
  EXPECT_FALSE(status["backups"]["next_due"].is_null());
  EXPECT_EQ(status["backups"]["folder"], Backups());

  // keep-last 1 with a full archive every second backup: at most the newest archive and the full
  // one it refers to remain; everything older was pruned.
  const auto archives = Archives(Backups());
  EXPECT_LE(archives.size(), 2u);
  EXPECT_GE(status["backups"]["pruned"].get<int>(), taken - 2);
  EXPECT_EQ(fs::path(archives.back()).filename().string(), status["backups"]["last_name"]);
  nlohmann::json listing = RoxiJson("backup", {"list"});
  EXPECT_EQ(listing["archives"].size(), archives.size());
  EXPECT_EQ(listing["archives"][0]["documents"], 4);
  for (const auto& a : listing["archives"]) EXPECT_EQ(a["verification"], "clean") << a.dump();
  RunResult verify = RunRoxi({"verify", "--archive", archives.back()});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;

  const std::string metrics = HttpGet("/metrics");
  EXPECT_NE(metrics.find("roxi_backups_total{result=\"ok\"} " + std::to_string(taken)),
            std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("roxi_documents 4\n"), std::string::npos) << metrics;
  EXPECT_EQ(StopServe(&server), 0);
}

TEST_F(ServeBackupTest, LostSstFileIsRestoredAndLaterDocumentsIngestedAgain) {
  const std::string watched = docs_dir() + "/watched";
  WriteDocuments("watched", 0, 20);
  auto server = StartServe({"--watch", watched});
  WaitForStatus([](const nlohmann::json& s) { return AllEmbedded(s, 20); });
  ASSERT_EQ(RoxiJson("backup")["documents"], 20);

  // Documents added after the archive: ten in the watched folder, one named on the command line.
  WriteDocuments("watched", 100, 10);
  const std::string outside =
      WriteDoc("outside/late.txt", GeneratedParagraph(424242, 200) + "\n\nquokka zeppelin\n");
  ASSERT_EQ(Roxi("ingest", {outside}).exit_code, 0);
  WaitForStatus([](const nlohmann::json& s) { return AllEmbedded(s, 31); });
  ASSERT_EQ(StopServe(&server), 0);

  // An SST file vanishes while the server is down.
  const auto ssts = SstFiles();
  ASSERT_FALSE(ssts.empty());
  fs::remove(ssts.front());

  server = StartServe({"--watch", watched});
  ASSERT_TRUE(server->Running());
  nlohmann::json status = WaitForStatus([](const nlohmann::json& s) {
    return s.value("documents", 0) >= 30 && s.value("pending", 1) == 0 && Recovered(s);
  }, 120);
  ASSERT_EQ(status["recoveries"].size(), 1u) << status.dump();
  const nlohmann::json& recovery = status["recoveries"][0];
  EXPECT_NE(recovery["archive"].get<std::string>().find(".roxibak"), std::string::npos);
  EXPECT_NE(recovery["reason"].get<std::string>(), "");
  EXPECT_TRUE(recovery["lost"].empty()) << recovery.dump();
  EXPECT_TRUE(fs::exists(recovery["damaged_store_kept_in"].get<std::string>()));
  EXPECT_FALSE(status["health"]["alarm"].get<bool>());

  // Everything is searchable again: an archived document, a later watched one, the later one
  // named on the command line.
  EXPECT_TRUE(SearchDocuments(GeneratedParagraph(3 * 1000, 150).substr(0, 120))
                  .count(watched + "/doc3.txt"));
  EXPECT_TRUE(SearchDocuments(GeneratedParagraph(105 * 1000 + 1, 150).substr(0, 120))
                  .count(watched + "/doc105.txt"));
  // The one named on the command line comes back if the damaged store could still list it;
  // otherwise the recovery says that documents outside watched folders could not be listed.
  if (!SearchDocuments(GeneratedParagraph(424242, 200).substr(0, 120)).count(outside)) {
    EXPECT_NE(recovery["note"].get<std::string>().find("could not be read"), std::string::npos)
        << recovery.dump();
  }
  const std::string metrics = HttpGet("/metrics");
  EXPECT_NE(metrics.find("roxi_recoveries_total 1\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("roxi_store_alarm 0\n"), std::string::npos) << metrics;
  EXPECT_NE(Roxi("status").out.find("recovered:"), std::string::npos);
  EXPECT_EQ(StopServe(&server), 0);
  Census c = TakeCensus(data_dir());
  ExpectConsistent(c);
  EXPECT_GE(c.counters.documents, 30u);
}

TEST_F(ServeBackupTest, DamageFoundWhileServingIsRestoredOnTheSameAddress) {
  const std::string watched = docs_dir() + "/watched";
  WriteDocuments("watched", 0, 10);
  auto server = StartServe({"--watch", watched, "--check-every", "0.2"});
  WaitForStatus([](const nlohmann::json& s) { return AllEmbedded(s, 10); });
  ASSERT_EQ(RoxiJson("backup")["documents"], 10);
  WriteDocuments("watched", 100, 5);
  WaitForStatus([](const nlohmann::json& s) { return AllEmbedded(s, 15); });
  const std::string address = ReadFile(data_dir() + "/roxi.server");

  // An SST file vanishes under the running server: the next health check raises the alarm, and
  // the server restores the archive, ingests the later files again and serves on.
  const auto ssts = SstFiles();
  ASSERT_FALSE(ssts.empty());
  fs::remove(ssts.front());
  nlohmann::json status = WaitForStatus([](const nlohmann::json& s) {
    return Recovered(s) && AllEmbedded(s, 15);
  }, 60);
  EXPECT_TRUE(server->Running());
  EXPECT_EQ(status["server"]["pid"], server->pid());
  EXPECT_FALSE(status["health"]["alarm"].get<bool>());
  EXPECT_NE(status["recoveries"][0]["reason"].get<std::string>().find(".sst"), std::string::npos)
      << status["recoveries"].dump();
  EXPECT_EQ(format::DecodeServerFile(ReadFile(data_dir() + "/roxi.server"))->port,
            format::DecodeServerFile(address)->port);
  EXPECT_NE(ReadFile(server_log()).find("ALARM: store damaged"), std::string::npos);
  EXPECT_TRUE(SearchDocuments(GeneratedParagraph(102 * 1000 + 1, 150).substr(0, 120))
                  .count(watched + "/doc102.txt"));
  EXPECT_EQ(StopServe(&server), 0);
  ExpectConsistent(TakeCensus(data_dir()));
}

TEST_F(ServeBackupTest, NoAutoRestoreLeavesADamagedStoreAloneAndExits3) {
  WriteDocuments("a", 0, 10);
  ASSERT_EQ(Roxi("ingest", {docs_dir() + "/a"}).exit_code, 0);
  ASSERT_EQ(Roxi("process", {"--quiet"}).exit_code, 0);
  ASSERT_EQ(Roxi("backup").exit_code, 0);
  const auto ssts = SstFiles();
  ASSERT_FALSE(ssts.empty());
  fs::remove(ssts.front());
  std::set<std::string> before;
  for (const auto& e : fs::directory_iterator(dir_.Sub(""))) before.insert(e.path().filename());

  std::vector<std::string> args{"serve", "--data-dir", data_dir(), "--no-auto-restore"};
  for (const auto& a : QuickOptions()) args.push_back(a);
  RunOptions run;
  run.timeout_seconds = 60;
  RunResult r = RunRoxi(args, run);
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_NE(r.err.find("automatic restore is off"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("store damaged"), std::string::npos) << r.err;
  // Nothing was restored or moved: the same entries, the SST still missing.
  std::set<std::string> after;
  for (const auto& e : fs::directory_iterator(dir_.Sub(""))) after.insert(e.path().filename());
  EXPECT_EQ(before, after);
  EXPECT_FALSE(fs::exists(ssts.front()));
}

}  // namespace
}  // namespace roxi::testing
