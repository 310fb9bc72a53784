// Tests of src/common/logged_thread.cc: the body runs, and an exception it throws ends the thread
// without ending the process.
#include "src/common/logged_thread.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>

namespace roxi::common {
namespace {

TEST(LoggedThreadTest, RunsTheBody) {
  std::atomic<int> runs{0};
  { auto thread = StartLoggedThread("test thread", [&] { ++runs; }); }
  EXPECT_EQ(runs.load(), 1);
}

TEST(LoggedThreadTest, AnEscapingExceptionEndsOnlyTheThread) {
  std::atomic<bool> reached{false};
  {
    auto thread = StartLoggedThread("test thread", [&] {
      reached = true;
      throw std::runtime_error("boom");
    });
  }
  EXPECT_TRUE(reached.load());
  { auto thread = StartLoggedThread("test thread", [] { throw 42; }); }
}

}  // namespace
}  // namespace roxi::common
