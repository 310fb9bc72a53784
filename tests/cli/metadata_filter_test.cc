// End to end: document metadata (--meta, Markdown front matter, the API's `metadata`) and filtered
// search (--filter, --prefix, --since, --until), offline and through a running server. The filter
// runs inside the scan: when at least k chunks match, k come back, however few match.
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "tests/cli/serve_fixture.h"

namespace roxi::testing {
namespace {

namespace fs = std::filesystem;

class MetadataFilterTest : public ServeTest {
 protected:
  nlohmann::json Search(std::vector<std::string> args) { return RoxiJson("search", args); }

  // The documents of a search's results.
  static std::set<std::string> Documents(const nlohmann::json& reply) {
    std::set<std::string> docs;
    for (const auto& hit : reply["results"]) docs.insert(hit["document"].get<std::string>());
    return docs;
  }

  // The one document the listing has (by name).
  nlohmann::json Listed(const std::string& name) {
    const nlohmann::json listing = RoxiJson("documents");
    for (const auto& d : listing["documents"]) {
      if (d["name"] == name) return d;
    }
    ADD_FAILURE() << name << " not listed: " << listing.dump();
    return nlohmann::json::object();
  }
};

const char kNote[] =
    "---\n"
    "title: Harbour notes\n"
    "tags: [boats, tides]\n"
    "---\n"
    "The harbour master logs the tides and the boats that come in at dawn.\n";

TEST_F(MetadataFilterTest, FrontMatterAndMetaBecomeMetadataInListingsAndResults) {
  const std::string note = fs::absolute(WriteDoc("notes/harbour.md", kNote));
  const std::string plain = fs::absolute(WriteDoc("notes/plain.txt", "---\ntitle: not front matter\n"
                                                                     "---\nThe tides again.\n"));
  ASSERT_EQ(Roxi("ingest", {docs_dir() + "/notes", "--meta", "project=sea", "--meta",
                            "tags=cli"}).exit_code, 0);
  ASSERT_EQ(Roxi("process", {"--quiet"}).exit_code, 0);

  // --meta's tags replace the front matter's; its other keys stay. A .txt file has no front matter.
  nlohmann::json listed = Listed(note);
  EXPECT_EQ(listed["metadata"],
            nlohmann::json::parse(R"({"project": "sea", "tags": "cli", "title": "Harbour notes"})"))
      << listed.dump();
  EXPECT_EQ(Listed(plain)["metadata"], nlohmann::json::parse(R"({"project": "sea", "tags": "cli"})"));
  EXPECT_NE(Roxi("documents").out.find("project: sea; tags: cli; title: Harbour notes"),
            std::string::npos);

  nlohmann::json reply = Search({"harbour master tides", "-k", "1"});
  ASSERT_EQ(reply["results"].size(), 1u);
  EXPECT_EQ(reply["results"][0]["document"], note);
  EXPECT_EQ(reply["results"][0]["metadata"]["title"], "Harbour notes");
  EXPECT_NE(Roxi("search", {"harbour master tides", "-k", "1"}).out.find("title: Harbour notes"),
            std::string::npos);

  // Without --meta the front matter alone is the metadata (a list is an array); the change of
  // metadata alone re-embeds nothing.
  nlohmann::json again = RoxiJson("ingest", {note});
  EXPECT_EQ(again["replaced"], 1);
  EXPECT_EQ(again["chunks_queued"], 0) << again.dump();
  EXPECT_EQ(Listed(note)["metadata"],
            nlohmann::json::parse(R"({"tags": ["boats", "tides"], "title": "Harbour notes"})"));
  // The same text with the same metadata is unchanged.
  EXPECT_EQ(RoxiJson("ingest", {note})["unchanged"], 1);
}

TEST_F(MetadataFilterTest, MalformedFrontMatterIsAWarningWithItsLineAndTheFileIsStillIngested) {
  const std::string bad = WriteDoc("bad.md", "---\ntitle: ok\nthis line has no colon\n---\nBody "
                                             "text about lighthouses.\n");
  RunResult r = Roxi("ingest", {bad, "--meta", "k=v"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("front matter line 3"), std::string::npos) << r.out;
  nlohmann::json listed = Listed(fs::absolute(bad));
  EXPECT_EQ(listed["metadata"], nlohmann::json::parse(R"({"k": "v"})"));
  EXPECT_EQ(listed["chunks"], 1);
}

TEST_F(MetadataFilterTest, BadMetaAndFiltersAreRefusedAndChangeNothing) {
  const std::string doc = WriteDoc("a.txt", "Lighthouses guide ships along the coast.\n");
  ASSERT_EQ(Roxi("ingest", {doc}).exit_code, 0);
  const nlohmann::json before = Status();
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--meta", "novalue"}, {"--meta", "=v"}, {"--meta", "bad key=v"},
        {"--meta", "k=" + std::string(1025, 'v')}}) {
    std::vector<std::string> full = args;
    full.push_back(WriteDoc("b.txt", "Another text about ships.\n"));
    RunResult r = Roxi("ingest", full);
    EXPECT_EQ(r.exit_code, 2) << args[1];
    EXPECT_NE(r.err.find("--meta"), std::string::npos) << r.err;
  }
  ExpectCountsUnchanged(before);
  ASSERT_EQ(Roxi("process", {"--quiet"}).exit_code, 0);
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--filter", "novalue"}, {"--filter", "a b=c"},
        {"--since", "yesterday"}, {"--until", "2026-13-01"},
        {"--since", "2026-12-02", "--until", "2026-12-01"}}) {
    std::vector<std::string> full = {"ships"};
    full.insert(full.end(), args.begin(), args.end());
    RunResult r = Roxi("search", full);
    EXPECT_EQ(r.exit_code, 2) << args[0] << " " << args[1] << ": " << r.err;
    EXPECT_NE(r.err.find(args[0].substr(2)), std::string::npos) << r.err;
  }
}

