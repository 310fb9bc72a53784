#include "src/cli/config_sources.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/support/scoped_env.h"
#include "tests/support/temp_dir.h"

namespace roxi::cli {
namespace {

using roxi::testing::ScopedEnv;
using roxi::testing::TempDir;
using roxi::testing::WriteFile;

po::options_description TestOptions() {
  po::options_description desc;
  desc.add_options()("batch-size", po::value<size_t>())("poll-max", po::value<double>())(
      "watch", po::value<std::vector<std::string>>())("k,k", po::value<size_t>());
  return desc;
}

TEST(ConfigSourcesTest, EnvironmentVariableNames) {
  EXPECT_EQ(EnvironmentVariableFor("batch-size"), "ROXI_BATCH_SIZE");
  EXPECT_EQ(EnvironmentVariableFor("data-dir"), "ROXI_DATA_DIR");
  EXPECT_EQ(EnvironmentVariableFor("k"), "ROXI_K");
  EXPECT_EQ(EnvironmentVariableFor("max-load-per-core"), "ROXI_MAX_LOAD_PER_CORE");
}

TEST(ConfigSourcesTest, ReadsOnlyVariablesNamingAnOption) {
  const po::options_description desc = TestOptions();
  ScopedEnv a("ROXI_BATCH_SIZE", "12");
  ScopedEnv b("ROXI_K", "3");
  ScopedEnv c("ROXI_POLL_MAX", "");
  ScopedEnv d("ROXI_BATCH", "1");
  ScopedEnv e("ROXI_EMBEDDER_API_KEY", "secret");
  ScopedEnv f("batch_size", "5");
  std::map<std::string, std::string> seen;
  for (const SourcedOption& entry : ReadEnvironmentOptions(desc)) {
    EXPECT_EQ(entry.origin, SourcedOption::Origin::kEnvironment);
    seen[entry.option.string_key] = entry.where + "=" + entry.option.value.front();
  }
  EXPECT_EQ(seen, (std::map<std::string, std::string>{{"batch-size", "ROXI_BATCH_SIZE=12"},
                                                      {"k", "ROXI_K=3"}}));
}

TEST(ConfigSourcesTest, ConfigFileEntriesKeepTheirLines) {
  TempDir dir;
  const std::string path = dir.Sub("roxi.conf");
  WriteFile(path,
            "# roxi settings\n"
            "\n"
            "batch-size=64\r\n"
            "   poll-max   =  2.5   # seconds\n"
            "watch = /a b\n"
            "unknown-key = x\n");
  auto entries = ReadConfigFile(path, TestOptions());
  ASSERT_TRUE(entries.ok()) << entries.status().ToString();
  ASSERT_EQ(entries->size(), 4u);
  const auto& e = *entries;
  EXPECT_EQ(e[0].option.string_key, "batch-size");
  EXPECT_EQ(e[0].option.value.front(), "64");
  EXPECT_EQ(e[0].line, 3);
  EXPECT_EQ(e[1].option.value.front(), "2.5");
  EXPECT_EQ(e[1].line, 4);
  EXPECT_EQ(e[2].option.value.front(), "/a b");
  EXPECT_EQ(e[3].option.string_key, "unknown-key");
  EXPECT_TRUE(e[3].option.unregistered);
  EXPECT_EQ(e[3].line, 6);
  EXPECT_EQ(SourceName(e[0]), "file " + path);
}

TEST(ConfigSourcesTest, EmptyKeyAndBareWordsAreSyntaxErrors) {
  TempDir dir;
  const std::string path = dir.Sub("roxi.conf");
  WriteFile(path, "batch-size = 1\n = 4\n");
  auto empty_key = ReadConfigFile(path, TestOptions());
  EXPECT_EQ(empty_key.status().ToString(),
            "invalid argument: config file " + path + ": line 2: no key before '='");
  WriteFile(path, "batch-size\n");
  auto bare = ReadConfigFile(path, TestOptions());
  EXPECT_EQ(bare.status().ToString(), "invalid argument: config file " + path +
                                          ": line 1: want 'key = value', got 'batch-size'");
}

TEST(ConfigSourcesTest, MissingUnreadableAndHugeFiles) {
  TempDir dir;
  EXPECT_TRUE(ReadConfigFile(dir.Sub("nope.conf"), TestOptions()).status().IsNotFound());
  EXPECT_TRUE(ReadConfigFile(dir.path().string(), TestOptions()).status().IsIOError());
  const std::string huge = dir.Sub("huge.conf");
  WriteFile(huge, std::string((1 << 20) + 1, '#'));
  EXPECT_TRUE(ReadConfigFile(huge, TestOptions()).status().IsInvalidArgument());
  if (geteuid() != 0) {
    const std::string locked = dir.Sub("locked.conf");
    WriteFile(locked, "batch-size = 1\n");
    ASSERT_EQ(chmod(locked.c_str(), 0), 0);
    Status s = ReadConfigFile(locked, TestOptions()).status();
    EXPECT_TRUE(s.IsIOError()) << s.ToString();
    EXPECT_NE(s.ToString().find(locked), std::string::npos);
  }
}

TEST(ConfigSourcesTest, StoreKeepsStrongerSourcesAndRecordsTheRest) {
  const po::options_description desc = TestOptions();
  po::variables_map vm;
  std::map<std::string, std::string> sources{{"k", "flag"}};
  po::parsed_options flags(&desc);
  flags.options.push_back(po::option("k", {"9"}));
  po::store(flags, vm);
  std::vector<SourcedOption> entries(2);
  entries[0].origin = entries[1].origin = SourcedOption::Origin::kFile;
  entries[0].where = entries[1].where = "f.conf";
  entries[0].option = po::option("k", {"1"});
  entries[1].option = po::option("batch-size", {"2"});
  ASSERT_TRUE(StoreSourcedOptions(entries, desc, &vm, &sources).ok());
  EXPECT_EQ(vm["k"].as<size_t>(), 9u);
  EXPECT_EQ(vm["batch-size"].as<size_t>(), 2u);
  EXPECT_EQ(sources,
            (std::map<std::string, std::string>{{"k", "flag"}, {"batch-size", "file f.conf"}}));
}

TEST(ConfigSourcesTest, NegativeOnlyMattersForUnsignedValues) {
  po::variable_value unsigned_value(boost::any(size_t{5}), false);
  po::variable_value double_value(boost::any(-1.0), false);
  EXPECT_TRUE(IsNegativeForUnsigned(unsigned_value, {" -1"}));
  EXPECT_FALSE(IsNegativeForUnsigned(unsigned_value, {"5"}));
  EXPECT_FALSE(IsNegativeForUnsigned(double_value, {"-1"}));
}

}  // namespace
}  // namespace roxi::cli
