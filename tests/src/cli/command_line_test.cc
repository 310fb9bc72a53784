// CommandLine: flags > ROXI_* environment > config file > defaults, the errors of each source,
// ReloadConfig and Effective.
#include "src/cli/command_line.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>

#include "src/cli/serve_options.h"
#include "src/common/log.h"
#include "tests/support/scoped_env.h"
#include "tests/support/temp_dir.h"

namespace roxi::cli {
namespace {

using roxi::testing::ScopedEnv;
using roxi::testing::TempDir;
using roxi::testing::WriteFile;

class CommandLineTest : public ::testing::Test {
 protected:
  CommandLineTest() {
    // Whatever the shell running the tests has set must not leak in.
    for (const char* name : {"ROXI_DATA_DIR", "ROXI_CONFIG", "ROXI_BATCH_SIZE", "ROXI_POLL_MIN",
                             "ROXI_POLL_MAX", "ROXI_MAX_ATTEMPTS", "ROXI_WATCH", "ROXI_LOG_LEVEL",
                             "ROXI_JSON", "ROXI_HELP", "ROXI_TARGET"}) {
      env_.push_back(std::make_unique<ScopedEnv>(name, std::nullopt));
    }
    AddServeOptions(&cl_.options(), &flags_);
  }

  std::string data_dir() const { return dir_.Sub("data"); }
  std::string conf() const { return data_dir() + "/roxi.conf"; }
  void WriteConf(const std::string& contents) { WriteFile(conf(), contents); }
  void SetEnv(const std::string& name, const std::string& value) {
    env_.push_back(std::make_unique<ScopedEnv>(name, value));
  }

  // Reads `args` after "--data-dir <data>".
  Status Read(std::vector<std::string> args = {}) {
    args.insert(args.begin(), {"--data-dir", data_dir()});
    bool help = false;
    return cl_.Read(args, &help);
  }

  std::string SourceOf(const std::string& name) const {
    for (const auto& o : cl_.Effective()) {
      if (o.name == name) return o.source;
    }
    return "(no such option)";
  }

