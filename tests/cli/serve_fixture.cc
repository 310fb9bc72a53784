#include "tests/cli/serve_fixture.h"

#include <algorithm>
#include <fstream>
#include <thread>

#include "format/server_file.h"

namespace roxi::testing {

std::vector<std::string> ServeTest::QuickOptions() {
  return {"--poll-min", "0.02", "--poll-max", "0.2", "--deep-sleep-after", "3600",
          "--max-load-per-core", "0", "--max-memory-pressure", "0", "--min-memory-available", "0",
          "--load-check-every", "0.1", "--log-file", "-", "--log-level", "info"};
}

std::unique_ptr<BackgroundProcess> ServeTest::StartServe(
    const std::vector<std::string>& extra, const std::map<std::string, std::string>& env) {
  std::vector<std::string> args{"serve", "--data-dir", data_dir()};
  // The quick options come in flag/value pairs; one the test gives itself replaces the default.
  const std::vector<std::string> quick = QuickOptions();
  for (size_t i = 0; i + 1 < quick.size(); i += 2) {
    if (std::find(extra.begin(), extra.end(), quick[i]) != extra.end()) continue;
    args.push_back(quick[i]);
    args.push_back(quick[i + 1]);
  }
  // Ingests through the server may read anything in the test's own folder.
  if (std::find(extra.begin(), extra.end(), "--ingest-root") == extra.end()) {
    args.push_back("--ingest-root");
    args.push_back(dir_.path().string());
  }
  for (const auto& a : extra) args.push_back(a);
  auto server = std::make_unique<BackgroundProcess>(RoxiBinary(), args, env, server_log());
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    if (!server->Running()) {
      ADD_FAILURE() << "roxi serve exited with " << server->Wait() << "; log:\n"
                    << ReadFile(server_log());
      return server;
    }
    std::ifstream in(data_dir() + "/roxi.server", std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto record = format::DecodeServerFile(bytes);
    if (record.ok() && record->pid == server->pid()) {
      RunResult health = Roxi("status", {"--json"});
      if (health.exit_code == 0 && health.out.find("\"server\"") != std::string::npos) return server;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ADD_FAILURE() << "roxi serve did not come up; log:\n" << ReadFile(server_log());
  return server;
}

int ServeTest::StopServe(std::unique_ptr<BackgroundProcess>* server) {
  (*server)->Kill(SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while ((*server)->Running() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_FALSE((*server)->Running()) << "roxi serve did not stop within 10 s of SIGTERM";
  const int code = (*server)->Wait();
  server->reset();
  return code;
}

nlohmann::json ServeTest::WaitForStatus(const std::function<bool(const nlohmann::json&)>& pred,
                                        double timeout_seconds) {
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::milliseconds(static_cast<int64_t>(timeout_seconds * 1000));
  nlohmann::json status;
  while (true) {
    RunResult r = Roxi("status", {"--json"});
    if (r.exit_code == 0) {
      status = nlohmann::json::parse(r.out, nullptr, false);
      if (!status.is_discarded() && pred(status)) return status;
    }
    if (std::chrono::steady_clock::now() > deadline) {
      ADD_FAILURE() << "status condition not reached in " << timeout_seconds
                    << " s; last status: " << r.out << r.err << "\nserver log:\n"
                    << ReadFile(server_log());
      return status;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

void ServeTest::WriteDocuments(const std::string& folder, int first, int documents, int paragraphs) {
  for (int d = first; d < first + documents; ++d) {
    std::string text;
    for (int p = 0; p < paragraphs; ++p) text += GeneratedParagraph(d * 1000 + p, 150) + "\n\n";
    WriteDoc(folder + "/doc" + std::to_string(d) + ".txt", text);
  }
}

uint64_t ResidentBytesOf(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string key;
  while (in >> key) {
    if (key == "VmRSS:") {
      uint64_t kib = 0;
      in >> kib;
      return kib * 1024;
    }
    std::string rest;
    std::getline(in, rest);
  }
  return 0;
}

}  // namespace roxi::testing