// 10,000 chunks, a filter that matches 10 of them: all 10 come back for k = 10, though the query
// is about the other documents' text.
TEST_F(MetadataFilterTest, ASelectiveFilterStillReturnsKHits) {
  for (int d = 0; d < 100; ++d) {
    std::string text;
    for (int p = 0; p < 110; ++p) text += GeneratedParagraph(d * 1000 + p, 30) + "\n\n";
    WriteDoc("bulk/doc" + std::to_string(d) + ".txt", text);
  }
  std::string rare;
  for (int p = 0; p < 10; ++p) rare += GeneratedParagraph(777000 + p, 30) + "\n\n";
  const std::string rare_doc = fs::absolute(WriteDoc("rare/only.txt", rare));
  const std::vector<std::string> small = {"--chunk-size", "200", "--chunk-max", "300",
                                          "--chunk-overlap", "0"};
  std::vector<std::string> bulk_args = {docs_dir() + "/bulk"};
  bulk_args.insert(bulk_args.end(), small.begin(), small.end());
  ASSERT_EQ(Roxi("ingest", bulk_args).exit_code, 0);
  std::vector<std::string> rare_args = {rare_doc, "--meta", "group=rare"};
  rare_args.insert(rare_args.end(), small.begin(), small.end());
  ASSERT_EQ(Roxi("ingest", rare_args).exit_code, 0);
  ASSERT_EQ(Roxi("process", {"--quiet"}).exit_code, 0);
  const nlohmann::json status = Status();
  ASSERT_GE(status["chunks"].get<uint64_t>(), 10000u) << status.dump();
  // About 10 of the 10,000 chunks (0.1 %) are the rare document's.
  const uint64_t rare_chunks = Listed(rare_doc)["chunks"].get<uint64_t>();
  ASSERT_GE(rare_chunks, 10u);
  ASSERT_LE(rare_chunks, 20u);

  const std::string query = GeneratedParagraph(5 * 1000 + 3, 30);
  EXPECT_EQ(Documents(Search({query, "-k", "10"})).count(rare_doc), 0u);
  nlohmann::json filtered = Search({query, "-k", "10", "--filter", "group=rare"});
  ASSERT_EQ(filtered["results"].size(), 10u) << filtered.dump();
  EXPECT_EQ(Documents(filtered), std::set<std::string>{rare_doc});
  EXPECT_EQ(filtered["filtered_documents"], 1);
  std::set<uint64_t> chunks;
  for (const auto& hit : filtered["results"]) chunks.insert(hit["chunk"].get<uint64_t>());
  EXPECT_EQ(chunks.size(), 10u);

  // --prefix selects by name; a filter matching nothing gives no results, not an error.
  EXPECT_EQ(Documents(Search({query, "-k", "10", "--prefix", docs_dir() + "/rare/"})),
            std::set<std::string>{rare_doc});
  nlohmann::json none = Search({query, "--filter", "group=none"});
  EXPECT_TRUE(none["results"].empty());
  EXPECT_EQ(none["filtered_documents"], 0);
  EXPECT_NE(Roxi("search", {query, "--filter", "group=none"}).out.find("0 document(s) match"),
            std::string::npos);
}

TEST_F(MetadataFilterTest, TimeBoundsAndFiltersWorkThroughARunningServer) {
  WriteDoc("a/one.md", "---\nlang: en\n---\nShips sail from the harbour at dawn.\n");
  WriteDoc("b/two.md", "---\nlang: de\n---\nShips sail from the harbour at dusk.\n");
  ASSERT_EQ(Roxi("ingest", {docs_dir()}).exit_code, 0);
  ASSERT_EQ(Roxi("process", {"--quiet"}).exit_code, 0);
  auto server = StartServe();
  const std::string one = fs::absolute(docs_dir() + "/a/one.md");
  const std::string two = fs::absolute(docs_dir() + "/b/two.md");
  EXPECT_EQ(Documents(Search({"ships harbour", "--filter", "lang=de"})), std::set<std::string>{two});
  EXPECT_EQ(Documents(Search({"ships harbour", "--filter", "lang=en", "--filter", "lang=de"})),
            std::set<std::string>{});
  EXPECT_EQ(Documents(Search({"ships harbour", "--since", "1h"})), (std::set<std::string>{one, two}));
  EXPECT_EQ(Documents(Search({"ships harbour", "--until", "2020-01-01"})), std::set<std::string>{});
  EXPECT_EQ(Documents(Search({"ships harbour", "--since", "2020-01-01T00:00:00Z", "--prefix",
                              docs_dir() + "/a"})),
            std::set<std::string>{one});
  nlohmann::json served = Search({"ships harbour", "--filter", "lang=en"});
  ASSERT_EQ(served["results"].size(), 1u);
  EXPECT_EQ(served["results"][0]["metadata"]["lang"], "en");

  // Metadata through the API's ingest.
  RunOptions with_text;
  with_text.stdin_data = "Les navires quittent le port.\n";
  nlohmann::json ingest = RoxiJson("ingest", {"-", "--id", "api-doc", "--meta", "lang=fr"}, with_text);
  EXPECT_EQ(ingest["created"], 1) << ingest.dump();
  EXPECT_EQ(Listed("api-doc")["metadata"]["lang"], "fr");
  RunResult bad = Roxi("search", {"ships", "--since", "soon"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(StopServe(&server), 0);
}

}  // namespace
}  // namespace roxi::testing
