// End to end with a static word-embedding model: the real roxi binary builds the model's cache
// once, embeds every chunk offline and searches with it.
#include <filesystem>

#include "tests/cli/cli_fixture.h"

namespace roxi::testing {
namespace {

// Four topics on four axes; "the" and "of" lie between them all.
const char* kModel =
    "10 4\n"
    "the 0.5 0.5 0.5 0.5\n"
    "of 0.5 0.5 0.5 0.5\n"
    "tide 1 0 0 0\n"
    "moon 0.9 0.1 0 0\n"
    "orchid 0 1 0 0\n"
    "bark 0 0.9 0.1 0\n"
    "parity 0 0 1 0\n"
    "disk 0 0 0.9 0.1\n"
    "flour 0 0 0 1\n"
    "starter 0.1 0 0 0.9\n";

class StaticEmbedderCliTest : public CliTest {
 protected:
  std::string Model() {
    const std::string path = dir_.Sub("model/words.vec");
    WriteFile(path, kModel);
    return path;
  }
};

TEST_F(StaticEmbedderCliTest, BuildsTheCacheOnceAndSearchesOffline) {
  const std::string model = Model();
  WriteDoc("tides.txt", "The tide follows the moon.");
  WriteDoc("orchids.txt", "Orchids like bark.");
  WriteDoc("raid.txt", "Parity of every disk.");
  WriteDoc("bread.txt", "Feed the starter flour.");
  RoxiJson("ingest", {docs_dir()});
  RunResult first = Roxi("process", {"--embedder", "static:" + model, "--log-level", "info"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.err.find("building static model cache"), std::string::npos) << first.err;
  EXPECT_TRUE(std::filesystem::exists(model + ".roxi-cache"));
  auto status = Status();
  EXPECT_EQ(status["embedded"], 4);
  EXPECT_EQ(status["embedder"]["dim"], 4);
  EXPECT_EQ(status["embedder"]["id"].get<std::string>().rfind("static:", 0), 0u);

  RunResult search = Roxi("search", {"--embedder", "static:" + model, "--json", "--log-level",
                                     "info", "disks", "and", "parity"});
  ASSERT_EQ(search.exit_code, 0) << search.err;
  EXPECT_EQ(search.err.find("building static model cache"), std::string::npos) << search.err;
  auto doc = nlohmann::json::parse(search.out);
  EXPECT_TRUE(doc["results"][0]["document"].get<std::string>().ends_with("raid.txt"));
}

TEST_F(StaticEmbedderCliTest, PoolingIsPartOfTheIdentity) {
  const std::string model = Model();
  WriteDoc("a.txt", "tide and moon");
  RoxiJson("ingest", {docs_dir()});
  RoxiJson("process", {"--embedder", "static:" + model, "--pooling", "mean"});
  RunResult sif = Roxi("search", {"--embedder", "static:" + model, "tide"});
  EXPECT_EQ(sif.exit_code, 2) << sif.err;
  RunResult mean = Roxi("search", {"--embedder", "static:" + model, "--pooling", "mean", "tide"});
  EXPECT_EQ(mean.exit_code, 0) << mean.err;
}

TEST_F(StaticEmbedderCliTest, AMissingOrMalformedModelIsReported) {
  WriteDoc("a.txt", "tide");
  RoxiJson("ingest", {docs_dir()});
  RunResult missing = Roxi("process", {"--embedder", "static:" + dir_.Sub("none.vec")});
  EXPECT_EQ(missing.exit_code, 4) << missing.err;
  EXPECT_NE(missing.err.find("none.vec"), std::string::npos) << missing.err;
  const std::string bad = dir_.Sub("bad.vec");
  WriteFile(bad, "2 3\nword 1 2\n");
  RunResult malformed = Roxi("process", {"--embedder", "static:" + bad});
  EXPECT_EQ(malformed.exit_code, 2) << malformed.err;
  EXPECT_NE(malformed.err.find("bad.vec line 2: has 2 numbers, expected 3"), std::string::npos)
      << malformed.err;
  RunResult flag = Roxi("process", {"--embedder", "static:" + bad, "--model", "x"});
  EXPECT_EQ(flag.exit_code, 2);
  EXPECT_NE(flag.err.find("--model: does not apply to the static embedder"), std::string::npos)
      << flag.err;
}

}  // namespace
}  // namespace roxi::testing
