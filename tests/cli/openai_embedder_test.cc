// End to end with an OpenAI-protocol embedding server: the real roxi binary ingests, processes and
// searches against FakeEmbeddingServer on 127.0.0.1, which logs every request it serves.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>

#include "tests/cli/cli_fixture.h"
#include "tests/support/fake_embedding_server.h"

namespace roxi::testing {
namespace {

constexpr const char* kApiKey = "sk-test-5f3a9c0d1e2b";

class OpenAiEmbedderCliTest : public CliTest {
 protected:
  // Documents small enough to be one chunk each, so a chunk's text is its document's text.
  std::vector<std::string> WriteDocs(size_t n) {
    std::vector<std::string> texts;
    for (size_t i = 0; i < n; ++i) {
      texts.push_back(GeneratedParagraph(1000 + i, 40));
      WriteDoc("doc" + std::to_string(i) + ".txt", texts.back());
    }
    return texts;
  }

  std::vector<std::string> EmbedderFlags() const {
    return {"--embedder", "openai:" + server_.BaseUrl(), "--model", "test"};
  }

  std::vector<std::string> With(std::vector<std::string> args) const {
    for (const std::string& f : EmbedderFlags()) args.push_back(f);
    return args;
  }

  RunOptions Env() const {
    RunOptions o;
    o.env = {{"no_proxy", "127.0.0.1,localhost"}, {"ROXI_EMBEDDER_API_KEY", kApiKey}};
    return o;
  }

  // How often each text reached the server in a request it answered correctly.
  std::map<std::string, int> EmbeddedCounts() const {
    std::map<std::string, int> count;
    for (const std::string& s : server_.EmbeddedInputs()) ++count[s];
    return count;
  }

  // True if any file under the data directory contains `needle`.
  bool DataDirContains(const std::string& needle) const {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(data_dir())) {
      if (!entry.is_regular_file()) continue;
      std::ifstream in(entry.path(), std::ios::binary);
      const std::string bytes((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
      if (bytes.find(needle) != std::string::npos) return true;
    }
    return false;
  }

  FakeEmbeddingServer server_;
};

TEST_F(OpenAiEmbedderCliTest, EveryChunkIsEmbeddedOnceAndSearchFindsIt) {
  const auto texts = WriteDocs(40);
  RoxiJson("ingest", {docs_dir()});
  auto process = RoxiJson("process", With({"--batch-size", "16"}), Env());
  EXPECT_EQ(process["embedded"], 40);
  EXPECT_EQ(process["pending"], 0);

  const auto counts = EmbeddedCounts();
  for (const std::string& t : texts) EXPECT_EQ(counts.count(t) ? counts.at(t) : 0, 1) << t;
  for (const FakeRequest& r : server_.Requests()) {
    EXPECT_EQ(r.model, "test");
    EXPECT_EQ(r.authorization, std::string("Bearer ") + kApiKey);
  }
  auto status = Status();
  EXPECT_EQ(status["embedded"], 40);
  EXPECT_EQ(status["embedder"]["dim"], 16);

  // The fake server's vectors depend on the exact text, so a chunk's own text finds it first.
  auto search = RoxiJson("search", With({texts[7], "-k", "3"}), Env());
  ASSERT_FALSE(search["results"].empty()) << search.dump();
  EXPECT_TRUE(search["results"][0]["document"].get<std::string>().ends_with("doc7.txt"));
  EXPECT_GT(search["results"][0]["score"].get<double>(), 0.99);
  EXPECT_FALSE(DataDirContains(kApiKey));
}

TEST_F(OpenAiEmbedderCliTest, FaultsAreRetriedAndABadChunkAloneFails) {
  auto texts = WriteDocs(12);
  WriteDoc("bad.txt", "this chunk carries a <reject> marker");
  RoxiJson("ingest", {docs_dir()});
  server_.AddFaults(Fault::kTooManyRequests, 1, "1");
  server_.AddFaults(Fault::kServerError, 1);
  server_.AddFaults(Fault::kWrongDimension, 1);
  // --dimensions: no probe request, so the faults meet the chunks' requests.
  auto process = RoxiJson(
      "process", With({"--max-attempts", "1", "--batch-size", "8", "--dimensions", "16"}), Env());
  EXPECT_EQ(process["embedded"], 12);
  EXPECT_EQ(process["failed"], 1);
  EXPECT_EQ(process["pending"], 0);
  const auto counts = EmbeddedCounts();
  for (const std::string& t : texts) EXPECT_EQ(counts.count(t) ? counts.at(t) : 0, 1) << t;
  EXPECT_EQ(counts.count("this chunk carries a <reject> marker"), 0u);
}

TEST_F(OpenAiEmbedderCliTest, AnUnreachableServerIsExitCodeSixAndLeavesChunksPending) {
  WriteDocs(3);
  RoxiJson("ingest", {docs_dir()});
  // --give-up-after 0: no waiting for the server to come back (process_outage_test.cc waits).
  RunResult r = Roxi("process",
                     {"--embedder", "openai:http://127.0.0.1:1/v1", "--model", "test",
                      "--dimensions", "16", "--max-retries", "1", "--give-up-after", "0", "--json"},
                     Env());
  EXPECT_EQ(r.exit_code, 6) << r.out << r.err;
  EXPECT_NE(r.err.find("http://127.0.0.1:1/v1/embeddings"), std::string::npos) << r.err;
  EXPECT_EQ(Status()["pending"], 3);
}

TEST_F(OpenAiEmbedderCliTest, ABadKeyIsAConfigurationErrorThatNeverShowsTheKey) {
  WriteDocs(2);
  RoxiJson("ingest", {docs_dir()});
  server_.AddFaults(Fault::kUnauthorized, 1);
  RunResult r = Roxi("process", With({"--json", "--log-level", "debug"}), Env());
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("http 401"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find(kApiKey), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find(kApiKey), std::string::npos) << r.out;
}

TEST_F(OpenAiEmbedderCliTest, TheStoreRefusesAnotherEmbedderAfterwards) {
  WriteDocs(2);
  RoxiJson("ingest", {docs_dir()});
  RoxiJson("process", With({}), Env());
  RunResult builtin = Roxi("search", {"river", "--json"});
  EXPECT_EQ(builtin.exit_code, 2) << builtin.out << builtin.err;
  RunResult other_model = Roxi(
      "search", {"river", "--embedder", "openai:" + server_.BaseUrl(), "--model", "other"}, Env());
  EXPECT_EQ(other_model.exit_code, 2) << other_model.err;
}

TEST_F(OpenAiEmbedderCliTest, FlagsAreCheckedAgainstTheEmbedderKind) {
  WriteDocs(1);
  RoxiJson("ingest", {docs_dir()});
  RunResult r = Roxi("process", {"--model", "x"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--model: does not apply to the builtin embedder"), std::string::npos)
      << r.err;
  r = Roxi("process", With({"--timeout-ms", "soon"}), Env());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--timeout-ms soon: want a whole number"), std::string::npos) << r.err;
  r = Roxi("process", {"--embedder", "openai:" + server_.BaseUrl()}, Env());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--model: required for openai embedders"), std::string::npos) << r.err;
  EXPECT_TRUE(server_.Requests().empty());
}

}  // namespace
}  // namespace roxi::testing
