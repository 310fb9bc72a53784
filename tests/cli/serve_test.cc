// roxi serve with the real binary: work arriving while it serves, deep sleep, kill -9 under load,
// poisoned documents, embedder outages, load pauses, and bad input.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <random>
#include <set>
#include <thread>

#include "storage/store.h"
#include "tests/cli/serve_fixture.h"
#include "tests/cli/store_census.h"

namespace roxi::testing {
namespace {

bool NothingPending(const nlohmann::json& s) {
  return s.value("pending", 1) == 0 && s.value("chunks", 0) > 0;
}

TEST_F(ServeTest, WorkIngestedWhileServingIsEmbeddedOnce) {
  auto server = StartServe();
  ASSERT_TRUE(server->Running());
  // 5,000+ chunks posted in ten bursts through the running server.
  for (int burst = 0; burst < 10; ++burst) {
    WriteDocuments("burst" + std::to_string(burst), burst * 50, 50);
    RunResult r = Roxi("ingest", {docs_dir() + "/burst" + std::to_string(burst)});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("through roxi pid"), std::string::npos) << r.out;
  }
  auto status = WaitForStatus(NothingPending);
  EXPECT_GE(status["chunks"].get<int>(), 5000);
  EXPECT_EQ(status["embedded"], status["chunks"]);
  EXPECT_EQ(status["percent_complete"], 100.0);
  EXPECT_EQ(status["server"]["pid"], server->pid());

  // Search answers from the server's index.
  auto search = RoxiJson("search", {"lantern harbor", "-k", "3"});
  EXPECT_EQ(search["results"].size(), 3u);

