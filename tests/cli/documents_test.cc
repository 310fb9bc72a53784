// End to end: `roxi documents` and `roxi delete`, offline and through a running server. A deleted
// document disappears from search at once, verify stays clean, re-ingesting it starts afresh, an
// unknown name changes nothing, and kill -9 at any point of a large `delete --prefix` leaves every
// document either whole or gone.
#include <algorithm>
#include <filesystem>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "tests/cli/serve_fixture.h"

namespace roxi::testing {
namespace {

namespace fs = std::filesystem;

class DocumentsTest : public ServeTest {
 protected:
  // docs/<folder>/doc<i>.txt, each with a word only it holds ("uniq<folder><i>"), ingested and
  // embedded; returns their names.
  std::vector<std::string> AddDocs(const std::string& folder, int count, int paragraphs = 3) {
    std::vector<std::string> names;
    for (int i = 0; i < count; ++i) {
      std::string text = "uniq" + folder + std::to_string(i) + " marker paragraph.\n\n";
      for (int p = 0; p < paragraphs; ++p) text += GeneratedParagraph(i * 100 + p, 90) + "\n\n";
      names.push_back(fs::absolute(WriteDoc(folder + "/doc" + std::to_string(i) + ".txt", text)));
    }
    EXPECT_EQ(Roxi("ingest", {docs_dir() + "/" + folder}).exit_code, 0);
    EXPECT_EQ(Roxi("process", {"--quiet"}).exit_code, 0);
    return names;
  }

  std::set<std::string> SearchDocuments(const std::string& query, int k = 20) {
    nlohmann::json r = RoxiJson("search", {query, "-k", std::to_string(k)});
    std::set<std::string> docs;
    for (const auto& hit : r["results"]) docs.insert(hit["document"].get<std::string>());
    return docs;
  }

  std::vector<std::string> ListedNames(std::vector<std::string> args = {}) {
    nlohmann::json listing = RoxiJson("documents", args);
    std::vector<std::string> names;
    for (const auto& d : listing["documents"]) names.push_back(d["name"].get<std::string>());
    return names;
  }

