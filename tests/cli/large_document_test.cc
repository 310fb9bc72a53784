// Documents larger than one ingest batch (staged ingest, FORMAT.md §3.9), end to end: kill -9 at
// random instants of an ingest and of a replacement leaves one whole version of the document,
// searches during a replacement never mix its versions, and bad input late in a big file leaves
// nothing behind. ROXI_TEST_INGEST_BATCH_BYTES makes a few MiB "big", so each test stays short.
#include <signal.h>

#include <chrono>
#include <random>
#include <set>
#include <thread>

#include "format/hash.h"
#include "storage/store.h"
#include "tests/cli/cli_fixture.h"
#include "tests/cli/store_census.h"

namespace roxi::testing {
namespace {

constexpr const char* kMarkers[] = {"quokkaone", "quokkatwo"};

// Version `v` (0 or 1) of the big document: ~3 MB of paragraphs, each ending in the version's
// marker, so every chunk of it says which version it comes from.
std::string Version(int v) {
  std::string text;
  for (int p = 0; p < 3000; ++p) {
    text += GeneratedParagraph(static_cast<uint64_t>(v) * 100000 + p, 140) + " " + kMarkers[v] +
            ".\n\n";
  }
  return text;
}

class LargeDocumentTest : public CliTest {
 protected:
  const std::map<std::string, std::string> kEnv = {{"ROXI_TEST_INGEST_BATCH_BYTES", "65536"}};

  RunResult Ingest(const std::string& path, std::vector<std::string> more = {}) {
    more.push_back(path);
    RunOptions options;
    options.env = kEnv;
    return Roxi("ingest", more, options);
  }
  std::vector<std::string> IngestArgs(const std::string& path) {
    return {"ingest", "--data-dir", data_dir(), path};
  }

  // Opens the store as the next command would (which finishes or drops what a killed one left)
  // and returns which version `name` holds, checking that it is there whole and alone.
  int WholeVersion(const std::string& name) {
    storage::StoreOptions options;
    options.data_dir = data_dir();
    options.sync_writes = false;
    auto store = storage::Store::Open(options);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    if (!store.ok()) return -1;
    auto id = (*store)->LookupName(name);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    if (!id.ok()) return -1;
    auto doc = (*store)->GetDocument(*id);
    EXPECT_TRUE(doc.ok());
    if (!doc.ok()) return -1;
    int version = -1;
    for (int v : {0, 1}) {
      if (doc->content_hash == format::Xxh3(Version(v))) version = v;
    }
    EXPECT_NE(version, -1) << "the document is neither version";
    uint32_t chunks = 0;
    bool strays = false;
    bool wrong_marker = false;
    EXPECT_TRUE((*store)
                    ->ForEachChunk([&](format::ChunkId c, const format::ChunkRecord& r) {
                      if (format::DocumentOf(c) != *id) {
                        strays = true;
                        return Status::OK();
                      }
                      ++chunks;
                      if (version >= 0 && r.text.find(kMarkers[1 - version]) != std::string::npos) {
                        wrong_marker = true;
                      }
                      return Status::OK();
                    })
                    .ok());
    EXPECT_FALSE(strays) << "chunks of another document id remain";
    EXPECT_FALSE(wrong_marker) << "a chunk of the other version";
    EXPECT_EQ(chunks, doc->chunk_count);
    EXPECT_GT(chunks, 2048u);  // more than one bounded step of the switch
    return version;
  }

  void ExpectVerifyClean() {
    RunResult v = Roxi("verify");
    EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  }

