// Configuration end to end: flags > ROXI_* environment > config file > defaults as the real binary
// applies them, 'roxi config --effective', and config errors that stop every command before it
// writes anything.
#include <filesystem>
#include <regex>
#include <set>

#include "tests/cli/cli_fixture.h"

namespace roxi::testing {
namespace {

// clang-format off
const char* kServeOptions[] = {
    "batch-size", "target", "max-attempts", "embedder", "listen", "poll-min", "poll-max",
    "deep-sleep-after", "max-load-per-core", "max-memory-pressure", "min-memory-available",
    "load-check-every", "outage-backoff-max", "watch", "log-file", "log-max-bytes",
    "log-max-files", "block-cache-mb"};
// clang-format on

class ConfigTest : public CliTest {
 protected:
  std::string conf() const { return data_dir() + "/roxi.conf"; }
  void WriteConf(const std::string& contents) { WriteFile(conf(), contents); }

  // An environment in which no ROXI_* variable of the caller's shell sets a serve option (an empty
  // variable counts as unset), plus `extra`.
  static RunOptions CleanEnv(std::map<std::string, std::string> extra = {}) {
    RunOptions options;
    for (const char* name : kServeOptions) {
      std::string var = "ROXI_";
      for (const char* c = name; *c; ++c) var.push_back(*c == '-' ? '_' : std::toupper(*c));
      options.env[var] = "";
    }
    options.env["ROXI_CONFIG"] = "";
    options.env["ROXI_LOG_LEVEL"] = "";
    for (auto& [k, v] : extra) options.env[k] = v;
    return options;
  }

  // A store with a processed document, and its status as the baseline.
  void MakeStore() {
    WriteDoc("a.md", "Lighthouses guide ships past reefs with a rotating beam of light.");
    RoxiJson("ingest", {docs_dir() + "/a.md"});
    RoxiJson("process");
    baseline_ = Status();
  }

