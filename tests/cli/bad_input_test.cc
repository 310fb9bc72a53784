// Bad input: a clear message naming the input, a non-zero exit, and the store unchanged.
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "format/hash.h"
#include "storage/store.h"
#include "tests/cli/cli_fixture.h"

namespace roxi::testing {
namespace {

class BadInputTest : public CliTest {
 protected:
  // A store holding one processed document, and its status as the baseline.
  void SetUp() override {
    WriteDoc("good.md", "Lighthouses guide ships past reefs with a rotating beam of light.");
    RoxiJson("ingest", {docs_dir() + "/good.md"});
    RoxiJson("process");
    baseline_ = Status();
  }
  void ExpectStoreUnchanged() {
    ExpectCountsUnchanged(baseline_);
  }
  nlohmann::json baseline_;
};

TEST_F(BadInputTest, MissingPathIsAnIoErrorNamingThePath) {
  const std::string missing = docs_dir() + "/nope.md";
  RunResult r = Roxi("ingest", {docs_dir() + "/good.md", missing});
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_NE(r.err.find("roxi: error:"), std::string::npos);
  EXPECT_NE(r.err.find(missing), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("no such file"), std::string::npos) << r.err;
  ExpectStoreUnchanged();
}

TEST_F(BadInputTest, MissingPathCreatesNoStore) {
  const std::string fresh = dir_.Sub("fresh");
  RunResult r = RunRoxi({"ingest", "--data-dir", fresh, dir_.Sub("nope.md")});
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_FALSE(std::filesystem::exists(fresh));
}

TEST_F(BadInputTest, BinaryFileNamedExplicitlyIsRefused) {
  std::string bytes("\x7f" "ELF\x02\x01\x01", 7);
  bytes.append(64, '\0');
  const std::string path = WriteDoc("program.bin", bytes);
  RunResult r = Roxi("ingest", {path});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(path), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("binary"), std::string::npos) << r.err;
  ExpectStoreUnchanged();
}

TEST_F(BadInputTest, InvalidUtf8NamedExplicitlyIsRefusedWithTheOffset) {
  const std::string path = WriteDoc("latin1.txt", "caf\xe9 au lait, na\xefve");
  RunResult r = Roxi("ingest", {path});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(path), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("invalid utf-8 at byte 3"), std::string::npos) << r.err;
  ExpectStoreUnchanged();
}

TEST_F(BadInputTest, BadFilesInsideAFolderAreSkippedWithAWarning) {
  std::string bytes("PK\x03\x04", 4);
  bytes.append(100, '\0');
  WriteDoc("folder/archive.zip", bytes);
  WriteDoc("folder/latin1.txt", "caf\xe9");
  WriteDoc("folder/fine.md", "Glaciers carve U-shaped valleys as they move.");
  auto r = RoxiJson("ingest", {docs_dir() + "/folder"});
  EXPECT_EQ(r["created"], 1);
  ASSERT_EQ(r["skipped"].size(), 2u);
  EXPECT_NE(r["skipped"][0]["path"].get<std::string>().find("archive.zip"), std::string::npos);
  EXPECT_NE(r["skipped"][1]["path"].get<std::string>().find("latin1.txt"), std::string::npos);
}

TEST_F(BadInputTest, NonRegularFileIsRefused) {
  const std::string fifo = docs_dir() + "/pipe";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0644), 0);
  RunResult r = Roxi("ingest", {fifo});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(fifo), std::string::npos) << r.err;
  ExpectStoreUnchanged();
}

TEST_F(BadInputTest, UnreadableFileIsAnIoError) {
  if (geteuid() == 0) GTEST_SKIP() << "root reads every file; permission bits cannot block it";
  const std::string path = WriteDoc("secret.md", "classified");
  ASSERT_EQ(chmod(path.c_str(), 0), 0);
  RunResult r = Roxi("ingest", {path});
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_NE(r.err.find(path), std::string::npos) << r.err;
  ExpectStoreUnchanged();
}

TEST_F(BadInputTest, UnknownFlagIsAUsageError) {
  RunResult r = Roxi("ingest", {"--frobnicate", docs_dir()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("frobnicate"), std::string::npos) << r.err;
  ExpectStoreUnchanged();
}

TEST_F(BadInputTest, BadOptionValuesNameTheOption) {
  RunResult target = Roxi("process", {"--target", "150%"});
  EXPECT_EQ(target.exit_code, 2);
  EXPECT_NE(target.err.find("--target 150%"), std::string::npos) << target.err;
  RunResult batch = Roxi("process", {"--batch-size", "0"});
  EXPECT_EQ(batch.exit_code, 2);
  EXPECT_NE(batch.err.find("batch size"), std::string::npos) << batch.err;
  RunResult overlap = Roxi("ingest", {"--chunk-overlap", "5000", docs_dir()});
  EXPECT_EQ(overlap.exit_code, 2);
  EXPECT_NE(overlap.err.find("overlap"), std::string::npos) << overlap.err;
  RunResult k = Roxi("search", {"-k", "0", "lighthouse"});
  EXPECT_EQ(k.exit_code, 2);
  RunResult empty = Roxi("search", {"  "});
  EXPECT_EQ(empty.exit_code, 2);
  ExpectStoreUnchanged();
}

TEST_F(BadInputTest, UnknownCommandAndMissingDataDirAreUsageErrors) {
  EXPECT_EQ(RunRoxi({"frobnicate"}).exit_code, 2);
  RunOptions no_env;
  no_env.env["ROXI_DATA_DIR"] = "";
  RunResult r = RunRoxi({"status"}, no_env);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--data-dir"), std::string::npos) << r.err;
}

TEST_F(BadInputTest, DataDirFromTheEnvironment) {
  RunOptions env;
  env.env["ROXI_DATA_DIR"] = data_dir();
  RunResult r = RunRoxi({"status", "--json"}, env);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["documents"], 1);
}