  EXPECT_EQ(StopServe(&server), 0);
  EXPECT_FALSE(std::filesystem::exists(data_dir() + "/roxi.server"));
  Census c = TakeCensus(data_dir());
  ExpectConsistent(c);
  EXPECT_EQ(c.vectors, c.chunks);
  EXPECT_EQ(c.checkpoint_embedded, c.chunks);  // none embedded twice
}

TEST_F(ServeTest, IdleServerDeepSleepsGivingMemoryBackAndWakesOnSearch) {
  // A store of >= 50k vectors, built without the server.
  WriteDocuments("big", 0, 5000, 10);
  ASSERT_EQ(Roxi("ingest", {docs_dir() + "/big"}).exit_code, 0);
  ASSERT_EQ(Roxi("process", {"--quiet"}).exit_code, 0);
  ASSERT_GE(Status()["embedded"].get<int>(), 50000);

  auto server = StartServe({"--deep-sleep-after", "2"});
  // A search loads the index: the server is awake and holds it.
  ASSERT_EQ(RoxiJson("search", {"copper meadow"})["results"].size(), 5u);
  const uint64_t awake = ResidentBytesOf(server->pid());
  auto status = WaitForStatus([](const nlohmann::json& s) { return s["state"] == "deep-sleep"; });
  EXPECT_FALSE(status["server"]["index_loaded"].get<bool>());
  const uint64_t asleep = ResidentBytesOf(server->pid());
  RecordProperty("awake_rss", std::to_string(awake));
  RecordProperty("deep_sleep_rss", std::to_string(asleep));
  EXPECT_LT(static_cast<double>(asleep), 0.4 * static_cast<double>(awake))
      << "awake " << awake << " bytes, deep sleep " << asleep << " bytes";

  // A search wakes it and still answers.
  EXPECT_EQ(RoxiJson("search", {"copper meadow"})["results"].size(), 5u);
  WaitForStatus([](const nlohmann::json& s) { return s["state"] != "deep-sleep"; }, 30);
  EXPECT_EQ(StopServe(&server), 0);
}

TEST_F(ServeTest, SleepAndWakeOnRequest) {
  WriteDocuments("few", 0, 3);
  auto server = StartServe();
  ASSERT_EQ(Roxi("ingest", {docs_dir() + "/few"}).exit_code, 0);
  WaitForStatus(NothingPending);
  ASSERT_EQ(Roxi("sleep", {"--deep"}).exit_code, 0);
  WaitForStatus([](const nlohmann::json& s) { return s["state"] == "deep-sleep"; }, 30);
  ASSERT_EQ(Roxi("wake").exit_code, 0);
  WaitForStatus([](const nlohmann::json& s) { return s["state"] != "deep-sleep"; }, 30);
  // New work also wakes it.
  ASSERT_EQ(Roxi("sleep").exit_code, 0);
  WaitForStatus([](const nlohmann::json& s) { return s["state"] == "deep-sleep"; }, 30);
  WriteDocuments("more", 100, 2);
  ASSERT_EQ(Roxi("ingest", {docs_dir() + "/more"}).exit_code, 0);
  WaitForStatus(NothingPending, 30);
  EXPECT_EQ(StopServe(&server), 0);
}

TEST_F(ServeTest, KillNineUnderLoadLosesNoAcknowledgedDocumentAndEmbedsEachChunkOnce) {
  std::mt19937 rng(4242);
  std::set<std::string> acknowledged;
  for (int trial = 0; trial < 30; ++trial) {
    auto server = StartServe();
    if (!server->Running()) break;
    const std::string folder = "trial" + std::to_string(trial);
    WriteDocuments(folder, trial * 20, 20, 6);
    RunResult r = Roxi("ingest", {docs_dir() + "/" + folder});
    if (r.exit_code == 0) {
      for (int d = trial * 20; d < trial * 20 + 20; ++d) {
        acknowledged.insert(std::filesystem::weakly_canonical(
                                docs_dir() + "/" + folder + "/doc" + std::to_string(d) + ".txt")
                                .string());
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(rng() % 300));
    server->Kill(SIGKILL);
    server->Wait();
    ExpectConsistent(TakeCensus(data_dir()));
  }
  EXPECT_EQ(acknowledged.size(), 600u);

  auto server = StartServe();
  WaitForStatus(NothingPending);
  EXPECT_EQ(StopServe(&server), 0);
  Census c = TakeCensus(data_dir());
  ExpectConsistent(c);
  EXPECT_EQ(c.pending_entries, 0u);
  EXPECT_EQ(c.vectors, c.chunks);
  EXPECT_EQ(c.checkpoint_embedded, c.chunks);

  storage::StoreOptions options;
  options.data_dir = data_dir();
  options.mode = storage::StoreOptions::Mode::kReadOnly;
  auto store = storage::Store::Open(options);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  for (const auto& name : acknowledged) {
    auto id = (*store)->LookupName(name);
    ASSERT_TRUE(id.ok()) << name << ": " << id.status().ToString();
    auto document = (*store)->GetDocument(*id);
    ASSERT_TRUE(document.ok());
    for (uint32_t i = 0; i < document->chunk_count; ++i) {
      auto chunk = (*store)->GetChunk(format::MakeChunkId(*id, i));
      ASSERT_TRUE(chunk.ok()) << name << " chunk " << i;
      EXPECT_EQ(chunk->state, format::ChunkState::kEmbedded) << name << " chunk " << i;
    }
  }
}

TEST_F(ServeTest, PoisonedDocumentFailsWhileTheOthersFinishAndCanBeRetried) {
  WriteDocuments("good", 0, 5, 3);
  WriteDoc("bad/poison.txt", "This document carries the POISON-PILL marker the test embedder refuses.");
  auto server = StartServe({"--max-attempts", "2"}, {{"ROXI_TEST_EMBEDDER_REJECT", "POISON-PILL"}});
  ASSERT_EQ(Roxi("ingest", {docs_dir()}).exit_code, 0);
  auto status = WaitForStatus([](const nlohmann::json& s) { return s.value("pending", 1) == 0; });
  EXPECT_EQ(status["failed"], 1);
  EXPECT_EQ(status["embedded"].get<int>() + 1, status["chunks"].get<int>());
  ASSERT_EQ(status["failures_by_reason"].size(), 1u);
  EXPECT_NE(status["failures_by_reason"][0]["reason"].get<std::string>().find("fault injection"),
            std::string::npos);
  EXPECT_EQ(StopServe(&server), 0);

  // Without the fault, --retry-failed queues it again and it is embedded.
  server = StartServe();
  auto retried = RoxiJson("process", {"--retry-failed", "--quiet"});
  EXPECT_EQ(retried["requeued"], 1);
  status = WaitForStatus(NothingPending);
  EXPECT_EQ(status["failed"], 0);
  EXPECT_EQ(status["embedded"], status["chunks"]);
  EXPECT_EQ(StopServe(&server), 0);
}

TEST_F(ServeTest, EmbedderOutageBacksOffWithoutBurningRetries) {
  const std::string outage = dir_.Sub("outage");
  WriteFile(outage, "down");
  WriteDocuments("docs", 0, 3, 3);
  auto server = StartServe({"--max-attempts", "1", "--outage-backoff-max", "1"},
                           {{"ROXI_TEST_EMBEDDER_OUTAGE_FILE", outage}});
  ASSERT_EQ(Roxi("ingest", {docs_dir() + "/docs"}).exit_code, 0);
  auto status = WaitForStatus([](const nlohmann::json& s) { return s["state"] == "backoff"; });
  EXPECT_NE(status["pause_reason"].get<std::string>().find("embedder unavailable"), std::string::npos);
  EXPECT_EQ(status["failed"], 0);  // an outage charges no chunk an attempt
  std::filesystem::remove(outage);
  status = WaitForStatus(NothingPending);
  EXPECT_EQ(status["failed"], 0);
  EXPECT_EQ(status["embedded"], status["chunks"]);
  EXPECT_EQ(StopServe(&server), 0);
}

TEST_F(ServeTest, PausesUnderLoadAndResumesWhenTheThresholdIsRaised) {
  std::filesystem::create_directories(data_dir());
  const std::string conf = data_dir() + "/roxi.conf";
  WriteFile(conf, "# no machine has this much memory free\nmin-memory-available = 99.999\n");
  // The quick options disable load checks on the command line, which beats the file: start
  // without them for this one option by giving it in the file only.
  std::vector<std::string> args{"serve", "--data-dir", data_dir(), "--ingest-root",
                                dir_.path().string()};
  for (const auto& a : QuickOptions()) args.push_back(a);
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--min-memory-available") {
      args.erase(args.begin() + static_cast<long>(i), args.begin() + static_cast<long>(i) + 2);
      break;
    }
  }
  auto server = std::make_unique<BackgroundProcess>(RoxiBinary(), args, std::map<std::string, std::string>{},
                                                    server_log());
  auto status = WaitForStatus([](const nlohmann::json& s) { return s.value("state", "") == "paused"; });
  EXPECT_NE(status["pause_reason"].get<std::string>().find("memory available"), std::string::npos);
  WriteDocuments("docs", 0, 2, 3);
  ASSERT_EQ(Roxi("ingest", {docs_dir() + "/docs"}).exit_code, 0);
  status = Status();
  EXPECT_GT(status["pending"].get<int>(), 0);
  EXPECT_EQ(status["state"], "paused");