  nlohmann::json baseline_;
};

TEST_F(ConfigTest, EffectiveJsonShowsEveryServeOptionWithItsSource) {
  WriteConf("# daemon settings\nbatch-size = 64\npoll-max = 10\nwatch = /srv/a\nwatch = /srv/b\n");
  auto env = CleanEnv({{"ROXI_POLL_MAX", "20"},
                       {"ROXI_LISTEN", "0.0.0.0:7000"},
                       {"ROXI_EMBEDDER_API_KEY", "not-an-option"}});
  auto doc = RoxiJson("config", {"--effective", "--batch-size", "8"}, env);
  const auto& o = doc["options"];
  for (const char* name : kServeOptions) EXPECT_TRUE(o.contains(name)) << name;
  EXPECT_FALSE(o.contains("effective"));
  EXPECT_FALSE(o.contains("help"));
  EXPECT_EQ(doc["config_file"], conf());
  EXPECT_EQ(o["batch-size"]["value"], "8");
  EXPECT_EQ(o["batch-size"]["source"], "flag");
  EXPECT_EQ(o["poll-max"]["value"], "20");
  EXPECT_EQ(o["poll-max"]["source"], "env ROXI_POLL_MAX");
  EXPECT_EQ(o["listen"]["value"], "0.0.0.0:7000");
  EXPECT_EQ(o["watch"]["value"], nlohmann::json({"/srv/a", "/srv/b"}));
  EXPECT_EQ(o["watch"]["source"], "file " + conf());
  EXPECT_EQ(o["max-attempts"]["value"], "3");
  EXPECT_EQ(o["max-attempts"]["source"], "default");
  EXPECT_EQ(o["max-load-per-core"]["value"], "1.5");
  EXPECT_EQ(o["log-file"]["value"], "logs/roxi.log");
  EXPECT_EQ(o["data-dir"]["source"], "flag");
}

TEST_F(ConfigTest, EffectiveTextNamesTheFileAndEachSource) {
  WriteConf("max-attempts = 9\n");
  RunResult r = Roxi("config", {"--effective"}, CleanEnv());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("config file: " + conf()), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("file " + conf()), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("block-cache-mb"), std::string::npos) << r.out;
}

TEST_F(ConfigTest, ExplicitConfigFileReplacesTheDataDirOne) {
  WriteConf("max-attempts = 9\n");
  const std::string other = dir_.Sub("etc/roxi.conf");
  WriteFile(other, "target = 50%\n");
  auto doc = RoxiJson("config", {"--effective", "--config", other}, CleanEnv());
  EXPECT_EQ(doc["config_file"], other);
  EXPECT_EQ(doc["options"]["target"]["value"], "50%");
  EXPECT_EQ(doc["options"]["max-attempts"]["source"], "default");
}

TEST_F(ConfigTest, CommandsTakeTheirOptionsFromFileThenEnvironmentThenFlags) {
  for (int i = 0; i < 4; ++i) WriteDoc("d" + std::to_string(i) + ".md", GeneratedParagraph(i, 30));
  RoxiJson("ingest", {docs_dir()});
  RoxiJson("process");
  WriteConf("k = 1\n");
  EXPECT_EQ(RoxiJson("search", {"river"}, CleanEnv())["results"].size(), 1u);
  EXPECT_EQ(RoxiJson("search", {"river"}, CleanEnv({{"ROXI_K", "2"}}))["results"].size(), 2u);
  EXPECT_EQ(RoxiJson("search", {"river", "-k", "3"}, CleanEnv({{"ROXI_K", "2"}}))["results"].size(),
            3u);
}

TEST_F(ConfigTest, UnknownKeyStopsEveryCommandAndWritesNothing) {
  MakeStore();
  WriteDoc("b.md", "Glaciers carve U-shaped valleys as they move.");
  WriteConf("batch-size = 8\nfrobnicate = 1\n");
  for (std::vector<std::string> args : std::vector<std::vector<std::string>>{
           {"status"}, {"ingest", docs_dir() + "/b.md"}, {"process"}, {"search", "light"}}) {
    const std::string command = args.front();
    args.erase(args.begin());
    RunResult r = Roxi(command, args);
    EXPECT_EQ(r.exit_code, 2) << command << ": " << r.err;
    EXPECT_NE(r.err.find("config file " + conf() + ": unknown option 'frobnicate' (line 2)"),
              std::string::npos)
        << command << ": " << r.err;
  }
  std::filesystem::remove(conf());
  auto now = Status();
  for (const char* key : {"documents", "chunks", "embedded", "pending"}) {
    EXPECT_EQ(now[key], baseline_[key]) << key;
  }
}

TEST_F(ConfigTest, ConfigErrorCreatesNoStore) {
  WriteDoc("a.md", "Some text.");
  WriteConf("frobnicate = 1\n");
  EXPECT_EQ(Roxi("ingest", {docs_dir()}).exit_code, 2);
  std::vector<std::string> entries;
  for (const auto& e : std::filesystem::directory_iterator(data_dir())) {
    entries.push_back(e.path().filename().string());
  }
  EXPECT_EQ(entries, std::vector<std::string>{"roxi.conf"});
}

TEST_F(ConfigTest, MalformedLineBadValueAndBadLogLevelNameTheirPlace) {
  WriteConf("batch-size = 8\n\nthis line is wrong\n");
  RunResult malformed = Roxi("status");
  EXPECT_EQ(malformed.exit_code, 2);
  EXPECT_NE(malformed.err.find("config file " + conf() + ": line 3: "), std::string::npos)
      << malformed.err;

  WriteConf("batch-size = abc\n");
  RunResult bad = Roxi("process");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("config file " + conf() + ": bad value 'abc' for batch-size (line 1)"),
            std::string::npos)
      << bad.err;

  WriteConf("log-level = loud\n");
  RunResult level = Roxi("status");
  EXPECT_EQ(level.exit_code, 2);
  EXPECT_NE(level.err.find("log-level (file " + conf() + ")"), std::string::npos) << level.err;

  std::filesystem::remove(conf());
  RunResult env = Roxi("process", {}, CleanEnv({{"ROXI_BATCH_SIZE", "lots"}}));
  EXPECT_EQ(env.exit_code, 2);
  EXPECT_NE(env.err.find("environment variable ROXI_BATCH_SIZE: bad value 'lots'"),
            std::string::npos)
      << env.err;
}

TEST_F(ConfigTest, MissingExplicitConfigIsAnIoExitWithAJsonError) {
  const std::string missing = dir_.Sub("nope.conf");
  RunResult r = Roxi("status", {"--config", missing, "--json"});
  EXPECT_EQ(r.exit_code, 4);
  auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["ok"], false);
  EXPECT_EQ(doc["exit_code"], 4);
  EXPECT_NE(doc["error"]["message"].get<std::string>().find(missing), std::string::npos);
}

