// End to end: `roxi search` through a running `roxi serve` obeys the rules it obeys alone. The
// command sends the identity of the embedder it was given; the server refuses one whose vectors
// the store does not hold, with the same message and exit code as a search without a server.
// Regression test for searches through a server that answered any --embedder with exit 0: a
// missing model file, an unreachable server, the new embedder during a re-embed (answered from the
// old vectors) and the old one after the swap (answered from the new ones).
#include <httplib.h>

#include "format/server_file.h"
#include "tests/cli/serve_fixture.h"
#include "tests/support/fake_embedding_server.h"

namespace roxi::testing {
namespace {

constexpr int kDocuments = 12;

// The "roxi: error: ..." line of a run's stderr; empty if none.
std::string ErrorLine(const RunResult& r) {
  const size_t at = r.err.rfind("roxi: error: ");
  if (at == std::string::npos) return "";
  return r.err.substr(at, r.err.find('\n', at) - at);
}

class SearchThroughServerTest : public ServeTest {
 protected:
  void EmbeddedStore() {
    for (int i = 0; i < kDocuments; ++i) {
      texts_.push_back(GeneratedParagraph(5100 + i, 20));
      WriteDoc("doc" + std::to_string(i) + ".txt", texts_.back());
    }
    RoxiJson("ingest", {docs_dir()});
    RoxiJson("process", {"--quiet"});
  }

  // Searches with `args` without a server and records the exit code and error line.
  void RecordOffline(const std::vector<std::string>& args) {
    RunResult r = Roxi("search", args);
    offline_.push_back({args, r.exit_code, ErrorLine(r)});
  }

  struct Case {
    std::vector<std::string> args;
    int exit_code;
    std::string error;
  };
  std::vector<std::string> texts_;
  std::vector<Case> offline_;
};

TEST_F(SearchThroughServerTest, EmbedderMismatchesAreRefusedAsWithoutAServer) {
  EmbeddedStore();
  const std::string unreachable = "openai:http://127.0.0.1:1/v1";
  RecordOffline({"--embedder", "static:/nonexistent.vec", "tides"});
  RecordOffline({"--embedder", unreachable, "--model", "m", "--dimensions", "16", "tides"});
  RecordOffline({"--embedder", unreachable, "--model", "m", "--max-retries", "0",
                 "--connect-timeout-ms", "500", "tides"});
  RecordOffline({"--dimensions", "64", "tides"});
  RecordOffline({"...", "!!"});
  EXPECT_EQ(offline_[0].exit_code, 4) << offline_[0].error;  // a missing path
  EXPECT_EQ(offline_[1].exit_code, 2) << offline_[1].error;
  EXPECT_EQ(offline_[2].exit_code, 6) << offline_[2].error;
  EXPECT_EQ(offline_[3].exit_code, 2) << offline_[3].error;
  EXPECT_EQ(offline_[4].exit_code, 2) << offline_[4].error;
  EXPECT_NE(offline_[3].error.find("holds vectors of"), std::string::npos) << offline_[3].error;
  EXPECT_NE(offline_[4].error.find("no searchable terms in the query"), std::string::npos)
      << offline_[4].error;

  auto server = StartServe();
  for (const Case& c : offline_) {
    RunResult r = Roxi("search", c.args);
    EXPECT_EQ(r.exit_code, c.exit_code) << c.args.front() << "\n" << r.out << r.err;
    // An unreachable server's error may carry timings; the others read the same word for word.
    if (c.exit_code != 6) {
      EXPECT_EQ(ErrorLine(r), c.error) << c.args.front();
    }
  }
  // The same embedder as the store's is answered, from the server's index.
  auto ok = RoxiJson("search", {"-k", "1", texts_[4]});
  EXPECT_TRUE(ok["results"][0]["document"].get<std::string>().ends_with("doc4.txt")) << ok.dump();

  // The API answers a query with nothing to search for with 400, as an empty one.
  auto record = format::DecodeServerFile(ReadFile(data_dir() + "/roxi.server"));
  ASSERT_TRUE(record.ok());
  httplib::Client client(record->host, static_cast<int>(record->port));
  auto res = client.Post("/v1/search", R"({"query": "... !!"})", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400) << res->body;
  EXPECT_NE(res->body.find("no searchable terms in the query"), std::string::npos) << res->body;
  EXPECT_EQ(StopServe(&server), 0);
}

TEST_F(SearchThroughServerTest, DuringAndAfterAReembedOnlyTheMatchingEmbedderIsAnswered) {
  EmbeddedStore();
  const std::string old_id = Status()["embedder"]["id"].get<std::string>();
  auto server = StartServe();
  FakeEmbeddingServerOptions slow;
  slow.dim = 16;
  slow.delay_ms = 150;  // batches of 2: about a second of re-embedding
  FakeEmbeddingServer embeddings(slow);
  const std::vector<std::string> new_flags{"--embedder", "openai:" + embeddings.BaseUrl(),
                                           "--model", "fake-embed", "--dimensions", "16"};
  std::vector<std::string> args{"reembed", "--data-dir", data_dir(), "--batch-size", "2",
                                "--json", "--quiet", "--log-level", "off"};
  args.insert(args.end(), new_flags.begin(), new_flags.end());
  const std::string log = dir_.Sub("reembed.out");
  BackgroundProcess reembed(RoxiBinary(), args, {}, log);

  int refused_during = 0;
  while (reembed.Running()) {
    std::vector<std::string> search = new_flags;
    search.insert(search.end(), {"-k", "1", "--json", texts_[0]});
    RunResult r = Roxi("search", search);
    if (r.exit_code == 0) {
      // Only once the swap is done may the new embedder be answered, from the new vectors.
      EXPECT_NE(nlohmann::json::parse(r.out)["embedder"], old_id) << r.out;
      break;
    }
    EXPECT_EQ(r.exit_code, 2) << r.err;
    if (r.err.find("is in progress") != std::string::npos) {
      ++refused_during;
    } else {
      // Before the server has started the re-embed, the new embedder is simply another one.
      EXPECT_EQ(refused_during, 0) << r.err;
      EXPECT_NE(r.err.find("holds vectors of '" + old_id + "'"), std::string::npos) << r.err;
    }
  }
  ASSERT_EQ(reembed.Wait(), 0) << ReadFile(log);
  EXPECT_GE(refused_during, 1) << "the re-embed should have been seen in progress";
  const std::string new_id = nlohmann::json::parse(ReadFile(log))["target"].get<std::string>();

  // After the swap: the old embedder is refused, the new one answered from the new vectors.
  RunResult old_search = Roxi("search", {"tides"});
  EXPECT_EQ(old_search.exit_code, 2) << old_search.out << old_search.err;
  EXPECT_NE(old_search.err.find("holds vectors of '" + new_id + "'"), std::string::npos)
      << old_search.err;
  std::vector<std::string> search = new_flags;
  search.insert(search.end(), {"-k", "1", texts_[7]});
  auto answered = RoxiJson("search", search);
  EXPECT_EQ(answered["embedder"], new_id);
  EXPECT_TRUE(answered["results"][0]["document"].get<std::string>().ends_with("doc7.txt"))
      << answered.dump();
  EXPECT_NE(old_id, new_id);
  EXPECT_EQ(StopServe(&server), 0);
}

}  // namespace
}  // namespace roxi::testing