  // The markers found in the results of a search for both, for document `name`.
  std::set<std::string> MarkersFound(const std::string& name) {
    RunResult r =
        Roxi("search", {"quokkaone quokkatwo", "--k", "1000", "--snippet-bytes", "4000", "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::set<std::string> found;
    if (r.exit_code != 0) return found;
    const nlohmann::json reply = nlohmann::json::parse(r.out);
    for (const auto& result : reply["results"]) {
      if (result["document"] != name) continue;
      const std::string snippet = result["snippet"];
      for (const char* m : kMarkers) {
        if (snippet.find(m) != std::string::npos) found.insert(m);
      }
    }
    return found;
  }
};

TEST_F(LargeDocumentTest, AStagedDocumentHasTheChunksOfAWholeOne) {
  const std::string text = Version(0);
  const std::string path = WriteDoc("big.txt", text);
  auto staged = RoxiJson("ingest", {path}, RunOptions{kEnv, "", 300});
  EXPECT_EQ(staged["created"], 1);
  // The same text ingested whole (default batch size) into another store.
  const std::string other = dir_.Sub("other");
  RunResult whole = RunRoxi({"ingest", "--data-dir", other, path});
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  std::vector<std::string> texts[2];
  int i = 0;
  for (const std::string& dir : {data_dir(), other}) {
    storage::StoreOptions options;
    options.data_dir = dir;
    options.mode = storage::StoreOptions::Mode::kReadOnly;
    auto store = storage::Store::Open(options);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)
                    ->ForEachChunk([&](format::ChunkId, const format::ChunkRecord& r) {
                      texts[i].push_back(r.text);
                      return Status::OK();
                    })
                    .ok());
    ++i;
  }
  EXPECT_GT(texts[0].size(), 2048u);
  EXPECT_EQ(texts[0], texts[1]);
  ExpectVerifyClean();
  // Unchanged: nothing is staged again.
  auto again = RoxiJson("ingest", {path}, RunOptions{kEnv, "", 300});
  EXPECT_EQ(again["unchanged"], 1);
}

TEST_F(LargeDocumentTest, KillNineDuringIngestAndReplacementLeavesOneWholeVersion) {
  const std::string path = docs_dir() + "/big.txt";
  // Calibration: one uninterrupted creation and one replacement.
  WriteFile(path, Version(0));
  ASSERT_EQ(Ingest(path).exit_code, 0);
  WriteFile(path, Version(1));
  const auto start = std::chrono::steady_clock::now();
  ASSERT_EQ(BackgroundProcess(RoxiBinary(), IngestArgs(path), kEnv).Wait(), 0);
  const auto run_micros =
      std::max<int64_t>(2000, std::chrono::duration_cast<std::chrono::microseconds>(
                                  std::chrono::steady_clock::now() - start)
                                  .count());
  int current = 1;
  std::mt19937 rng(20261202);
  int killed = 0;
  for (int trial = 0; trial < 24; ++trial) {
    SCOPED_TRACE("trial " + std::to_string(trial));
    const int next = 1 - current;
    WriteFile(path, Version(next));
    BackgroundProcess ingest(RoxiBinary(), IngestArgs(path), kEnv);
    std::this_thread::sleep_for(std::chrono::microseconds(rng() % run_micros));
    if (ingest.Running()) {
      ingest.Kill(SIGKILL);
      ++killed;
    }
    ingest.Wait();
    // As the killed process left it, read beside nothing: verify knows stages in flight.
    ExpectVerifyClean();
    const int version = WholeVersion(path);
    ASSERT_TRUE(version == current || version == next) << version;
    current = version;
    ExpectConsistent(TakeCensus(data_dir()));
  }
  EXPECT_GE(killed, 12);
  // Whatever version is left is searchable once processed, and only it.
  ASSERT_EQ(Roxi("process", {"--quiet"}).exit_code, 0);
  const std::set<std::string> found = MarkersFound(path);
  EXPECT_EQ(found, std::set<std::string>{kMarkers[current]});
  ExpectVerifyClean();
}

TEST_F(LargeDocumentTest, KillAtEachPointBeforeTheSwitchKeepsTheOldVersion) {
  const std::string path = docs_dir() + "/big.txt";
  WriteFile(path, Version(0));
  ASSERT_EQ(Ingest(path).exit_code, 0);
  WriteFile(path, Version(1));
  for (const auto& [point, after] :
       std::vector<std::pair<std::string, std::string>>{{"ingest:after_stage_batch", "1"},
                                                        {"ingest:after_stage_batch", "40"},
                                                        {"ingest:before_switch", "1"}}) {
    SCOPED_TRACE(point + " #" + after);
    std::map<std::string, std::string> env = kEnv;
    env["ROXI_TEST_CRASH_AT"] = point;
    env["ROXI_TEST_CRASH_AFTER"] = after;
    EXPECT_EQ(BackgroundProcess(RoxiBinary(), IngestArgs(path), env).Wait(), 128 + SIGKILL);
    ExpectVerifyClean();
    EXPECT_EQ(WholeVersion(path), 0);
    ExpectConsistent(TakeCensus(data_dir()));
  }
  // Run to its end, the replacement happens.
  ASSERT_EQ(Ingest(path).exit_code, 0);
  EXPECT_EQ(WholeVersion(path), 1);
  ExpectVerifyClean();
}

TEST_F(LargeDocumentTest, SearchesDuringAReplacementNeverMixTheVersions) {
  const std::string path = WriteDoc("big.txt", Version(0));
  // A donor holding the new version's text: its vectors are reused as the new version is queued,
  // so new chunks become searchable during the replacement itself.
  WriteDoc("donor.txt", Version(1));
  ASSERT_EQ(Ingest(path).exit_code, 0);
  ASSERT_EQ(Ingest(docs_dir() + "/donor.txt").exit_code, 0);
  ASSERT_EQ(Roxi("process", {"--quiet"}).exit_code, 0);
  ASSERT_EQ(MarkersFound(path), std::set<std::string>{kMarkers[0]});

  WriteFile(path, Version(1));
  BackgroundProcess ingest(RoxiBinary(), IngestArgs(path), kEnv);
  int searches = 0;
  std::set<std::string> seen;
  while (ingest.Running()) {
    const std::set<std::string> found = MarkersFound(path);
    EXPECT_LE(found.size(), 1u) << "one search saw both versions";
    seen.insert(found.begin(), found.end());
    ++searches;
  }
  EXPECT_EQ(ingest.Wait(), 0);
  EXPECT_GE(searches, 1);
  EXPECT_EQ(MarkersFound(path), std::set<std::string>{kMarkers[1]});
  ExpectVerifyClean();
}

TEST_F(LargeDocumentTest, InvalidUtf8LateInABigFileLeavesNothingBehind) {
  WriteDoc("small.txt", "Lighthouses guide ships past reefs with a rotating beam of light.");
  ASSERT_EQ(Ingest(docs_dir() + "/small.txt").exit_code, 0);
  const nlohmann::json baseline = Status();
  std::string text = Version(0);
  const size_t bad = text.size() - 1000;
  text[bad] = '\xC3';
  text[bad + 1] = '(';
  const std::string path = WriteDoc("late.txt", text);
  RunResult r = Ingest(path);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(path + ": invalid utf-8 at byte " + std::to_string(bad)), std::string::npos)
      << r.err;
  ExpectCountsUnchanged(baseline);
  ExpectConsistent(TakeCensus(data_dir()));
  ExpectVerifyClean();

