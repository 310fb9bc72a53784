// Shared fixture of the end-to-end tests: a temporary data directory, helpers to write documents,
// run roxi subcommands on that directory, and read their --json output.
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/roxi_runner.h"
#include "tests/support/temp_dir.h"

namespace roxi::testing {

class CliTest : public ::testing::Test {
 protected:
  std::string data_dir() const { return dir_.Sub("data"); }
  std::string docs_dir() const { return dir_.Sub("docs"); }

  // Writes docs/<name> and returns its path.
  std::string WriteDoc(const std::string& name, const std::string& contents) {
    const std::string path = docs_dir() + "/" + name;
    WriteFile(path, contents);
    return path;
  }

  // Runs `roxi <command> --data-dir <data> args...`.
  RunResult Roxi(const std::string& command, std::vector<std::string> args = {},
                 const RunOptions& options = {}) {
    std::vector<std::string> full{command, "--data-dir", data_dir()};
    full.insert(full.end(), args.begin(), args.end());
    return RunRoxi(full, options);
  }

  // Runs with --json, expects exit 0, returns the parsed document.
  nlohmann::json RoxiJson(const std::string& command, std::vector<std::string> args = {},
                          const RunOptions& options = {}) {
    args.push_back("--json");
    RunResult r = Roxi(command, args, options);
    EXPECT_EQ(r.exit_code, 0) << "roxi " << command << "\nstdout: " << r.out << "\nstderr: " << r.err;
    try {
      return nlohmann::json::parse(r.out);
    } catch (const std::exception& e) {
      ADD_FAILURE() << "not JSON (" << e.what() << "): " << r.out;
      return nlohmann::json::object();
    }
  }

  nlohmann::json Status() { return RoxiJson("status"); }

  // Expects the store's counts to be those of `baseline` (a Status() taken earlier): what a test
  // of bad input checks, that nothing was written.
  void ExpectCountsUnchanged(const nlohmann::json& baseline) {
    const nlohmann::json now = Status();
    for (const char* key : {"documents", "chunks", "embedded", "pending", "failed"}) {
      EXPECT_EQ(baseline[key], now[key]) << key;
    }
  }

  TempDir dir_;
};

// A paragraph of `words` pseudo-words from a fixed vocabulary, deterministic in `seed`.
std::string GeneratedParagraph(uint64_t seed, size_t words);

}  // namespace roxi::testing
