// End to end: foreground `roxi process` rides out an embedding server outage. It waits with
// exponential backoff (logged with the reason and the next try's time), charges no chunk an
// attempt, resumes when the server answers again, gives up after --give-up-after with exit code 6,
// and leaves a wait at once on Ctrl-C with exit code 130.
#include <csignal>
#include <chrono>
#include <filesystem>
#include <thread>

#include "tests/cli/cli_fixture.h"
#include "tests/support/fake_embedding_server.h"

namespace roxi::testing {
namespace {

class ProcessOutageTest : public CliTest {
 protected:
  void WriteDocs(size_t n) {
    for (size_t i = 0; i < n; ++i) {
      WriteDoc("doc" + std::to_string(i) + ".txt", GeneratedParagraph(2000 + i, 40));
    }
  }

  RunOptions Env() const {
    RunOptions o;
    o.env = {{"no_proxy", "127.0.0.1,localhost"}};
    return o;
  }

  // Flags of an OpenAI embedder at `url` that gives a batch up after its first failed request.
  static std::vector<std::string> Embedder(const std::string& url) {
    return {"--embedder", "openai:" + url, "--model", "test", "--dimensions", "16",
            "--max-retries", "0"};
  }

  static std::vector<std::string> Join(std::vector<std::string> a,
                                       const std::vector<std::string>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
  }

  FakeEmbeddingServer server_;
};

TEST_F(ProcessOutageTest, WaitsOutAnOutageAndChargesNoChunkAnAttempt) {
  WriteDocs(20);
  RoxiJson("ingest", {docs_dir()});
  // The first two requests fail with 500: with --max-retries 0 each is an outage of the batch.
  // One batch of one request, so the tries come one after the other.
  server_.AddFaults(Fault::kServerError, 2);
  // --max-attempts 1: a chunk charged for the outage would end failed.
  RunResult r = Roxi("process",
                     Join(Embedder(server_.BaseUrl()),
                          {"--batch-size", "32", "--max-attempts", "1", "--json"}),
                     Env());
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["embedded"], 20);
  EXPECT_EQ(doc["failed"], 0);
  EXPECT_EQ(doc["pending"], 0);
  // Two waits, the second twice the first, each with its reason and the time of the next try.
  EXPECT_NE(r.err.find("embedder unavailable, waiting"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("retry_in=1s"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("retry_in=2s"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("retry_at="), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("http 500"), std::string::npos) << r.err;
  EXPECT_EQ(Status()["failed"], 0);
}

TEST_F(ProcessOutageTest, GivesUpAfterTheLimitWithExitCodeSix) {
  WriteDocs(3);
  RoxiJson("ingest", {docs_dir()});
  // Nothing listens on port 1: tries at 0 s, 1 s and 2 s, then it gives up.
  RunResult r = Roxi("process",
                     Join(Embedder("http://127.0.0.1:1/v1"), {"--give-up-after", "2s"}), Env());
  EXPECT_EQ(r.exit_code, 6) << r.out << r.err;
  EXPECT_NE(r.err.find("giving up (--give-up-after 2s)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("127.0.0.1:1"), std::string::npos) << r.err;
  EXPECT_EQ(Status()["pending"], 3);
}

TEST_F(ProcessOutageTest, ABadDurationIsAUsageError) {
  WriteDocs(1);
  RoxiJson("ingest", {docs_dir()});
  RunResult r = Roxi("process", {"--give-up-after", "soon"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--give-up-after soon"), std::string::npos) << r.err;
}

TEST_F(ProcessOutageTest, CtrlCDuringAWaitExitsWith130) {
  WriteDocs(3);
  RoxiJson("ingest", {docs_dir()});
  const std::string log = dir_.Sub("process.log");
  std::vector<std::string> args = {"process", "--data-dir", data_dir()};
  for (const std::string& f : Embedder("http://127.0.0.1:1/v1")) args.push_back(f);
  BackgroundProcess process(RoxiBinary(), args, Env().env, log);
  const auto output = [&log] {
    return std::filesystem::exists(log) ? ReadFile(log) : std::string();
  };
  // Waits (up to 60 s) for the first backoff wait to begin; the default limit is 10 minutes.
  for (int i = 0; i < 600 && output().find("waiting") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_NE(output().find("embedder unavailable, waiting"), std::string::npos) << output();
  process.Kill(SIGINT);
  EXPECT_EQ(process.Wait(), 130) << output();
  EXPECT_NE(output().find("interrupted while waiting for the embedder"), std::string::npos)
      << output();
  EXPECT_EQ(Status()["pending"], 3);
}

}  // namespace
}  // namespace roxi::testing