  // The same file among others: it is found before anything is written.
  r = Ingest(path, {docs_dir() + "/small.txt"});
  EXPECT_EQ(r.exit_code, 2);
  ExpectCountsUnchanged(baseline);

  // Found in a folder, it is skipped with a warning; the rest is ingested.
  auto folder = RoxiJson("ingest", {docs_dir()}, RunOptions{kEnv, "", 300});
  ASSERT_EQ(folder["skipped"].size(), 1u);
  EXPECT_NE(folder["skipped"][0]["reason"].get<std::string>().find("invalid utf-8 at byte " +
                                                                   std::to_string(bad)),
            std::string::npos);
  ExpectConsistent(TakeCensus(data_dir()));
  ExpectVerifyClean();
}

TEST_F(LargeDocumentTest, ADocumentOverTheLimitIsRefusedNamingSizeAndLimit) {
  WriteDoc("small.txt", "Lighthouses guide ships past reefs with a rotating beam of light.");
  ASSERT_EQ(Ingest(docs_dir() + "/small.txt").exit_code, 0);
  const nlohmann::json baseline = Status();
  const std::string path = WriteDoc("big.txt", std::string(5000, 'a'));
  RunResult r = Roxi("ingest", {"--max-document-size", "4K", path});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(path + ": 5000 bytes, over the limit of 4096 bytes per document"),
            std::string::npos)
      << r.err;
  ExpectCountsUnchanged(baseline);
  // Standard input is counted as it comes.
  RunOptions stdin_options;
  stdin_options.stdin_data = std::string(5000, 'a');
  r = Roxi("ingest", {"--max-document-size", "4K", "--id", "piped", "-"}, stdin_options);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("input -: 5000 bytes, over the limit of 4096 bytes per document"),
            std::string::npos)
      << r.err;
  ExpectCountsUnchanged(baseline);
  r = Roxi("ingest", {"--max-document-size", "4Q", path});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--max-document-size '4Q'"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace roxi::testing
