// End to end: `roxi reembed` while `roxi serve` owns the data directory. The server re-embeds in
// the background and keeps answering searches, each from one model, then moves its processor,
// queries and index to the new embedder at the swap.
#include <map>

#include "format/hash.h"
#include "storage/store.h"
#include "tests/cli/serve_fixture.h"
#include "tests/support/fake_embedding_server.h"

namespace roxi::testing {
namespace {

constexpr int kDocuments = 16;

class ReembedServeTest : public ServeTest {};

TEST_F(ReembedServeTest, TheServerReembedsInTheBackgroundAndSwitchesEverythingAtTheSwap) {
  std::vector<std::string> texts;
  for (int i = 0; i < kDocuments; ++i) {
    texts.push_back(GeneratedParagraph(9100 + i, 20));
    WriteDoc("doc" + std::to_string(i) + ".txt", texts.back());
  }
  auto server = StartServe();
  RoxiJson("ingest", {docs_dir()});
  WaitForStatus([](const nlohmann::json& s) { return s["embedded"] == kDocuments; });
  const std::string old_id = Status()["embedder"]["id"].get<std::string>();

  FakeEmbeddingServerOptions slow;
  slow.dim = 16;
  slow.delay_ms = 100;
  FakeEmbeddingServer embeddings(slow);
  const std::string log = dir_.Sub("reembed.out");
  BackgroundProcess reembed(RoxiBinary(),
                            {"reembed", "--data-dir", data_dir(), "--batch-size", "2", "--json",
                             "--quiet", "--log-level", "off", "--embedder",
                             "openai:" + embeddings.BaseUrl(), "--model", "fake-embed",
                             "--dimensions", "16"},
                            {}, log);
  std::map<std::string, int> answers_by_embedder;
  for (int i = 0; reembed.Running(); ++i) {
    RunResult r = Roxi("search", {"--json", "-k", "2", texts[i % kDocuments]});
    if (r.exit_code == 2) {
      // The swap happened between two searches: these, with the old embedder, are refused from
      // then on, as without a server.
      EXPECT_NE(r.err.find("roxi reembed"), std::string::npos) << r.err;
      break;
    }
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto json = nlohmann::json::parse(r.out);
    ++answers_by_embedder[json["embedder"].get<std::string>()];
    EXPECT_TRUE(json["results"][0]["document"].get<std::string>().ends_with(
        "doc" + std::to_string(i % kDocuments) + ".txt"))
        << json.dump();
    EXPECT_GT(json["results"][0]["score"].get<double>(), 0.99) << json.dump();
  }
  ASSERT_EQ(reembed.Wait(), 0) << ReadFile(log);
  auto result = nlohmann::json::parse(ReadFile(log));
  EXPECT_TRUE(result["swapped"].get<bool>()) << result.dump();
  const std::string new_id = result["target"].get<std::string>();
  EXPECT_GE(answers_by_embedder[old_id], 2) << "searches should answer while the re-embed runs";
  for (const auto& [id, count] : answers_by_embedder) EXPECT_TRUE(id == old_id || id == new_id) << id;

  // After the swap the server searches, and embeds new chunks, with the new embedder.
  auto after = RoxiJson("search", {"-k", "1", texts[3], "--embedder", "openai:" + embeddings.BaseUrl(),
                                   "--model", "fake-embed", "--dimensions", "16"});
  EXPECT_EQ(after["embedder"], new_id);
  EXPECT_GT(after["results"][0]["score"].get<double>(), 0.99) << after.dump();
  WriteDoc("late.txt", GeneratedParagraph(9999, 20));
  RoxiJson("ingest", {docs_dir() + "/late.txt"});
  auto status = WaitForStatus([](const nlohmann::json& s) { return s["embedded"] == kDocuments + 1; });
  EXPECT_EQ(status["embedder"]["id"], new_id);
  EXPECT_TRUE(status["reembed"].is_null());
  EXPECT_FALSE(status["server"]["reembedding"].get<bool>());
  EXPECT_EQ(StopServe(&server), 0);

  storage::StoreOptions options;
  options.data_dir = data_dir();
  options.mode = storage::StoreOptions::Mode::kReadOnly;
  auto store = storage::Store::Open(options);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  std::map<uint64_t, int> models;
  ASSERT_TRUE((*store)
                  ->ForEachVector([&](format::ChunkId, const format::VectorRecord& v) {
                    ++models[v.model];
                    return roxi::Status::OK();
                  })
                  .ok());
  EXPECT_EQ(models, (std::map<uint64_t, int>{{format::Xxh3(new_id), kDocuments + 1}}));
  EXPECT_TRUE(RoxiJson("verify")["clean"].get<bool>());
}

}  // namespace
}  // namespace roxi::testing
