// Shared fixture of the end-to-end backup, restore and verify tests: a store built with the real
// binary from generated documents, and functions to read archives and search results.
#pragma once

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/cli/cli_fixture.h"

namespace roxi::testing {

class BackupCliTest : public CliTest {
 protected:
  std::string Backups() const { return data_dir() + ".backups"; }

  // Writes `count` documents of generated text under docs/<batch>/, ingests and embeds them.
  void AddDocuments(const std::string& batch, int first, int count, int paragraphs = 6) {
    for (int d = first; d < first + count; ++d) {
      std::string text;
      for (int p = 0; p < paragraphs; ++p) text += GeneratedParagraph(d * 100 + p, 120) + "\n\n";
      WriteDoc(batch + "/doc" + std::to_string(d) + ".txt", text);
    }
    RunResult ingest = Roxi("ingest", {docs_dir() + "/" + batch});
    ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
    RunResult process = Roxi("process", {"--quiet"});
    ASSERT_EQ(process.exit_code, 0) << process.err;
  }

  // Runs `roxi backup --json` and returns the archive's path.
  std::string Backup(std::vector<std::string> args = {}) {
    nlohmann::json doc = RoxiJson("backup", args);
    return doc.value("path", std::string());
  }

  // The *.roxibak files of `folder`, sorted.
  static std::vector<std::string> Archives(const std::string& folder) {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(folder, ec)) {
      if (e.path().string().ends_with(".roxibak")) out.push_back(e.path().string());
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  // The results of a search, without timing fields.
  nlohmann::json Search(const std::string& query, const std::string& dir) {
    RunResult r = RunRoxi({"search", query, "-k", "5", "--json", "--data-dir", dir});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out, nullptr, false)["results"];
  }

  // `roxi verify --data-dir dir --json`: exit code and document.
  std::pair<int, nlohmann::json> VerifyStore(const std::string& dir) {
    RunResult r = RunRoxi({"verify", "--data-dir", dir, "--json"});
    return {r.exit_code, nlohmann::json::parse(r.out, nullptr, false)};
  }
};

}  // namespace roxi::testing