  WriteFile(conf, "min-memory-available = 0\n");
  server->Kill(SIGHUP);
  status = WaitForStatus(NothingPending);
  EXPECT_NE(status["state"], "paused");
  EXPECT_EQ(StopServe(&server), 0);
}

TEST_F(ServeTest, SecondServerOnTheSameDirectoryIsRefused) {
  auto server = StartServe();
  RunResult second = RunRoxi({"serve", "--data-dir", data_dir(), "--log-file", "-"});
  EXPECT_EQ(second.exit_code, 5);
  EXPECT_NE(second.err.find("already served by roxi pid " + std::to_string(server->pid())),
            std::string::npos)
      << second.err;
  EXPECT_EQ(StopServe(&server), 0);
}

TEST_F(ServeTest, PortInUseIsAClearError) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(listen(fd, 1), 0);
  socklen_t len = sizeof addr;
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  const std::string listen_at = "127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
  RunResult r = RunRoxi({"serve", "--data-dir", data_dir(), "--listen", listen_at, "--log-file", "-"});
  close(fd);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(listen_at), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(data_dir() + "/roxi.server"));
}

TEST_F(ServeTest, UnusableDataDirectoryAndBadOptionsAreClearErrors) {
  const std::string file = WriteDoc("plain.txt", "not a directory");
  RunResult under_file = RunRoxi({"serve", "--data-dir", file + "/data", "--log-file", "-"});
  EXPECT_EQ(under_file.exit_code, 4);
  EXPECT_NE(under_file.err.find(file), std::string::npos) << under_file.err;

  RunResult listen = RunRoxi({"serve", "--data-dir", data_dir(), "--listen", "nowhere"});
  EXPECT_EQ(listen.exit_code, 2);
  EXPECT_NE(listen.err.find("nowhere"), std::string::npos) << listen.err;
  RunResult poll = RunRoxi({"serve", "--data-dir", data_dir(), "--poll-min", "5", "--poll-max", "1"});
  EXPECT_EQ(poll.exit_code, 2);
  EXPECT_FALSE(std::filesystem::exists(data_dir() + "/db"));
}

