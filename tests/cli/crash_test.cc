// kill -9 of `roxi process` at random instants and at exact points of the commit path; afterwards
// re-running it must leave every chunk embedded exactly once. The store is inspected directly, not
// through roxi status, so the counters themselves are checked against what the families hold.
#include <signal.h>

#include <chrono>
#include <random>
#include <thread>

#include "tests/cli/cli_fixture.h"
#include "tests/cli/store_census.h"

namespace roxi::testing {
namespace {

class CrashTest : public CliTest {
 protected:
  // Adds `documents` new documents of generated text; returns how many files were written.
  void AddDocuments(int first, int documents) {
    for (int d = first; d < first + documents; ++d) {
      std::string text;
      for (int p = 0; p < 8; ++p) text += GeneratedParagraph(d * 1000 + p, 150) + "\n\n";
      WriteDoc("batch" + std::to_string(first) + "/doc" + std::to_string(d) + ".txt", text);
    }
    RunResult r = Roxi("ingest", {docs_dir() + "/batch" + std::to_string(first)});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  void FinishAndCheckEverythingEmbeddedOnce() {
    RunResult finish = Roxi("process", {"--quiet"});
    ASSERT_EQ(finish.exit_code, 0) << finish.err;
    Census c = TakeCensus(data_dir());
    ExpectConsistent(c);
    EXPECT_EQ(c.pending_entries, 0u);
    EXPECT_EQ(c.vectors, c.chunks);
    EXPECT_EQ(c.embedded_chunks, c.chunks);
    // Each chunk was committed with a vector exactly once over all the interrupted runs.
    EXPECT_EQ(c.checkpoint_embedded, c.chunks);
  }
};

TEST_F(CrashTest, KillNineAtRandomInstantsLosesAndDuplicatesNothing) {
  const std::vector<std::string> process_args{"process", "--data-dir", data_dir(), "--batch-size",
                                              "8", "--quiet"};
  // Calibration: how long one uninterrupted run of a trial's worth of work takes on this machine,
  // so the kill instants below fall inside runs whatever the machine's speed.
  AddDocuments(0, 40);
  const auto start = std::chrono::steady_clock::now();
  ASSERT_EQ(BackgroundProcess(RoxiBinary(), process_args).Wait(), 0);
  const auto run_micros = std::max<int64_t>(
      1000, std::chrono::duration_cast<std::chrono::microseconds>(
                std::chrono::steady_clock::now() - start)
                .count());

  std::mt19937 rng(20261124);
  int killed_mid_run = 0;
  for (int trial = 1; trial <= 24; ++trial) {
    AddDocuments(trial * 40, 40);
    BackgroundProcess process(RoxiBinary(), process_args);
    // Within the first half of a calibrated run: each trial has at least as much work (it adds the
    // same amount to whatever the last kill left), so a kill lands mid-run even when the
    // calibration run happened to be slowed down by a busy machine.
    std::this_thread::sleep_for(std::chrono::microseconds(rng() % (run_micros / 2)));
    if (process.Running()) {
      process.Kill(SIGKILL);
      ++killed_mid_run;
    }
    process.Wait();
    ExpectConsistent(TakeCensus(data_dir()));
  }
  // The kill instants are drawn from within a run's length, so nearly every trial interrupts one;
  // if most did not, the test would prove nothing.
  EXPECT_GE(killed_mid_run, 12);
  FinishAndCheckEverythingEmbeddedOnce();
}

TEST_F(CrashTest, KillAtEachPointOfTheCommitPath) {
  int first = 0;
  for (const char* point : {"processor:before_commit", "processor:after_write"}) {
    for (int after : {1, 2, 5}) {
      AddDocuments(first, 10);
      first += 10;
      RunOptions crash;
      crash.env["ROXI_TEST_CRASH_AT"] = point;
      crash.env["ROXI_TEST_CRASH_AFTER"] = std::to_string(after);
      RunResult r = Roxi("process", {"--batch-size", "8", "--quiet"}, crash);
      EXPECT_EQ(r.exit_code, 128 + SIGKILL) << point << " after " << after << ": " << r.err;
      Census c = TakeCensus(data_dir());
      ExpectConsistent(c);
      EXPECT_GT(c.pending_entries, 0u);
    }
  }
  FinishAndCheckEverythingEmbeddedOnce();
}

}  // namespace
}  // namespace roxi::testing
