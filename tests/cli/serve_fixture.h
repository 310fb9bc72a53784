// Fixture of the `roxi serve` tests: starts a real server on a random loopback port in the test's
// data directory, waits until it has published roxi.server, and stops it.
#pragma once

#include <signal.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tests/cli/cli_fixture.h"

namespace roxi::testing {

class ServeTest : public CliTest {
 protected:
  // Options that keep a test fast and independent of the machine's load: quick polling, no load
  // pauses, no deep sleep unless asked, logs to stderr only.
  static std::vector<std::string> QuickOptions();

  // Starts `roxi serve --data-dir <data> QuickOptions() extra...`; waits (up to 60 s) until the
  // server file names it and it answers. Fails the test if it does not come up.
  std::unique_ptr<BackgroundProcess> StartServe(const std::vector<std::string>& extra = {},
                                                const std::map<std::string, std::string>& env = {});
  // SIGTERM, then waits; returns the exit code (EXPECTs a clean exit within 10 s).
  int StopServe(std::unique_ptr<BackgroundProcess>* server);

  // Polls `roxi status --json` until pred holds or timeout; returns the last status.
  nlohmann::json WaitForStatus(const std::function<bool(const nlohmann::json&)>& pred,
                               double timeout_seconds = 120);

  // Writes `documents` documents of ~`paragraphs` chunks each under docs/<folder>/.
  void WriteDocuments(const std::string& folder, int first, int documents, int paragraphs = 10);

  std::string server_log() const { return dir_.Sub("serve.log"); }
};

// Resident set of a process, from /proc/<pid>/status (VmRSS), in bytes.
uint64_t ResidentBytesOf(pid_t pid);

}  // namespace roxi::testing
