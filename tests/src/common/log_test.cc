#include "src/common/log.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <sstream>

#include "tests/support/temp_dir.h"

namespace roxi::common {
namespace {

using roxi::testing::ReadFile;
using roxi::testing::TempDir;
using roxi::testing::WriteFile;

std::vector<std::string> Lines(const std::string& path) {
  std::vector<std::string> lines;
  std::istringstream in(ReadFile(path));
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

class LogFileTest : public ::testing::Test {
 protected:
  LogFileTest() : level_(GetLogLevel()) { SetLogLevel(LogLevel::kInfo); }
  ~LogFileTest() override {
    CloseLogFiles();
    SetLogLevel(level_);
  }
  std::string path() const { return dir_.Sub("logs/roxi.log"); }

  TempDir dir_;
  LogLevel level_;
};

TEST_F(LogFileTest, LinesAreTimeLevelEventAndFields) {
  ASSERT_TRUE(AddLogFile(path(), 1 << 20, 2).ok());  // also creates logs/
  LogInfo("file_test", {{"key", "value"}, {"quoted", "a b"}, {"n", uint64_t{7}}});
  LogWarn("second", {LogField::Redacted("api_key")});
  LogDebug("hidden_below_the_level");
  CloseLogFiles();
  const auto lines = Lines(path());
  ASSERT_EQ(lines.size(), 2u);
  const std::string time = R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)";
  EXPECT_TRUE(std::regex_match(lines[0],
                               std::regex(time + R"( info file_test key=value quoted="a b" n=7)")))
      << lines[0];
  EXPECT_TRUE(
      std::regex_match(lines[1], std::regex(time + R"( warning second api_key=\[redacted\])")))
      << lines[1];
}

TEST_F(LogFileTest, RotatesBySizeAndKeepsMaxFiles) {
  ASSERT_TRUE(AddLogFile(path(), 200, 3).ok());
  for (uint64_t i = 0; i < 60; ++i) LogInfo("rotation_test", {{"i", i}});
  CloseLogFiles();
  const std::string dir = dir_.Sub("logs");
  for (const char* name : {"roxi.log", "roxi.1.log", "roxi.2.log", "roxi.3.log"}) {
    const std::string file = dir + "/" + name;
    ASSERT_TRUE(std::filesystem::exists(file)) << name;
    EXPECT_LE(std::filesystem::file_size(file), 200u) << name;
    EXPECT_FALSE(Lines(file).empty()) << name;
  }
  EXPECT_FALSE(std::filesystem::exists(dir + "/roxi.4.log"));
  // The newest lines are in roxi.log, the one before them ends roxi.1.log.
  const auto current = Lines(dir + "/roxi.log");
  EXPECT_NE(current.back().find("rotation_test i=59"), std::string::npos) << current.back();
  const std::string first_current = current.front();
  const size_t at = first_current.find("i=");
  ASSERT_NE(at, std::string::npos);
  const int first_i = std::stoi(first_current.substr(at + 2));
  EXPECT_NE(Lines(dir + "/roxi.1.log").back().find("i=" + std::to_string(first_i - 1)),
            std::string::npos);
}

TEST_F(LogFileTest, AppendsToAnExistingFile) {
  WriteFile(path(), "earlier line\n");
  ASSERT_TRUE(AddLogFile(path(), 1 << 20, 1).ok());
  LogInfo("later");
  CloseLogFiles();
  const auto lines = Lines(path());
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], "earlier line");
}

TEST_F(LogFileTest, ClosedFilesGetNoMoreLines) {
  ASSERT_TRUE(AddLogFile(path(), 1 << 20, 1).ok());
  LogInfo("before_close");
  CloseLogFiles();
  LogInfo("after_close");
  EXPECT_EQ(Lines(path()).size(), 1u);
}

TEST_F(LogFileTest, ErrorsNameThePath) {
  // A regular file where the directory should be: fails for root too.
  const std::string blocker = dir_.Sub("blocker");
  WriteFile(blocker, "");
  const std::string inside = blocker + "/logs/roxi.log";
  Status s = AddLogFile(inside, 1 << 20, 1);
  EXPECT_TRUE(s.IsIOError()) << s.ToString();
  EXPECT_NE(s.ToString().find(inside), std::string::npos) << s.ToString();

  Status dir_as_file = AddLogFile(dir_.path().string(), 1 << 20, 1);
  EXPECT_TRUE(dir_as_file.IsIOError()) << dir_as_file.ToString();

  EXPECT_TRUE(AddLogFile(path(), 0, 1).IsInvalidArgument());
  ASSERT_TRUE(AddLogFile(path(), 1 << 20, 1).ok());
  EXPECT_TRUE(AddLogFile(path(), 1 << 20, 1).IsInvalidArgument()) << "already open";
}

TEST(LogTest, ParsesLevels) {
  EXPECT_EQ(*ParseLogLevel("debug"), LogLevel::kDebug);
  EXPECT_EQ(*ParseLogLevel("warning"), LogLevel::kWarn);
  EXPECT_EQ(*ParseLogLevel("off"), LogLevel::kOff);
  EXPECT_TRUE(ParseLogLevel("loud").status().IsInvalidArgument());
}

}  // namespace
}  // namespace roxi::common
