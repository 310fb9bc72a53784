// roxi bench end to end, with the real binary: the JSON of a small grid, the recommendation under
// a memory limit, --write-config read back by 'roxi config --effective', bad input, and Ctrl-C.
// No figure is asserted against a time: only the report's shape and its own consistency.
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <set>
#include <thread>

#include "tests/cli/cli_fixture.h"

namespace roxi::testing {
namespace {

class BenchTest : public CliTest {
 protected:
  // A folder that does not exist yet: roxi bench creates it for its scratch store and removes it.
  std::string scratch() const { return dir_.Sub("scratch"); }

  RunResult Bench(std::vector<std::string> args, const RunOptions& options = {}) {
    std::vector<std::string> full{"bench", "--data-dir", scratch(), "--quiet"};
    full.insert(full.end(), args.begin(), args.end());
    return RunRoxi(full, options);
  }

  nlohmann::json BenchJson(std::vector<std::string> args) {
    args.push_back("--json");
    RunResult r = Bench(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_FALSE(std::filesystem::exists(scratch())) << "scratch folder left behind";
    try {
      return nlohmann::json::parse(r.out);
    } catch (const std::exception& e) {
      ADD_FAILURE() << "not JSON (" << e.what() << "): " << r.out;
      return nlohmann::json::object();
    }
  }

  // The grid point of `doc` with this batch size and index kind.
  static nlohmann::json PointOf(const nlohmann::json& doc, size_t batch, const std::string& kind) {
    for (const auto& p : doc["points"]) {
      if (p["batch_size"] == batch && p["index"] == kind) return p;
    }
    ADD_FAILURE() << "no point for batch " << batch << " and index " << kind;
    return nlohmann::json::object();
  }
};

TEST_F(BenchTest, SmallGridReportsEveryFigureOfEveryPoint) {
  const nlohmann::json doc =
      BenchJson({"--chunks", "300", "--batch-sizes", "16,128", "--repeat", "3"});
  ASSERT_TRUE(doc.value("ok", false)) << doc.dump();
  for (const char* key :
       {"embedder", "dim", "corpus", "repeat", "queries", "k", "simd_path", "peak_rss_reset",
        "memory_limit_bytes", "points", "recommendation", "config_written", "seconds", "methods"}) {
    EXPECT_TRUE(doc.contains(key)) << key;
  }
  EXPECT_TRUE(doc["corpus"]["generated"].get<bool>());
  EXPECT_GE(doc["corpus"]["chunks"].get<uint64_t>(), 300u);
  EXPECT_EQ(doc["repeat"], 3);
  EXPECT_EQ(doc["k"], 10);
  ASSERT_EQ(doc["points"].size(), 4u);  // 2 batch sizes x (flat, faiss-flat)
  for (const auto& p : doc["points"]) {
    for (const char* key :
         {"ingest_chunks_per_second", "process_chunks_per_second", "batch_ms_p50", "batch_ms_p99",
          "pipeline_peak_rss_bytes", "search_peak_rss_bytes", "search_ms_p50", "search_ms_p99",
          "recall_at_k", "wake_to_first_answer_ms"}) {
      ASSERT_TRUE(p.contains(key)) << key;
      EXPECT_EQ(p[key]["samples"], 3) << key;
      EXPECT_LE(p[key]["min"].get<double>(), p[key]["median"].get<double>()) << key;
      EXPECT_LE(p[key]["median"].get<double>(), p[key]["max"].get<double>()) << key;
    }
    EXPECT_GT(p["process_chunks_per_second"]["median"].get<double>(), 0) << p.dump();
    EXPECT_GT(p["peak_rss_bytes"].get<uint64_t>(), 0u);
    EXPECT_GT(p["index_bytes"].get<uint64_t>(), 0u);
    EXPECT_TRUE(p["requests_in_flight"].is_null());  // the builtin embedder has no such setting
    EXPECT_TRUE(p["fits_memory_limit"].get<bool>());
    // Both kinds are exact: they find the exact top 10 but for ties broken by summation order.
    EXPECT_GE(p["recall_at_k"]["median"].get<double>(), 0.95) << p.dump();
    EXPECT_LE(p["recall_at_k"]["max"].get<double>(), 1.0);
  }
  const auto& rec = doc["recommendation"];
  ASSERT_TRUE(rec.is_object()) << doc.dump();
  EXPECT_EQ(rec["index"], "flat");  // the kind serve uses
  EXPECT_TRUE(rec["batch_size"] == 16 || rec["batch_size"] == 128);
  for (const char* m : {"ingest_chunks_per_second", "process_chunks_per_second", "batch_ms",
                        "peak_rss_bytes", "wake_ms", "search_ms", "recall", "spread"}) {
    EXPECT_TRUE(doc["methods"].contains(m)) << m;
  }
}

TEST_F(BenchTest, TextOutputHasTheTableTheRecommendationAndTheMethods) {
  RunResult r = Bench({"--chunks", "100", "--batch-sizes", "32", "--repeat", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("process/s"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("recommendation: batch-size 32, index flat"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("how each figure was measured"), std::string::npos) << r.out;
  EXPECT_FALSE(std::filesystem::exists(scratch()));
}

// Wide vectors make a batch of 2048 hold tens of MB that a batch of 4 does not, while a batch of
// 4 pays a commit (an fsync) per 4 chunks, several times slower: a limit between the two points'
// measured peaks rules the faster, larger one out.
TEST_F(BenchTest, MemoryLimitThatExcludesTheFastestPointChangesTheRecommendation) {
  const std::vector<std::string> grid = {"--chunks", "4000", "--batch-sizes", "4,2048",
                                         "--index",  "flat", "--dimensions",  "1024",
                                         "--repeat", "2"};
  const nlohmann::json free_run = BenchJson(grid);
  ASSERT_TRUE(free_run["recommendation"].is_object()) << free_run.dump();
  ASSERT_EQ(free_run["recommendation"]["batch_size"], 2048)
      << "the premise: 2048 chunks per fsync outrun 4 on any disk\n"
      << free_run.dump();
  const uint64_t small = PointOf(free_run, 4, "flat")["peak_rss_bytes"];
  const uint64_t large = PointOf(free_run, 2048, "flat")["peak_rss_bytes"];
  ASSERT_GT(large, small + (16u << 20)) << "the premise: batches of 2048 x 1024 dimensions cost "
                                           "memory\n"
                                        << free_run.dump();
  const uint64_t limit = small + (large - small) / 2;

  std::vector<std::string> limited = grid;
  limited.insert(limited.end(), {"--memory-limit", std::to_string(limit)});
  const nlohmann::json doc = BenchJson(limited);
  ASSERT_TRUE(doc["recommendation"].is_object()) << doc.dump();
  EXPECT_EQ(doc["memory_limit_bytes"], limit);
  EXPECT_FALSE(PointOf(doc, 2048, "flat")["fits_memory_limit"].get<bool>()) << doc.dump();
  EXPECT_EQ(doc["recommendation"]["batch_size"], 4) << doc.dump();
  EXPECT_LE(doc["recommendation"]["peak_rss_bytes"].get<uint64_t>(), limit);
}

TEST_F(BenchTest, WriteConfigIsReadBackByConfigEffective) {
  const std::string conf = dir_.Sub("roxi.conf");
  WriteFile(conf,
            "# the operator's own\nlog-level = info\nbatch-size = 3\nlisten = 127.0.0.1:8844\n");
  const nlohmann::json doc = BenchJson({"--chunks", "200", "--batch-sizes", "8,64", "--repeat", "1",
                                        "--index", "flat", "--write-config", conf});
  ASSERT_TRUE(doc["recommendation"].is_object()) << doc.dump();
  EXPECT_EQ(doc["config_written"], conf);
  const std::string batch = std::to_string(doc["recommendation"]["batch_size"].get<size_t>());

  RunResult r = RunRoxi({"config", "--effective", "--config", conf, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json effective = nlohmann::json::parse(r.out);
  EXPECT_EQ(effective["options"]["batch-size"]["value"], batch) << r.out;
  EXPECT_EQ(effective["options"]["batch-size"]["source"], "file " + conf);
  EXPECT_EQ(effective["options"]["listen"]["value"], "127.0.0.1:8844");
  EXPECT_EQ(effective["options"]["log-level"]["value"], "info");
  const std::string text = ReadFile(conf);
  EXPECT_EQ(text.find("# the operator's own\nlog-level = info\nbatch-size = " + batch +
                      "\nlisten = 127.0.0.1:8844\n"),
            0u)
      << text;
}

TEST_F(BenchTest, BadInputIsRefusedWithExitTwoAndLeavesNothingBehind) {
  const std::vector<std::vector<std::string>> bad = {
      {"--batch-sizes", ""},
      {"--batch-sizes", "0"},
      {"--batch-sizes", "16,0"},
      {"--batch-sizes", "16,x"},
      {"--index", ""},
      {"--index", "ivf"},
      {"--memory-limit", "1MB"},
      {"--memory-limit", "lots"},
      {"--repeat", "0"},
      {"--requests-in-flight", "4"},  // the builtin embedder has no requests in flight
      {"--chunks", "0"},
  };
  for (const auto& args : bad) {
    std::vector<std::string> with_json = args;
    with_json.push_back("--json");
    RunResult r = Bench(with_json);
    std::string shown;
    for (const auto& a : args) shown += a + " ";
    EXPECT_EQ(r.exit_code, 2) << shown << r.err;
    EXPECT_NE(r.err.find("roxi: error: "), std::string::npos) << shown << r.err;
    EXPECT_EQ(nlohmann::json::parse(r.out)["exit_code"], 2) << shown;
    EXPECT_FALSE(std::filesystem::exists(scratch())) << shown;
  }
}

TEST_F(BenchTest, MemoryLimitBelowOneBatchNamesWhatABatchNeeds) {
  RunResult r = Bench({"--memory-limit", "1MB"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--memory-limit 1MB: below what one batch of 16 needs"), std::string::npos)
      << r.err;
}

TEST_F(BenchTest, ADataDirectoryHoldingAStoreIsRefused) {
  WriteDoc("a.md", "Tides rise and fall twice a day along the harbour wall.");
  RoxiJson("ingest", {docs_dir() + "/a.md"});
  const nlohmann::json before = Status();
  const auto entries = [&] {
    std::set<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(data_dir())) {
      names.insert(e.path().filename().string());
    }
    return names;
  };
  const std::set<std::string> listed = entries();
  RunResult r = RunRoxi({"bench", "--data-dir", data_dir(), "--chunks", "50"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("holds a roxi store"), std::string::npos) << r.err;
  EXPECT_EQ(entries(), listed);
  ExpectCountsUnchanged(before);
}

TEST_F(BenchTest, CtrlCStopsAndRemovesTheScratchStore) {
  BackgroundProcess bench(RoxiBinary(), {"bench", "--data-dir", scratch(), "--chunks", "60000",
                                         "--batch-sizes", "16", "--quiet"});
  // Wait until the run has made its scratch store, then interrupt it mid-run.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  bool store_made = false;
  while (!store_made && bench.Running() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator(scratch(), ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
      store_made = store_made || it->path().filename() == "db";
    }
  }
  ASSERT_TRUE(store_made) << "the bench never made its store";
  bench.Kill(SIGINT);
  EXPECT_EQ(bench.Wait(), 130);
  EXPECT_FALSE(std::filesystem::exists(scratch())) << "scratch folder left behind";
}

}  // namespace
}  // namespace roxi::testing