TEST_F(ServeTest, MalformedOrUnknownConfigIsRefusedAndNothingIsWritten) {
  std::filesystem::create_directories(data_dir());
  WriteFile(data_dir() + "/roxi.conf", "poll-min = 0.1\nfrobnicate = 3\n");
  RunResult unknown = RunRoxi({"serve", "--data-dir", data_dir()});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("frobnicate"), std::string::npos) << unknown.err;
  EXPECT_NE(unknown.err.find("roxi.conf"), std::string::npos) << unknown.err;
  WriteFile(data_dir() + "/roxi.conf", "this line has no equals sign\n");
  RunResult malformed = RunRoxi({"serve", "--data-dir", data_dir()});
  EXPECT_EQ(malformed.exit_code, 2);
  EXPECT_NE(malformed.err.find("roxi.conf"), std::string::npos) << malformed.err;
  EXPECT_FALSE(std::filesystem::exists(data_dir() + "/db"));
  EXPECT_FALSE(std::filesystem::exists(data_dir() + "/roxi.server"));
}

TEST_F(ServeTest, WatchedFolderIsIngestedAsFilesAppearAndChange) {
  const std::string watched = docs_dir() + "/watched";
  WriteDoc("watched/before.md", "Written before the server started: lighthouses and reefs.");
  auto server = StartServe({"--watch", watched});
  WaitForStatus([](const nlohmann::json& s) { return s["documents"] == 1 && NothingPending(s); }, 30);

  WriteDoc("watched/new.md", "Glaciers carve valleys as they creep downhill.");
  WaitForStatus([](const nlohmann::json& s) { return s["documents"] == 2 && NothingPending(s); }, 30);

  WriteDoc("watched/sub/deeper.md", "A new folder appears with a note about espresso grind size.");
  WaitForStatus([](const nlohmann::json& s) { return s["documents"] == 3 && NothingPending(s); }, 30);

  WriteDoc("watched/before.md", "Rewritten: zebras graze the savanna beside the wildebeest.");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  std::string top;
  while (std::chrono::steady_clock::now() < deadline) {
    auto search = RoxiJson("search", {"zebras savanna wildebeest", "-k", "1"});
    if (!search["results"].empty()) top = search["results"][0]["snippet"].get<std::string>();
    if (top.find("zebras") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_NE(top.find("zebras"), std::string::npos) << top;
  EXPECT_EQ(Status()["documents"], 3);
  EXPECT_EQ(StopServe(&server), 0);
}

TEST_F(ServeTest, WatchOfAMissingFolderIsRefusedBeforeAnythingIsWritten) {
  RunResult r = RunRoxi({"serve", "--data-dir", data_dir(), "--watch", dir_.Sub("nowhere")});
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_NE(r.err.find("nowhere"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(data_dir()));
}

TEST_F(ServeTest, StatusWatchRedrawsUntilInterrupted) {
  WriteDocuments("docs", 0, 2, 2);
  ASSERT_EQ(Roxi("ingest", {docs_dir() + "/docs"}).exit_code, 0);
  const std::string log = dir_.Sub("watch.log");
  BackgroundProcess watch(RoxiBinary(), {"status", "--watch", "--data-dir", data_dir()}, {}, log);
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  ASSERT_TRUE(watch.Running()) << ReadFile(log);
  watch.Kill(SIGINT);
  EXPECT_EQ(watch.Wait(), 0);
  const std::string out = ReadFile(log);
  EXPECT_NE(out.find("chunks"), std::string::npos) << out;
  EXPECT_NE(out.find("eta"), std::string::npos) << out;
}

}  // namespace
}  // namespace roxi::testing
