// End to end: the store follows the disk. `roxi ingest --sync DIR` deletes the documents of DIR
// whose files are gone (and --dry-run only lists them); a watched folder deletes a deleted file's
// document and renames a moved one without sending any text to the embedder (counted at an
// OpenAI-protocol test server).
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "tests/cli/serve_fixture.h"
#include "tests/support/fake_embedding_server.h"

namespace roxi::testing {
namespace {

namespace fs = std::filesystem;

class FolderSyncTest : public ServeTest {
 protected:
  std::string WriteNumbered(const std::string& folder, int i) {
    std::string text = "uniq" + std::to_string(i) + " marker.\n\n";
    for (int p = 0; p < 3; ++p) text += GeneratedParagraph(i * 10 + p, 80) + "\n\n";
    return fs::absolute(WriteDoc(folder + "/doc" + std::to_string(i) + ".txt", text)).string();
  }

  std::set<std::string> Names() {
    const nlohmann::json listing = RoxiJson("documents");
    std::set<std::string> names;
    for (const auto& d : listing["documents"]) names.insert(d["name"].get<std::string>());
    return names;
  }
};

TEST_F(FolderSyncTest, IngestSyncDeletesDocumentsWhoseFilesAreGone) {
  std::vector<std::string> files;
  for (int i = 0; i < 4; ++i) files.push_back(WriteNumbered("f", i));
  const std::string outside = WriteNumbered("other", 9);
  ASSERT_EQ(Roxi("ingest", {docs_dir() + "/f", outside}).exit_code, 0);
  fs::remove(files[1]);
  fs::remove(files[3]);
  fs::remove(outside);  // not under the folder synced: stays

  nlohmann::json dry = RoxiJson("ingest", {docs_dir() + "/f", "--sync", "--dry-run"});
  EXPECT_EQ(dry["dry_run"], true);
  EXPECT_EQ(dry["documents"].size(), 2u);
  EXPECT_EQ(Names().size(), 5u);
  EXPECT_EQ(Roxi("ingest", {docs_dir() + "/f", "--dry-run"}).exit_code, 2);

  nlohmann::json synced = RoxiJson("ingest", {docs_dir() + "/f", "--sync"});
  EXPECT_EQ(synced["deleted_documents"], 2);
  EXPECT_EQ(Names(), (std::set<std::string>{files[0], files[2], outside}));
  EXPECT_EQ(Roxi("verify").exit_code, 0);
}

TEST_F(FolderSyncTest, IngestSyncThroughARunningServer) {
  std::vector<std::string> files;
  for (int i = 0; i < 3; ++i) files.push_back(WriteNumbered("f", i));
  ASSERT_EQ(Roxi("ingest", {docs_dir() + "/f"}).exit_code, 0);
  auto server = StartServe();
  fs::remove(files[0]);
  nlohmann::json synced = RoxiJson("ingest", {docs_dir() + "/f", "--sync"});
  EXPECT_EQ(synced["deleted_documents"], 1);
  EXPECT_EQ(Names(), (std::set<std::string>{files[1], files[2]}));
  EXPECT_EQ(StopServe(&server), 0);
}

TEST_F(FolderSyncTest, WatchedFolderFollowsDeletesAndRenamesWithoutEmbedding) {
  FakeEmbeddingServer embedder;
  const std::string watched = docs_dir() + "/w";
  std::vector<std::string> files;
  for (int i = 0; i < 3; ++i) files.push_back(WriteNumbered("w", i));
  const std::string gone_while_down = WriteNumbered("w", 7);
  const std::vector<std::string> openai = {"--embedder", "openai:" + embedder.BaseUrl(), "--model",
                                           "test"};
  std::vector<std::string> serve_args = {"--watch", watched};
  serve_args.insert(serve_args.end(), openai.begin(), openai.end());
  const std::map<std::string, std::string> env = {{"no_proxy", "127.0.0.1,localhost"}};
  auto server = StartServe(serve_args, env);
  WaitForStatus([](const nlohmann::json& s) {
    return s["documents"] == 4 && s["pending"] == 0 && s["embedded"].get<int>() > 0;
  });
  EXPECT_EQ(StopServe(&server), 0);

  // Deleted while no server ran: the next start's scan catches it.
  fs::remove(gone_while_down);
  server = StartServe(serve_args, env);
  WaitForStatus([](const nlohmann::json& s) { return s["documents"] == 3; }, 30);
  embedder.ClearRequests();

  // A file deleted while serving.
  fs::remove(files[0]);
  WaitForStatus([](const nlohmann::json& s) { return s["documents"] == 2; }, 30);
  EXPECT_EQ(Names(), (std::set<std::string>{files[1], files[2]}));

  // A rename and a move into a subfolder: same documents under new names, nothing embedded.
  const std::string renamed = watched + "/renamed.txt";
  fs::rename(files[1], renamed);
  fs::create_directories(watched + "/sub");
  const std::string moved = watched + "/sub/moved.txt";
  fs::rename(files[2], moved);
  WaitForStatus(
      [&](const nlohmann::json& s) {
        (void)s;
        return Names() == std::set<std::string>{renamed, moved};
      },
      30);
  nlohmann::json status = WaitForStatus(
      [](const nlohmann::json& s) { return s["documents"] == 2 && s["pending"] == 0; }, 30);
  EXPECT_TRUE(embedder.EmbeddedInputs().empty())
      << embedder.EmbeddedInputs().size() << " text(s) embedded after a rename";

  // A folder moved out of the watched tree takes its documents with it.
  fs::rename(watched + "/sub", docs_dir() + "/sub-outside");
  WaitForStatus([](const nlohmann::json& s) { return s["documents"] == 1; }, 30);
  EXPECT_EQ(StopServe(&server), 0);
  EXPECT_EQ(Roxi("verify").exit_code, 0);
}

TEST_F(FolderSyncTest, WatchDeletesKeepLeavesDocuments) {
  const std::string file = WriteNumbered("w", 0);
  auto server = StartServe({"--watch", docs_dir() + "/w", "--watch-deletes", "keep"});
  WaitForStatus([](const nlohmann::json& s) { return s["documents"] == 1; }, 30);
  fs::remove(file);
  // Give the watcher time to see it and (not) act.
  WriteNumbered("w", 1);
  WaitForStatus([](const nlohmann::json& s) { return s["documents"] == 2; }, 30);
  EXPECT_EQ(Names().count(file), 1u);
  EXPECT_EQ(StopServe(&server), 0);
  EXPECT_EQ(Roxi("serve", {"--watch-deletes", "maybe"}).exit_code, 2);
}

}  // namespace
}  // namespace roxi::testing
