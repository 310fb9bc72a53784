// End to end: a store one of whose live RocksDB files was deleted or truncated behind its back is
// never answered from as if it were healthy. Every command that opens it, read-only ones included,
// exits 3 naming the file; `verify` lists the file first. Regression test for search answering
// "ok, no results" and status "100 % complete" from such a store, while verify listed hundreds of
// chunks "embedded but has no vector" without ever naming the missing file.
#include <filesystem>

#include "tests/cli/serve_fixture.h"

namespace roxi::testing {
namespace {

namespace fs = std::filesystem;

class DamagedStoreTest : public ServeTest {
 protected:
  // A store with every chunk embedded, all of it in SST files (the backup flushes memtables).
  void EmbeddedStore() {
    WriteDocuments("a", 0, 12, 6);
    ASSERT_EQ(Roxi("ingest", {docs_dir() + "/a"}).exit_code, 0);
    ASSERT_EQ(Roxi("process", {"--quiet"}).exit_code, 0);
    ASSERT_EQ(Roxi("backup").exit_code, 0);
  }

  // The largest SST file of the store: the one holding the vectors.
  fs::path LargestSst() const {
    fs::path largest;
    for (const auto& e : fs::directory_iterator(data_dir() + "/db")) {
      if (e.path().extension() == ".sst" &&
          (largest.empty() || e.file_size() > fs::file_size(largest))) {
        largest = e.path();
      }
    }
    return largest;
  }

  // Expects exit 3 and an error naming `file`, once, as the .sst it is.
  void ExpectRefused(const std::string& command, std::vector<std::string> args,
                     const std::string& file) {
    args.push_back("--json");
    RunResult r = Roxi(command, args);
    EXPECT_EQ(r.exit_code, 3) << "roxi " << command << "\n" << r.out << r.err;
    EXPECT_NE(r.err.find(file), std::string::npos) << "roxi " << command << ": " << r.err;
    EXPECT_EQ(r.err.find(".ldb"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("Corruption: Corruption"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("corruption: Corruption"), std::string::npos) << r.err;
    auto doc = nlohmann::json::parse(r.out, nullptr, false);
    ASSERT_FALSE(doc.is_discarded()) << r.out;
    EXPECT_EQ(doc["ok"], false);
    EXPECT_EQ(doc["exit_code"], 3);
  }

  // Every command that opens the store refuses it, naming `file`; verify lists it first.
  void ExpectEveryCommandNames(const std::string& file, const std::string& detail) {
    ExpectRefused("search", {"lantern harbor"}, file);
    ExpectRefused("status", {}, file);
    ExpectRefused("process", {"--quiet"}, file);
    ExpectRefused("backup", {}, file);
    WriteDoc("late.txt", GeneratedParagraph(777, 40));
    ExpectRefused("ingest", {docs_dir() + "/late.txt"}, file);

    RunResult verify = Roxi("verify", {"--json"});
    EXPECT_EQ(verify.exit_code, 1) << verify.out << verify.err;
    auto report = nlohmann::json::parse(verify.out, nullptr, false);
    ASSERT_FALSE(report.is_discarded()) << verify.out;
    ASSERT_FALSE(report["problems"].empty()) << verify.out;
    EXPECT_EQ(report["problems"][0]["check"], "rocksdb") << verify.out;
    EXPECT_EQ(report["problems"][0]["key"], file) << verify.out;
    EXPECT_NE(report["problems"][0]["detail"].get<std::string>().find(detail), std::string::npos)
        << verify.out;

    std::vector<std::string> args{"serve", "--data-dir", data_dir(), "--no-auto-restore"};
    for (const auto& a : QuickOptions()) args.push_back(a);
    RunOptions run;
    run.timeout_seconds = 60;
    RunResult serve = RunRoxi(args, run);
    EXPECT_EQ(serve.exit_code, 3) << serve.out << serve.err;
    EXPECT_NE(serve.err.find(file), std::string::npos) << serve.err;
  }
};

TEST_F(DamagedStoreTest, AMissingLiveFileIsNamedByEveryCommand) {
  EmbeddedStore();
  const fs::path sst = LargestSst();
  ASSERT_FALSE(sst.empty());
  fs::remove(sst);
  ExpectEveryCommandNames(sst.filename().string(), "missing");
  EXPECT_FALSE(fs::exists(sst)) << "nothing may recreate or restore it";
}

TEST_F(DamagedStoreTest, ATruncatedLiveFileIsNamedByEveryCommand) {
  EmbeddedStore();
  const fs::path sst = LargestSst();
  ASSERT_FALSE(sst.empty());
  fs::resize_file(sst, fs::file_size(sst) / 2);
  ExpectEveryCommandNames(sst.filename().string(), "truncated");
}

TEST_F(DamagedStoreTest, ReadersBesideAWriterCompactingFilesAwayFindNoDamage) {
  // Flushes and compactions replace files under a reader all the time: none of that is damage.
  WriteDocuments("a", 0, 40, 8);
  ASSERT_EQ(Roxi("ingest", {docs_dir() + "/a"}).exit_code, 0);
  BackgroundProcess writer(RoxiBinary(), {"process", "--data-dir", data_dir(), "--batch-size", "4",
                                          "--quiet", "--log-level", "off"});
  int reads = 0;
  while (writer.Running()) {
    RunResult status = Roxi("status", {"--json"});
    EXPECT_EQ(status.exit_code, 0) << status.out << status.err;
    RunResult search = Roxi("search", {"lantern harbor", "--json"});
    EXPECT_TRUE(search.exit_code == 0) << search.out << search.err;
    ++reads;
  }
  EXPECT_EQ(writer.Wait(), 0);
  EXPECT_GT(reads, 0);
  RunResult verify = Roxi("verify");
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

}  // namespace
}  // namespace roxi::testing