TEST_F(BadInputTest, MissingStoreIsReportedNotCreated) {
  const std::string fresh = dir_.Sub("fresh");
  for (const char* command : {"process", "status", "search"}) {
    std::vector<std::string> args{command, "--data-dir", fresh};
    if (std::string(command) == "search") args.push_back("anything");
    RunResult r = RunRoxi(args);
    EXPECT_EQ(r.exit_code, 4) << command << ": " << r.err;
    EXPECT_NE(r.err.find("roxi ingest"), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(fresh + "/db")) << command;
  }
}

TEST_F(BadInputTest, StoreOfAnotherEmbedderOrDimensionIsRefused) {
  const std::string other = dir_.Sub("other");
  {
    storage::StoreOptions options;
    options.data_dir = other;
    auto store = storage::Store::Open(options);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    const std::string id = "builtin:hash-v1:128";
    ASSERT_TRUE((*store)->BindEmbedder({id, format::Xxh3(id), 128}).ok());
  }
  for (const char* command : {"process", "search"}) {
    std::vector<std::string> args{command, "--data-dir", other};
    if (std::string(command) == "search") args.push_back("anything");
    RunResult r = RunRoxi(args);
    EXPECT_EQ(r.exit_code, 2) << command << ": " << r.err;
    EXPECT_NE(r.err.find("dimension 128"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("dimension 384"), std::string::npos) << r.err;
  }
}

TEST_F(BadInputTest, JsonErrorsAreOneDocumentOnStdout) {
  RunResult r = Roxi("ingest", {docs_dir() + "/nope.md", "--json"});
  EXPECT_EQ(r.exit_code, 4);
  auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["ok"], false);
  EXPECT_EQ(doc["exit_code"], 4);
  EXPECT_EQ(doc["error"]["code"], "not found");
  EXPECT_NE(doc["error"]["message"].get<std::string>().find("nope.md"), std::string::npos);
}

TEST_F(BadInputTest, EveryCommandHasHelp) {
  for (const char* command : {"ingest", "process", "search", "status", "serve", "backup",
                              "restore", "verify"}) {
    RunResult r = RunRoxi({command, "--help"});
    EXPECT_EQ(r.exit_code, 0) << command;
    EXPECT_NE(r.out.find("Usage: roxi"), std::string::npos) << command;
    EXPECT_NE(r.out.find("Exit codes"), std::string::npos) << command;
  }
  EXPECT_EQ(RunRoxi({"--help"}).exit_code, 0);
  RunResult version = RunRoxi({"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.out.rfind("roxi ", 0), 0u);
  // The commit the binary was built from, for a bug report (a 12-digit hash, or "unknown" when
  // built outside a git checkout).
  EXPECT_NE(version.out.find(" (commit "), std::string::npos) << version.out;
}

// Regression test: a --data-dir naming a regular file was reported as a broken roxi.conf (or
// roxi.server) inside it.
TEST_F(BadInputTest, DataDirThatIsAFileIsNamedAsTheDataDirectory) {
  const std::string file = docs_dir() + "/good.md";
  for (const char* command : {"status", "search", "ingest", "process", "serve", "backup", "config"}) {
    std::vector<std::string> args{command, "--data-dir", file};
    if (std::string(command) == "search") args.push_back("lighthouse");
    if (std::string(command) == "ingest") args.push_back(file);
    if (std::string(command) == "config") args.push_back("--effective");
    RunResult r = RunRoxi(args);
    EXPECT_EQ(r.exit_code, 4) << command << ": " << r.err;  // an unusable path, as one under a file
    EXPECT_NE(r.err.find("data directory " + file + ": exists and is not a directory"),
              std::string::npos)
        << command << ": " << r.err;
    EXPECT_EQ(r.err.find("roxi.conf"), std::string::npos) << command << ": " << r.err;
    EXPECT_EQ(r.err.find("roxi.server"), std::string::npos) << command << ": " << r.err;
  }
  RunResult below = RunRoxi({"status", "--data-dir", file + "/data"});
  EXPECT_EQ(below.exit_code, 4) << below.err;
  EXPECT_NE(below.err.find("not a directory"), std::string::npos) << below.err;
  ExpectStoreUnchanged();
}

}  // namespace
}  // namespace roxi::testing
