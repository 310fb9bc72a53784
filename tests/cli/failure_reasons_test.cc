// End to end: `status` groups failed chunks by a reason without its volatile parts. Regression
// test for failures of one cause split into one group per port their embedding server had.
#include "tests/cli/cli_fixture.h"
#include "tests/support/fake_embedding_server.h"

namespace roxi::testing {
namespace {

class FailureReasonsTest : public CliTest {
 protected:
  // Embeds what is pending with an OpenAI-protocol server that refuses "<reject>", giving up on a
  // chunk at its first refusal.
  void ProcessWith(const FakeEmbeddingServer& server) {
    RunOptions env;
    env.env = {{"no_proxy", "127.0.0.1,localhost"}};
    RunResult r = Roxi("process", {"--embedder", "openai:" + server.BaseUrl(), "--model", "test",
                                   "--dimensions", "16", "--max-attempts", "1", "--quiet"},
                       env);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
};

TEST_F(FailureReasonsTest, OneCauseIsOneGroupWhateverTheServersPort) {
  WriteDoc("good.txt", GeneratedParagraph(1, 30));
  WriteDoc("bad1.txt", "this one carries <reject> and is refused");
  RoxiJson("ingest", {docs_dir()});
  {
    FakeEmbeddingServer first;
    ProcessWith(first);
  }
  WriteDoc("bad2.txt", "this one carries <reject> too, and is refused as well");
  RoxiJson("ingest", {docs_dir() + "/bad2.txt"});
  FakeEmbeddingServer second;  // another port
  ProcessWith(second);

  auto status = Status();
  EXPECT_EQ(status["failed"], 2);
  ASSERT_EQ(status["failures_by_reason"].size(), 1u) << status["failures_by_reason"].dump();
  EXPECT_EQ(status["failures_by_reason"][0]["count"], 2);
  const std::string reason = status["failures_by_reason"][0]["reason"].get<std::string>();
  EXPECT_NE(reason.find("http://127.0.0.1/"), std::string::npos) << reason;
}

}  // namespace
}  // namespace roxi::testing