  TempDir dir_;
  std::vector<std::unique_ptr<ScopedEnv>> env_;
  CommandLine cl_{"test", "roxi test [options]", "A command for tests."};
  ServeFlags flags_;
};

TEST_F(CommandLineTest, FlagBeatsEnvironmentBeatsFileBeatsDefault) {
  WriteConf("batch-size = 10\npoll-max = 11\npoll-min = 0.5\n");
  SetEnv("ROXI_BATCH_SIZE", "20");
  SetEnv("ROXI_POLL_MAX", "21");
  ASSERT_TRUE(Read({"--batch-size", "30"}).ok());
  EXPECT_EQ(flags_.batch_size, 30u);
  EXPECT_EQ(flags_.poll_max, 21.0);
  EXPECT_EQ(flags_.poll_min, 0.5);
  EXPECT_EQ(flags_.max_attempts, 3u);
  EXPECT_EQ(SourceOf("batch-size"), "flag");
  EXPECT_EQ(SourceOf("poll-max"), "env ROXI_POLL_MAX");
  EXPECT_EQ(SourceOf("poll-min"), "file " + conf());
  EXPECT_EQ(SourceOf("max-attempts"), "default");
  EXPECT_EQ(SourceOf("data-dir"), "flag");
  EXPECT_EQ(SourceOf("config"), "unset");
  EXPECT_EQ(cl_.config_file(), conf());
}

TEST_F(CommandLineTest, DataDirAndConfigComeFromTheEnvironment) {
  WriteConf("max-attempts = 7\n");
  SetEnv("ROXI_DATA_DIR", data_dir());
  bool help = false;
  ASSERT_TRUE(cl_.Read({}, &help).ok());
  EXPECT_EQ(cl_.common().data_dir, data_dir());
  EXPECT_EQ(flags_.max_attempts, 7u);
  EXPECT_EQ(SourceOf("data-dir"), "env ROXI_DATA_DIR");

  const std::string other = dir_.Sub("other.conf");
  WriteFile(other, "max-attempts = 8\n");
  SetEnv("ROXI_CONFIG", other);
  CommandLine cl("test", "roxi test", "");
  ServeFlags flags;
  AddServeOptions(&cl.options(), &flags);
  ASSERT_TRUE(cl.Read({}, &help).ok());
  EXPECT_EQ(flags.max_attempts, 8u) << "an explicit config file replaces <data-dir>/roxi.conf";
  EXPECT_EQ(cl.config_file(), other);
}

TEST_F(CommandLineTest, ListOptionsTakeEveryLineButOnlyTheStrongestSource) {
  WriteConf("watch = /srv/a\nwatch = /srv/b\n");
  ASSERT_TRUE(Read().ok());
  EXPECT_EQ(flags_.watch, (std::vector<std::string>{"/srv/a", "/srv/b"}));

  CommandLine cl("test", "roxi test", "");
  ServeFlags flags;
  AddServeOptions(&cl.options(), &flags);
  bool help = false;
  ASSERT_TRUE(cl.Read({"-d", data_dir(), "--watch", "/c", "--watch", "/d"}, &help).ok());
  EXPECT_EQ(flags.watch, (std::vector<std::string>{"/c", "/d"}));
}

TEST_F(CommandLineTest, OtherRoxiVariablesAndEmptyOnesAreIgnored) {
  SetEnv("ROXI_EMBEDDER_API_KEY", "secret");
  SetEnv("ROXI_TEST_CRASH_AT", "processor:after_write");
  SetEnv("ROXI_HELP", "1");
  SetEnv("ROXI_BATCH_SIZE", "");
  bool help = false;
  ASSERT_TRUE(cl_.Read({"-d", data_dir()}, &help).ok());
  EXPECT_FALSE(help);
  EXPECT_EQ(flags_.batch_size, 256u);
  EXPECT_EQ(SourceOf("batch-size"), "default");
}

TEST_F(CommandLineTest, PositionalArgumentsAreNotConfigKeys) {
  CommandLine cl("test", "roxi test PATH...", "");
  std::vector<std::string> paths;
  cl.hidden().add_options()("path", po::value<std::vector<std::string>>(&paths));
  cl.positional().add("path", -1);
  WriteConf("path = /etc\n");
  bool help = false;
  Status s = cl.Read({"-d", data_dir(), "a.md"}, &help);
  EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
  EXPECT_NE(s.ToString().find("unknown option 'path'"), std::string::npos) << s.ToString();
}

TEST_F(CommandLineTest, PositionalArgumentsIgnoreTheEnvironment) {
  CommandLine cl("test", "roxi test PATH...", "");
  std::vector<std::string> paths;
  cl.hidden().add_options()("path", po::value<std::vector<std::string>>(&paths));
  cl.positional().add("path", -1);
  SetEnv("ROXI_PATH", "/etc");
  bool help = false;
  ASSERT_TRUE(cl.Read({"-d", data_dir(), "a.md"}, &help).ok());
  EXPECT_EQ(paths, std::vector<std::string>{"a.md"});
}

TEST_F(CommandLineTest, UnknownKeyNamesFileKeyAndLine) {
  WriteConf("# roxi\nbatch-size = 5\nfrobnicate = 1\n");
  Status s = Read();
  EXPECT_TRUE(s.IsInvalidArgument());
  EXPECT_NE(s.ToString().find("config file " + conf() + ": unknown option 'frobnicate' (line 3)"),
            std::string::npos)
      << s.ToString();
}

TEST_F(CommandLineTest, OtherCommandsKeysArePassedOver) {
  // One roxi.conf serves every command; 'roxi status' has no batch-size and must not choke on it.
  WriteConf("batch-size = abc\nchunk-size = 800\nlisten = 127.0.0.1:9\nlog-level = error\n");
  CommandLine cl("status", "roxi status", "");
  bool help = false;
  ASSERT_TRUE(cl.Read({"-d", data_dir()}, &help).ok());
  EXPECT_EQ(cl.common().log_level, "error");
  EXPECT_EQ(cl.config_file(), conf());
  for (const auto& o : cl.Effective()) EXPECT_NE(o.name, "batch-size");
}

TEST_F(CommandLineTest, KeysOnlyTheCommandLineMaySetAreRefused) {
  for (const char* line : {"data-dir = /x\n", "config = /y\n", "help = 1\n"}) {
    WriteConf(line);
    CommandLine cl("test", "roxi test", "");
    bool help = false;
    Status s = cl.Read({"-d", data_dir()}, &help);
    EXPECT_TRUE(s.IsInvalidArgument()) << line << s.ToString();
    EXPECT_FALSE(help);
  }
}

TEST_F(CommandLineTest, MalformedLineNamesItsNumber) {
  WriteConf("batch-size = 5\n\n  just some words  # and a comment\n");
  Status s = Read();
  EXPECT_TRUE(s.IsInvalidArgument());
  EXPECT_NE(s.ToString().find("config file " + conf() +
                              ": line 3: want 'key = value', got 'just some words'"),
            std::string::npos)
      << s.ToString();
}

TEST_F(CommandLineTest, BadValueNamesKeyFileValueAndLine) {
  WriteConf("poll-max = 3\nbatch-size = abc\n");
  Status s = Read();
  EXPECT_TRUE(s.IsInvalidArgument());
  EXPECT_NE(
      s.ToString().find("config file " + conf() + ": bad value 'abc' for batch-size (line 2)"),
      std::string::npos)
      << s.ToString();
}

TEST_F(CommandLineTest, BadValueInTheFileIsReportedEvenWhenAFlagOverridesIt) {
  WriteConf("batch-size = abc\n");
  EXPECT_TRUE(Read({"--batch-size", "5"}).IsInvalidArgument());
}

TEST_F(CommandLineTest, BadEnvironmentValueNamesTheVariable) {
  SetEnv("ROXI_MAX_ATTEMPTS", "many");
  Status s = Read();
  EXPECT_TRUE(s.IsInvalidArgument());
  EXPECT_NE(s.ToString().find("environment variable ROXI_MAX_ATTEMPTS: bad value 'many' for "
                              "max-attempts"),
            std::string::npos)
      << s.ToString();
}

TEST_F(CommandLineTest, NegativeNumbersForUnsignedOptionsAreBadValues) {
  // Boost would store -1 as SIZE_MAX.
  WriteConf("batch-size = -1\n");
  EXPECT_TRUE(Read().IsInvalidArgument());
  std::filesystem::remove(conf());
  CommandLine cl("test", "roxi test", "");
  ServeFlags flags;
  AddServeOptions(&cl.options(), &flags);
  bool help = false;
  Status s = cl.Read({"-d", data_dir(), "--batch-size=-1"}, &help);
  EXPECT_TRUE(s.IsInvalidArgument());
  EXPECT_NE(s.ToString().find("bad value '-1' for --batch-size"), std::string::npos)
      << s.ToString();
}

TEST_F(CommandLineTest, RepeatedScalarKeyNamesBothLines) {
  WriteConf("batch-size = 1\npoll-max = 2\nbatch-size = 3\n");
  Status s = Read();
  EXPECT_NE(s.ToString().find("batch-size given more than once (lines 1, 3)"), std::string::npos)
      << s.ToString();
}

TEST_F(CommandLineTest, MissingExplicitFileIsNotFoundAndMissingDefaultIsFine) {
  ASSERT_TRUE(Read().ok());
  EXPECT_EQ(cl_.config_file(), "");

  CommandLine cl("test", "roxi test", "");
  bool help = false;
  const std::string missing = dir_.Sub("nope.conf");
  Status s = cl.Read({"--config", missing}, &help);
  EXPECT_TRUE(s.IsNotFound()) << s.ToString();
  EXPECT_NE(s.ToString().find("config file " + missing), std::string::npos) << s.ToString();
}

TEST_F(CommandLineTest, ADirectoryAsConfigFileIsAnIoError) {
  bool help = false;
  Status s = cl_.Read({"--config", dir_.path().string()}, &help);
  EXPECT_TRUE(s.IsIOError()) << s.ToString();
}

TEST_F(CommandLineTest, HelpIsAnsweredBeforeTheConfigFileIsRead) {
  WriteConf("frobnicate = 1\n");
  bool help = false;
  ASSERT_TRUE(cl_.Read({"-d", data_dir(), "--help"}, &help).ok());
  EXPECT_TRUE(help);
}

TEST_F(CommandLineTest, ParseReturnsExitCodesForConfigErrors) {
  WriteConf("frobnicate = 1\n");
  EXPECT_EQ(cl_.Parse({"-d", data_dir()}), std::optional<int>(2));
  CommandLine missing("test", "roxi test", "");
  EXPECT_EQ(missing.Parse({"--config", dir_.Sub("nope.conf")}), std::optional<int>(4));
}

TEST_F(CommandLineTest, ReloadReplacesFileValuesOnly) {
  WriteConf("batch-size = 10\npoll-max = 11\nmax-attempts = 12\n");
  SetEnv("ROXI_POLL_MIN", "2");
  ASSERT_TRUE(Read({"--max-attempts", "9"}).ok());
  EXPECT_EQ(flags_.batch_size, 10u);

  WriteConf("poll-max = 50\nmax-attempts = 7\npoll-min = 8\ntarget = 50%\n");
  SetEnv("ROXI_BATCH_SIZE", "99");  // the environment is read once, at start
  ASSERT_TRUE(cl_.ReloadConfig().ok());
  EXPECT_EQ(flags_.batch_size, 256u) << "removed from the file: back to the default";
  EXPECT_EQ(SourceOf("batch-size"), "default");
  EXPECT_EQ(flags_.poll_max, 50.0);
  EXPECT_EQ(flags_.target, "50%");
  EXPECT_EQ(flags_.max_attempts, 9u) << "the flag still wins";
  EXPECT_EQ(flags_.poll_min, 2.0) << "the environment still wins";
}

TEST_F(CommandLineTest, FailedReloadChangesNothing) {
  WriteConf("batch-size = 10\n");
  ASSERT_TRUE(Read().ok());
  WriteConf("batch-size = 20\nbogus\n");
  Status s = cl_.ReloadConfig();
  EXPECT_TRUE(s.IsInvalidArgument());
  EXPECT_NE(s.ToString().find("line 2"), std::string::npos) << s.ToString();
  EXPECT_EQ(flags_.batch_size, 10u);
  EXPECT_EQ(SourceOf("batch-size"), "file " + conf());
}

TEST_F(CommandLineTest, ReloadFindsADefaultFileCreatedOrRemovedSinceStart) {
  ASSERT_TRUE(Read().ok());
  WriteConf("batch-size = 10\n");
  ASSERT_TRUE(cl_.ReloadConfig().ok());
  EXPECT_EQ(flags_.batch_size, 10u);
  EXPECT_EQ(cl_.config_file(), conf());
  std::filesystem::remove(conf());
  ASSERT_TRUE(cl_.ReloadConfig().ok());
  EXPECT_EQ(flags_.batch_size, 256u);
  EXPECT_EQ(cl_.config_file(), "");
}

TEST_F(CommandLineTest, ReloadOfAnExplicitFileThatIsGoneFails) {
  const std::string file = dir_.Sub("roxi.conf");
  WriteFile(file, "batch-size = 10\n");
  bool help = false;
  ASSERT_TRUE(cl_.Read({"--config", file}, &help).ok());
  std::filesystem::remove(file);
  EXPECT_TRUE(cl_.ReloadConfig().IsNotFound());
  EXPECT_EQ(flags_.batch_size, 10u);
}

TEST_F(CommandLineTest, ReloadSetsTheLogLevel) {
  const common::LogLevel before = common::GetLogLevel();
  WriteConf("log-level = info\n");
  ASSERT_TRUE(Read().ok());
  WriteConf("log-level = error\n");
  ASSERT_TRUE(cl_.ReloadConfig().ok());
  EXPECT_EQ(common::GetLogLevel(), common::LogLevel::kError);
  WriteConf("log-level = loud\n");
  EXPECT_TRUE(cl_.ReloadConfig().IsInvalidArgument());
  EXPECT_EQ(common::GetLogLevel(), common::LogLevel::kError);
  common::SetLogLevel(before);
}

TEST_F(CommandLineTest, EffectiveListsEveryOptionButHelpWithItsValue) {
  WriteConf("watch = /srv/a\nmax-load-per-core = 0.25\n");
  ASSERT_TRUE(Read({"--json"}).ok());
  std::map<std::string, EffectiveOption> by_name;
  for (const auto& o : cl_.Effective()) by_name[o.name] = o;
  EXPECT_EQ(by_name.count("help"), 0u);
  EXPECT_EQ(by_name["batch-size"].value, "256");
  EXPECT_EQ(by_name["max-load-per-core"].value, "0.25");
  EXPECT_EQ(by_name["poll-min"].value, "1");
  EXPECT_EQ(by_name["json"].value, "true");
  EXPECT_EQ(by_name["json"].source, "flag");
  EXPECT_EQ(by_name["log-max-bytes"].value, "10485760");
  EXPECT_TRUE(by_name["watch"].is_list);
  EXPECT_EQ(by_name["watch"].values, std::vector<std::string>{"/srv/a"});
  EXPECT_EQ(by_name["config"].source, "unset");
  EXPECT_EQ(by_name["log-level"].value, "warn");
}

}  // namespace
}  // namespace roxi::cli