  void ExpectVerifyClean() {
    RunResult verify = Roxi("verify", {"--json"});
    EXPECT_EQ(verify.exit_code, 0) << verify.out;
  }
};

TEST_F(DocumentsTest, ListsDocumentsWithTheirChunks) {
  const std::vector<std::string> names = AddDocs("a", 3);
  nlohmann::json listing = RoxiJson("documents");
  ASSERT_EQ(listing["documents"].size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    const auto& d = listing["documents"][i];
    EXPECT_EQ(d["name"], names[i]);
    EXPECT_GT(d["chunks"].get<int>(), 0);
    EXPECT_EQ(d["embedded"], d["chunks"]);
    EXPECT_EQ(d["pending"], 0);
    EXPECT_GT(d["size_bytes"].get<int>(), 0);
    EXPECT_FALSE(d["ingested_at"].get<std::string>().empty());
  }
  EXPECT_EQ(listing["next_after"], "");
  // Paging and prefixes.
  nlohmann::json first = RoxiJson("documents", {"--limit", "2"});
  ASSERT_EQ(first["documents"].size(), 2u);
  EXPECT_EQ(first["next_after"], names[1]);
  EXPECT_EQ(ListedNames({"--after", names[1]}), std::vector<std::string>{names[2]});
  EXPECT_EQ(ListedNames({"--prefix", names[2]}), std::vector<std::string>{names[2]});
  EXPECT_TRUE(ListedNames({"--prefix", "/nowhere/"}).empty());
  EXPECT_EQ(Roxi("documents", {"--limit", "0"}).exit_code, 2);
}

TEST_F(DocumentsTest, DeleteOfflineRemovesTheDocumentFromSearchAtOnce) {
  const std::vector<std::string> names = AddDocs("a", 4);
  ASSERT_EQ(SearchDocuments("uniqa1").count(names[1]), 1u);

  // A dry run lists and changes nothing.
  nlohmann::json dry = RoxiJson("delete", {names[1], "--dry-run"});
  EXPECT_EQ(dry["dry_run"], true);
  ASSERT_EQ(dry["documents"].size(), 1u);
  EXPECT_EQ(ListedNames().size(), 4u);

  nlohmann::json deleted = RoxiJson("delete", {names[1]});
  EXPECT_EQ(deleted["deleted_documents"], 1);
  EXPECT_GT(deleted["deleted_chunks"].get<int>(), 0);
  EXPECT_EQ(SearchDocuments("uniqa1").count(names[1]), 0u);
  EXPECT_EQ(ListedNames().size(), 3u);
  nlohmann::json status = Status();
  EXPECT_EQ(status["documents"], 3);
  EXPECT_EQ(status["documents_deleted"], 1);
  ExpectVerifyClean();

  // A relative path names the same document as its absolute one.
  const std::string relative = fs::relative(names[2], fs::current_path()).string();
  EXPECT_EQ(RoxiJson("delete", {relative})["deleted_documents"], 1);

  // Ingesting the file again makes a new document, embedded afresh.
  ASSERT_EQ(Roxi("ingest", {names[1]}).exit_code, 0);
  EXPECT_EQ(Status()["pending"].get<int>(), deleted["deleted_chunks"].get<int>());
  ASSERT_EQ(Roxi("process", {"--quiet"}).exit_code, 0);
  EXPECT_EQ(SearchDocuments("uniqa1").count(names[1]), 1u);
  ExpectVerifyClean();
}

TEST_F(DocumentsTest, UnknownNameIsAnErrorAndNothingChanges) {
  const std::vector<std::string> names = AddDocs("a", 2);
  RunResult r = Roxi("delete", {names[0], "/no/such/doc.txt"});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_NE(r.err.find("/no/such/doc.txt"), std::string::npos) << r.err;
  EXPECT_EQ(ListedNames().size(), 2u);
  EXPECT_EQ(Roxi("delete").exit_code, 2);
  EXPECT_EQ(Roxi("delete", {"--prefix", ""}).exit_code, 2);
  // A prefix from the environment or roxi.conf never chooses what is deleted.
  RunOptions env;
  env.env["ROXI_PREFIX"] = "/";
  EXPECT_EQ(Roxi("delete", {}, env).exit_code, 2);
  EXPECT_EQ(ListedNames().size(), 2u);
}

TEST_F(DocumentsTest, DeleteByPrefixLeavesOtherFolders) {
  AddDocs("keep", 2);
  AddDocs("drop", 3);
  nlohmann::json deleted =
      RoxiJson("delete", {"--prefix", fs::absolute(docs_dir() + "/drop/").string()});
  EXPECT_EQ(deleted["deleted_documents"], 3);
  const std::vector<std::string> left = ListedNames();
  ASSERT_EQ(left.size(), 2u);
  for (const auto& name : left) EXPECT_NE(name.find("/keep/"), std::string::npos) << name;
  ExpectVerifyClean();
}

TEST_F(DocumentsTest, DeleteAndListThroughARunningServer) {
  const std::vector<std::string> names = AddDocs("a", 3);
  auto server = StartServe();
  EXPECT_EQ(ListedNames().size(), 3u);
  ASSERT_EQ(SearchDocuments("uniqa0").count(names[0]), 1u);
  RunResult deleted = Roxi("delete", {names[0]});
  ASSERT_EQ(deleted.exit_code, 0) << deleted.err;
  EXPECT_NE(deleted.out.find("through roxi pid"), std::string::npos) << deleted.out;
  EXPECT_EQ(SearchDocuments("uniqa0").count(names[0]), 0u);
  EXPECT_EQ(ListedNames().size(), 2u);
  RunResult unknown = Roxi("delete", {"/no/such"});
  EXPECT_EQ(unknown.exit_code, 4) << unknown.err;
  EXPECT_EQ(WaitForStatus(
                [](const nlohmann::json& s) { return s["documents"] == 2; })["documents_deleted"],
            1);
  EXPECT_EQ(StopServe(&server), 0);
  ExpectVerifyClean();
}

// A backup taken after a delete restores without the document; one taken before brings it back.
TEST_F(DocumentsTest, BackupsAndRestoreCarryDeletions) {
  const std::vector<std::string> names = AddDocs("a", 3);
  ASSERT_EQ(Roxi("backup").exit_code, 0);
  ASSERT_EQ(RoxiJson("delete", {names[0]})["deleted_documents"], 1);
  nlohmann::json after = RoxiJson("backup");
  ASSERT_EQ(after["incremental"], true) << after.dump();
  RunResult restored = Roxi("restore", {after["path"].get<std::string>(), "--force"});
  ASSERT_EQ(restored.exit_code, 0) << restored.err;
  EXPECT_EQ(ListedNames(), (std::vector<std::string>{names[1], names[2]}));
  EXPECT_EQ(Status()["documents_deleted"], 1);
  EXPECT_EQ(SearchDocuments("uniqa0").count(names[0]), 0u);
  ExpectVerifyClean();
}

// kill -9 at 20 points of a `delete --prefix` that commits one document per batch: each document
// is afterwards either whole (listed, searchable, all chunks embedded) or entirely gone, and the
// store verifies clean.
TEST_F(DocumentsTest, KillDuringPrefixDeleteLeavesEachDocumentWholeOrGone) {
  const std::vector<std::string> names = AddDocs("many", 12, 2);
  std::mt19937 rng(20261202);
  const std::string prefix = fs::absolute(docs_dir() + "/many/").string();
  for (int round = 0; round < 20; ++round) {
    if (ListedNames().empty()) {
      ASSERT_EQ(Roxi("ingest", {docs_dir() + "/many"}).exit_code, 0);
      ASSERT_EQ(Roxi("process", {"--quiet"}).exit_code, 0);
    }
    const size_t before = ListedNames().size();
    RunOptions crash;
    crash.env["ROXI_TEST_CRASH_AT"] =
        round % 2 == 0 ? "delete:before_commit" : "delete:after_commit";
    crash.env["ROXI_TEST_CRASH_AFTER"] = std::to_string(1 + rng() % before);
    crash.env["ROXI_TEST_DELETE_BATCH_DOCUMENTS"] = "1";
    RunResult r = Roxi("delete", {"--prefix", prefix}, crash);
    EXPECT_EQ(r.exit_code, 137) << r.err;

    const std::vector<std::string> left = ListedNames();
    EXPECT_LE(left.size(), before);
    nlohmann::json listing = RoxiJson("documents");
    for (const auto& d : listing["documents"]) {
      EXPECT_EQ(d["embedded"], d["chunks"]) << d.dump();
    }
    ExpectVerifyClean();
    nlohmann::json status = Status();
    EXPECT_EQ(status["documents"].get<size_t>(), left.size());
  }
}

}  // namespace
}  // namespace roxi::testing
