// "Never pay twice", end to end: the real roxi binary against an
// OpenAI-protocol server that logs every input it embeds. After a corpus is
// embedded, a copy of it under other names and an edited version of one file
// must reach the server only with the chunks whose text is new, and status must
// count the rest as reused.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

#include "format/chunk_record.h"
#include "storage/store.h"
#include "tests/cli/cli_fixture.h"
#include "tests/support/fake_embedding_server.h"

namespace roxi::testing {
namespace {

namespace fs = std::filesystem;

std::string ReadAll(const fs::path &path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class VectorReuseTest : public CliTest {
 protected:
  std::vector<std::string> Embedder() const {
    return {"--embedder", "openai:" + server_.BaseUrl(), "--model", "test", "--batch-size", "32"};
  }
  RunOptions Env() const {
    RunOptions o;
    o.env = {{"no_proxy", "127.0.0.1,localhost"}};
    return o;
  }
  // Every chunk text the server embedded, without the probe roxi sends to learn
  // the dimension.
  std::vector<std::string> SentTexts() const {
    std::vector<std::string> sent;
    for (std::string &s : server_.EmbeddedInputs()) {
      if (s != "roxi embedding probe") sent.push_back(std::move(s));
    }
    return sent;
  }
  // The text of every chunk the store holds, read directly from it.
  std::multiset<std::string> StoredChunkTexts() {
    storage::StoreOptions options;
    options.data_dir = data_dir();
    options.mode = storage::StoreOptions::Mode::kReadOnly;
    auto store = storage::Store::Open(options);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    std::multiset<std::string> texts;
    if (!store.ok()) return texts;
    EXPECT_TRUE((*store)
                    ->ForEachChunk([&](format::ChunkId, const format::ChunkRecord &r) {
                      texts.insert(r.text);
                      return roxi::Status::OK();
                    })
                    .ok());
    return texts;
  }
  FakeEmbeddingServer server_;
};

TEST_F(VectorReuseTest, CopiesAndAnEditReachTheServerOnlyWithNewText) {
  // Five multi-chunk documents of the demo corpus.
  const fs::path corpus = fs::path(ROXI_SOURCE_DIR) / "tools/demo-corpus/docs";
  std::vector<fs::path> originals;
  for (const char *name :
       {"antikythera-mechanism.md", "aquarium-nitrogen-cycle.md", "backup-rotation-3-2-1.md",
        "beekeeping-first-year.md", "bicycle-chain-maintenance.md"}) {
    originals.push_back(corpus / name);
    WriteDoc(std::string("a/") + name, ReadAll(corpus / name));
  }
  RoxiJson("ingest", {docs_dir() + "/a"});
  auto first = RoxiJson("process", Embedder(), Env());
  const std::multiset<std::string> stored = StoredChunkTexts();
  const std::set<std::string> before(stored.begin(), stored.end());
  const size_t first_inputs = SentTexts().size();
  EXPECT_EQ(first_inputs, before.size()) << "every distinct text once";
  ASSERT_GT(before.size(), 10u);
  server_.ClearRequests();

  // The same five under other names, and one of them edited in its middle.
  for (const fs::path &p : originals) WriteDoc("b/" + p.filename().string(), ReadAll(p));
  std::string edited = ReadAll(originals[2]);
  const size_t middle = edited.find(' ', edited.size() / 2);
  ASSERT_NE(middle, std::string::npos);
  edited.insert(middle, " (edited)");
  WriteDoc(std::string("a/") + originals[2].filename().string(), edited);

  auto ingest = RoxiJson("ingest", {docs_dir() + "/a", docs_dir() + "/b"});
  RoxiJson("process", Embedder(), Env());

  const std::multiset<std::string> after = StoredChunkTexts();
  std::set<std::string> new_texts;
  for (const std::string &t : after) {
    if (!before.count(t)) new_texts.insert(t);
  }
  ASSERT_FALSE(new_texts.empty());
  const std::vector<std::string> sent = SentTexts();
  EXPECT_EQ(std::set<std::string>(sent.begin(), sent.end()), new_texts);
  EXPECT_EQ(sent.size(), new_texts.size()) << "each new text once";
  for (const std::string &t : sent) EXPECT_NE(t.find("(edited)"), std::string::npos) << t;

  auto status = Status();
  EXPECT_EQ(status["embedded"], after.size());
  EXPECT_EQ(status["pending"], 0);
  // The copies reuse all first_inputs vectors, and the edited file its
  // unchanged chunks; only the queued chunks reached the server.
  EXPECT_EQ(ingest["chunks_queued"], sent.size());
  EXPECT_GT(ingest["chunks_reused"].get<size_t>(), first_inputs);
  EXPECT_EQ(status["embeddings_reused"], ingest["chunks_reused"]);
  auto verify = RoxiJson("verify");
  EXPECT_EQ(verify["clean"], true) << verify.dump();
}

TEST_F(VectorReuseTest, DuplicateTextInOneBatchIsEmbeddedOnce) {
  const std::string text = GeneratedParagraph(7, 60);
  for (int i = 0; i < 6; ++i) WriteDoc("copy" + std::to_string(i) + ".txt", text);
  WriteDoc("other.txt", GeneratedParagraph(8, 60));
  RoxiJson("ingest", {docs_dir()});
  RoxiJson("process", Embedder(), Env());
  const std::vector<std::string> sent = SentTexts();
  EXPECT_EQ(sent.size(), 2u);
  auto status = Status();
  EXPECT_EQ(status["embedded"], 7);
  EXPECT_EQ(status["embeddings_reused"], 5);
}

}  // namespace
}  // namespace roxi::testing
