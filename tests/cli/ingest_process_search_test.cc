// End to end: ingest -> process -> search with the real binary, re-ingest behaviour, targets.
#include <filesystem>

#include "tests/cli/cli_fixture.h"

namespace roxi::testing {
namespace {

const char* kOrchids =
    "Orchids need repotting every two years. Use a coarse bark mix, never garden soil, and water "
    "the roots by soaking the pot for ten minutes. Phalaenopsis orchids bloom again after a cool "
    "night period.";
const char* kRaid =
    "RAID 5 stripes data with distributed parity across at least three disks. When one disk fails "
    "the array rebuilds from parity, and a second failure during the rebuild loses the array.";
const char* kTides =
    "Spring tides happen near new and full moon, when the sun and moon pull along one line. Neap "
    "tides come at the quarter moons, with the smallest range between high and low water.";
const char* kSourdough =
    "Feed a sourdough starter equal weights of flour and water. A lively starter doubles within "
    "six hours at room temperature and smells pleasantly sour, like yogurt.";
const char* kKnives =
    "Sharpen a kitchen knife on a whetstone at a steady fifteen degree angle. Start on the coarse "
    "grit side, raise a burr along the whole edge, then refine on the fine grit.";

class IngestProcessSearchTest : public CliTest {
 protected:
  void WriteTopics() {
    WriteDoc("orchids.md", std::string("# Orchids\n\n") + kOrchids + "\n");
    WriteDoc("raid.txt", kRaid);
    WriteDoc("tides.md", std::string("# Tides\n\n") + kTides + "\n");
    WriteDoc("sub/sourdough.md", kSourdough);
    WriteDoc("sub/knives.txt", kKnives);
  }
  std::string TopDocument(const std::string& query) {
    auto doc = RoxiJson("search", {query, "-k", "3"});
    if (!doc.contains("results") || doc["results"].empty()) return "";
    return doc["results"][0]["document"].get<std::string>();
  }
};

TEST_F(IngestProcessSearchTest, KeywordQueryFindsItsDocumentFirst) {
  WriteTopics();
  auto ingest = RoxiJson("ingest", {docs_dir()});
  EXPECT_EQ(ingest["created"], 5);
  EXPECT_EQ(ingest["skipped"].size(), 0u);
  auto process = RoxiJson("process");
  EXPECT_EQ(process["pending"], 0);
  auto status = Status();
  EXPECT_EQ(status["documents"], 5);
  EXPECT_EQ(status["embedded"], status["chunks"]);
  EXPECT_EQ(status["percent_complete"], 100.0);
  EXPECT_EQ(status["embedder"]["dim"], 384);

  EXPECT_TRUE(TopDocument("whetstone burr grit").ends_with("knives.txt"));
  EXPECT_TRUE(TopDocument("parity disks rebuild").ends_with("raid.txt"));
  EXPECT_TRUE(TopDocument("neap tides moon").ends_with("tides.md"));
  EXPECT_TRUE(TopDocument("sourdough starter flour").ends_with("sourdough.md"));
  EXPECT_TRUE(TopDocument("repotting orchids bark").ends_with("orchids.md"));

  auto search = RoxiJson("search", {"whetstone", "-k", "2"});
  ASSERT_EQ(search["results"].size(), 2u);
  const auto& first = search["results"][0];
  EXPECT_EQ(first["rank"], 1);
  EXPECT_GT(first["score"].get<double>(), search["results"][1]["score"].get<double>());
  EXPECT_NE(first["snippet"].get<std::string>().find("whetstone"), std::string::npos);
  EXPECT_EQ(first["byte_offset"], 0);
}

TEST_F(IngestProcessSearchTest, PlainOutputShowsRankScoreDocumentAndSnippet) {
  WriteTopics();
  ASSERT_EQ(Roxi("ingest", {docs_dir()}).exit_code, 0);
  ASSERT_EQ(Roxi("process", {"--quiet"}).exit_code, 0);
  RunResult r = Roxi("search", {"spring", "tides"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("1. ", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("tides.md"), std::string::npos);
  EXPECT_NE(r.out.find("Spring tides happen"), std::string::npos);
}

TEST_F(IngestProcessSearchTest, ReingestingUnchangedFilesIsANoOp) {
  WriteTopics();
  RoxiJson("ingest", {docs_dir()});
  RoxiJson("process");
  auto before = Status();
  auto again = RoxiJson("ingest", {docs_dir()});
  EXPECT_EQ(again["created"], 0);
  EXPECT_EQ(again["replaced"], 0);
  EXPECT_EQ(again["unchanged"], 5);
  EXPECT_EQ(again["chunks_queued"], 0);
  auto after = Status();
  for (const char* key : {"documents", "chunks", "embedded", "pending", "failed"}) {
    EXPECT_EQ(before[key], after[key]) << key;
  }
}

TEST_F(IngestProcessSearchTest, ChangedFileReplacesItsChunksAndRequeuesThem) {
  WriteTopics();
  RoxiJson("ingest", {docs_dir()});
  RoxiJson("process");
  const auto before = Status();
  WriteDoc("raid.txt", "Zebras graze on savanna grasses and migrate with the wildebeest herds.");
  auto again = RoxiJson("ingest", {docs_dir()});
  EXPECT_EQ(again["replaced"], 1);
  EXPECT_EQ(again["unchanged"], 4);
  auto mid = Status();
  EXPECT_EQ(mid["documents"], 5);
  EXPECT_EQ(mid["pending"], again["chunks_queued"]);
  RoxiJson("process");
  EXPECT_TRUE(TopDocument("zebras savanna wildebeest").ends_with("raid.txt"));
  // The old text is gone: no chunk of raid.txt mentions parity any more.
  auto search = RoxiJson("search", {"parity disks rebuild", "-k", "5"});
  for (const auto& hit : search["results"]) {
    EXPECT_EQ(hit["snippet"].get<std::string>().find("parity"), std::string::npos);
  }
  auto after = Status();
  EXPECT_EQ(after["embedded"], after["chunks"]);
  EXPECT_EQ(after["pending"], 0);
}

TEST_F(IngestProcessSearchTest, StandardInputNeedsAnIdAndIsNamedByIt) {
  RunOptions with_input;
  with_input.stdin_data = kTides;
  RunResult no_id = Roxi("ingest", {"-"}, with_input);
  EXPECT_EQ(no_id.exit_code, 2);
  EXPECT_NE(no_id.err.find("--id"), std::string::npos) << no_id.err;
  EXPECT_FALSE(std::filesystem::exists(data_dir() + "/db"));

  auto ingest = RoxiJson("ingest", {"-", "--id", "notes/tides"}, with_input);
  EXPECT_EQ(ingest["created"], 1);
  RoxiJson("process");
  auto search = RoxiJson("search", {"neap tides"});
  ASSERT_FALSE(search["results"].empty());
  EXPECT_EQ(search["results"][0]["document"], "notes/tides");
}

TEST_F(IngestProcessSearchTest, TargetStopsBetweenTargetAndOneBatchMore) {
  for (int d = 0; d < 40; ++d) {
    std::string text;
    for (int p = 0; p < 12; ++p) text += GeneratedParagraph(d * 100 + p, 120) + "\n\n";
    WriteDoc("gen/doc" + std::to_string(d) + ".txt", text);
  }
  RoxiJson("ingest", {docs_dir()});
  const double chunks = Status()["chunks"].get<double>();
  ASSERT_GT(chunks, 400);
  const int batch = 50;
  auto run = RoxiJson("process", {"--target", "50%", "--batch-size", std::to_string(batch)});
  EXPECT_EQ(run["reached_target"], true);
  auto status = Status();
  const double percent = status["percent_complete"].get<double>();
  EXPECT_GE(percent, 50.0);
  EXPECT_LE(percent, 50.0 + 100.0 * batch / chunks);
  EXPECT_GT(status["pending"].get<int>(), 0);
  // Carrying on without a target finishes the rest.
  RoxiJson("process");
  EXPECT_EQ(Status()["pending"], 0);
}

// Regression test: --target 10% on 1,000 chunks with batches of 256 embedded 25.6 %.
TEST_F(IngestProcessSearchTest, TargetIsMetWithinOneChunkNotOneBatch) {
  for (int d = 0; d < 40; ++d) {
    std::string text;
    for (int p = 0; p < 12; ++p) text += GeneratedParagraph(d * 100 + p, 120) + "\n\n";
    WriteDoc("gen/doc" + std::to_string(d) + ".txt", text);
  }
  RoxiJson("ingest", {docs_dir()});
  const uint64_t chunks = Status()["chunks"].get<uint64_t>();
  ASSERT_GT(chunks, 400u);
  auto run = RoxiJson("process", {"--target", "10%", "--batch-size", "256", "--quiet"});
  EXPECT_EQ(run["reached_target"], true);
  const uint64_t wanted = (chunks + 9) / 10;  // the fewest chunks that make 10 %
  EXPECT_EQ(Status()["embedded"].get<uint64_t>(), wanted) << "of " << chunks;
  // A second target counts from what is done: 30 % more comes out exact too.
  RoxiJson("process", {"--target", "40%", "--batch-size", "256", "--quiet"});
  EXPECT_EQ(Status()["embedded"].get<uint64_t>(), (chunks * 4 + 9) / 10) << "of " << chunks;
}

// Regression test: a query with nothing to search for returned 5 arbitrary chunks scored 0.
TEST_F(IngestProcessSearchTest, QueryWithoutSearchableTermsIsAUsageError) {
  WriteTopics();
  RoxiJson("ingest", {docs_dir()});
  RoxiJson("process", {"--quiet"});
  for (const char* query : {"...", "?! -- ;"}) {
    RunResult r = Roxi("search", {query, "--json"});
    EXPECT_EQ(r.exit_code, 2) << query << ": " << r.out;
    EXPECT_NE(r.err.find("no searchable terms in the query"), std::string::npos) << r.err;
    auto doc = nlohmann::json::parse(r.out);
    EXPECT_EQ(doc["ok"], false);
    EXPECT_EQ(doc["error"]["code"], "invalid argument");
  }
}

// Regression test: a 0-byte file became a document with no chunks, without a word.
TEST_F(IngestProcessSearchTest, EmptyFilesAreSkippedWithAWarning) {
  WriteTopics();
  WriteDoc("sub/empty.txt", "");
  const std::string named = WriteDoc("named-empty.md", "");
  auto report = RoxiJson("ingest", {docs_dir() + "/sub", named});
  EXPECT_EQ(report["created"], 2);
  ASSERT_EQ(report["skipped"].size(), 2u) << report.dump();
  for (const auto& s : report["skipped"]) {
    EXPECT_NE(s["reason"].get<std::string>().find("empty file (0 bytes)"), std::string::npos);
  }
  EXPECT_EQ(Status()["documents"], 2);
  RunResult warned = Roxi("ingest", {named});
  EXPECT_EQ(warned.exit_code, 0) << warned.err;
  EXPECT_NE(warned.err.find("input skipped"), std::string::npos) << warned.err;
  EXPECT_NE(warned.out.find("skipped " + named + ": empty file (0 bytes)"), std::string::npos)
      << warned.out;

  // A document whose file is emptied stops being found: its chunks go.
  RoxiJson("process", {"--quiet"});
  WriteDoc("sub/knives.txt", "");
  auto emptied = RoxiJson("ingest", {docs_dir() + "/sub"});
  EXPECT_EQ(emptied["replaced"], 1) << emptied.dump();
  EXPECT_NE(TopDocument("whetstone grit burr"), docs_dir() + "/sub/knives.txt");
}

// Regression test: status showed 100 % complete while chunks had failed.
TEST_F(IngestProcessSearchTest, StatusShowsEmbeddedAndFailedApart) {
  for (int d = 0; d < 40; ++d) {
    WriteDoc("doc" + std::to_string(d) + ".txt",
             GeneratedParagraph(d, 30) + (d == 7 ? " POISON-PILL" : ""));
  }
  RoxiJson("ingest", {docs_dir()});
  RunOptions poison;
  poison.env = {{"ROXI_TEST_EMBEDDER_REJECT", "POISON-PILL"}};
  RoxiJson("process", {"--quiet", "--max-attempts", "1"}, poison);
  auto status = Status();
  EXPECT_EQ(status["failed"], 1);
  EXPECT_EQ(status["embedded"], 39);
  EXPECT_DOUBLE_EQ(status["percent_embedded"].get<double>(), 97.5);
  EXPECT_DOUBLE_EQ(status["percent_failed"].get<double>(), 2.5);
  RunResult text = Roxi("status");
  EXPECT_NE(text.out.find("97.5% embedded, 2.5% failed"), std::string::npos) << text.out;
  EXPECT_EQ(text.out.find("100.0%"), std::string::npos) << text.out;
}

}  // namespace
}  // namespace roxi::testing
