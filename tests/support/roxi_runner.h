// Runs the real roxi binary (or any program) as a child process, the way a user would: arguments,
// extra environment, standard input; captures stdout, stderr and the exit code. Also starts it in
// the background so a test can kill -9 it at an arbitrary instant.
//
// Thread-safety: each object is used by one test thread.
#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

namespace roxi::testing {

struct RunResult {
  int exit_code = -1;   // exit status, or 128 + signal number when killed by a signal
  std::string out;      // stdout
  std::string err;      // stderr
};

struct RunOptions {
  std::map<std::string, std::string> env;  // added to (or replacing in) the inherited environment
  std::string stdin_data;
  double timeout_seconds = 300;  // the child is killed (SIGKILL) past this; exit_code is then 137
};

// The path of the roxi binary under test.
std::string RoxiBinary();

// Runs `program` with `args` to completion.
RunResult Run(const std::string& program, const std::vector<std::string>& args,
              const RunOptions& options = {});
// Runs roxi with `args`.
inline RunResult RunRoxi(const std::vector<std::string>& args, const RunOptions& options = {}) {
  return Run(RoxiBinary(), args, options);
}

// A child started in the background, its output discarded (sent to /dev/null) unless a log path
// is given. Killed with SIGKILL and reaped when the object dies if still running.
class BackgroundProcess {
 public:
  BackgroundProcess(const std::string& program, const std::vector<std::string>& args,
                    const std::map<std::string, std::string>& env = {},
                    const std::string& log_path = "");
  ~BackgroundProcess();
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  pid_t pid() const { return pid_; }
  // Sends `signal`; no-op once reaped.
  void Kill(int signal);
  // Waits for exit; returns the exit code (128 + signal when killed).
  int Wait();
  // True while it has not exited (reaps it if it has).
  bool Running();

 private:
  pid_t pid_ = -1;
  int exit_code_ = -1;
};

}  // namespace roxi::testing
