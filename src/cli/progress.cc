#include "src/cli/progress.h"

#include <unistd.h>

#include <cstdio>
#include <string>

#include "src/common/clock.h"

namespace roxi::cli {

namespace {
constexpr uint64_t kTtyIntervalMicros = 100'000;
constexpr uint64_t kLineIntervalMicros = 2'000'000;
constexpr int kBarWidth = 30;
}  // namespace

ProgressReporter::ProgressReporter(bool enabled)
    : enabled_(enabled),
      tty_(isatty(STDERR_FILENO) == 1),
      start_micros_(common::SystemClock().MonotonicMicros()) {}

void ProgressReporter::Update(const format::CountersRecord& counters, uint64_t done_this_run) {
  if (!enabled_) return;
  const uint64_t now = common::SystemClock().MonotonicMicros();
  if (now - last_print_micros_ < (tty_ ? kTtyIntervalMicros : kLineIntervalMicros)) return;
  last_print_micros_ = now;
  Print(counters, done_this_run, false);
}

void ProgressReporter::Finish(const format::CountersRecord& counters, uint64_t done_this_run) {
  if (!enabled_) return;
  Print(counters, done_this_run, true);
}

void ProgressReporter::Print(const format::CountersRecord& c, uint64_t done_this_run, bool final) {
  const uint64_t done = c.embedded + c.failed;
  const double fraction = c.chunks == 0 ? 1.0 : static_cast<double>(done) / c.chunks;
  const double seconds =
      static_cast<double>(common::SystemClock().MonotonicMicros() - start_micros_) / 1e6;
  const double rate = seconds > 0 ? static_cast<double>(done_this_run) / seconds : 0.0;
  const double eta = rate > 0 ? static_cast<double>(c.pending) / rate : 0.0;
  char line[256];
  std::snprintf(line, sizeof line, "%5.1f%%  %llu/%llu chunks  %.0f chunks/s  eta %.0fs  failed %llu",
                100.0 * fraction, static_cast<unsigned long long>(done),
                static_cast<unsigned long long>(c.chunks), rate, eta,
                static_cast<unsigned long long>(c.failed));
  if (tty_) {
    const int filled = static_cast<int>(fraction * kBarWidth + 0.5);
    std::string bar(static_cast<size_t>(filled), '#');
    bar.append(static_cast<size_t>(kBarWidth - filled), '-');
    std::fprintf(stderr, "\r[%s] %s\033[K%s", bar.c_str(), line, final ? "\n" : "");
  } else {
    std::fprintf(stderr, "progress: %s\n", line);
  }
  std::fflush(stderr);
}

}  // namespace roxi::cli