TEST_F(ConfigTest, JsonFromTheConfigFileAppliesToErrorsToo) {
  WriteConf("json = true\nbatch-size = abc\n");
  RunResult r = Roxi("process");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(nlohmann::json::parse(r.out)["exit_code"], 2);
}

TEST_F(ConfigTest, HelpIgnoresABrokenConfig) {
  WriteConf("frobnicate = 1\n");
  for (const char* command : {"status", "config"}) {
    RunResult r = Roxi(command, {"--help"});
    EXPECT_EQ(r.exit_code, 0) << command << ": " << r.err;
    EXPECT_NE(r.out.find("--config"), std::string::npos);
  }
}

TEST_F(ConfigTest, OneFileServesEveryCommand) {
  MakeStore();
  WriteConf("batch-size = 8\nchunk-size = 800\nk = 1\nlisten = 127.0.0.1:0\n");
  EXPECT_EQ(Roxi("status").exit_code, 0);
  EXPECT_EQ(Roxi("search", {"light"}).exit_code, 0);
  EXPECT_EQ(Roxi("process").exit_code, 0);
}

// The config keys other commands pass over are listed by hand (src/cli/config_keys.cc); every
// option any command shows in --help must be among them, or a roxi.conf holding it would stop the
// other commands with "unknown option".
TEST_F(ConfigTest, EveryCommandsOptionIsAKnownConfigKey) {
  std::set<std::string> keys;
  for (const char* command : {"ingest", "process", "search", "status", "serve", "backup", "restore",
                              "verify", "config", "bench"}) {
    RunResult help = RunRoxi({command, "--help"});
    ASSERT_EQ(help.exit_code, 0) << command;
    const std::regex flag("--([a-z0-9][a-z0-9-]*)");
    for (auto it = std::sregex_iterator(help.out.begin(), help.out.end(), flag);
         it != std::sregex_iterator(); ++it) {
      keys.insert((*it)[1]);
    }
  }
  // The keys 'roxi status' itself has (with values it checks) or a file may not set, and the
  // options taken from the command line only (CommandLine::CommandLineOnly).
  for (const char* own :
       {"help", "config", "data-dir", "json", "log-level", "strict-permissions", "sync", "meta",
        "filter", "prefix", "since", "until"}) {
    keys.erase(own);
  }
  ASSERT_GT(keys.size(), 20u);
  std::string conf_text;
  for (const auto& key : keys) conf_text += key + " = 1\n";
  WriteConf(conf_text);
  // No store here: status exits 4 for that, and 2 if any key were unknown.
  RunResult r = Roxi("status", {}, CleanEnv());
  EXPECT_EQ(r.exit_code, 4) << r.err;
}

TEST_F(ConfigTest, ConfigWithoutEffectiveIsAUsageError) {
  RunResult r = Roxi("config");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--effective"), std::string::npos) << r.err;
}

// Regression test: config --effective accepted values serve refuses (exit 0 against exit 2).
TEST_F(ConfigTest, EffectiveRefusesWhatServeRefusesWithTheSameMessage) {
  const std::vector<std::vector<std::string>> refused = {
      {"--batch-size", "0"}, {"--target", "0%"}, {"--backup-every", "2x"},
      {"--listen", "nowhere"}, {"--embedder", "bogus"}, {"--poll-min", "0"}};
  for (const auto& flags : refused) {
    RunResult config = Roxi("config", [&] {
      std::vector<std::string> args{"--effective"};
      args.insert(args.end(), flags.begin(), flags.end());
      return args;
    }(), CleanEnv());
    std::vector<std::string> serve_args{"--log-file", "-"};
    serve_args.insert(serve_args.end(), flags.begin(), flags.end());
    RunResult serve = Roxi("serve", serve_args, CleanEnv());
    EXPECT_EQ(serve.exit_code, 2) << flags[0] << ": " << serve.err;
    EXPECT_EQ(config.exit_code, 2) << flags[0] << ": " << config.out << config.err;
    EXPECT_EQ(config.err, serve.err) << flags[0];
  }
  // The same in the config file.
  WriteConf("batch-size = 0\n");
  RunResult from_file = Roxi("config", {"--effective"}, CleanEnv());
  EXPECT_EQ(from_file.exit_code, 2) << from_file.err;
  EXPECT_NE(from_file.err.find("batch size 0"), std::string::npos) << from_file.err;
  EXPECT_FALSE(std::filesystem::exists(data_dir() + "/db"));
}

}  // namespace
}  // namespace roxi::testing
