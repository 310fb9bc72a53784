// Tests of storage/ordered_workers.cc: jobs run off the owning thread, each completion is awaited
// by ticket in any order, and nothing outlives the object.
#include "storage/ordered_workers.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>
#include <vector>

namespace roxi::storage {
namespace {

TEST(OrderedWorkersTest, RunsEveryJobOnItsThreadsAndAwaitsByTicket) {
  OrderedWorkers workers(2);
  ASSERT_EQ(workers.threads(), 2);
  std::vector<int> results(64, 0);
  std::vector<std::thread::id> ran_on(64);
  std::vector<uint64_t> tickets;
  for (int i = 0; i < 64; ++i) {
    tickets.push_back(workers.Submit([&, i] {
      results[i] = i * i;
      ran_on[i] = std::this_thread::get_id();
    }));
  }
  EXPECT_EQ(tickets.front(), 0u);
  EXPECT_EQ(tickets.back(), 63u);
  // Awaited newest first: completion is per ticket, not in submission order.
  for (int i = 63; i >= 0; --i) {
    workers.Await(tickets[i]);
    EXPECT_EQ(results[i], i * i);
    EXPECT_NE(ran_on[i], std::this_thread::get_id());
  }
}

TEST(OrderedWorkersTest, ZeroThreadsRunsEachJobInsideSubmit) {
  OrderedWorkers workers(0);
  EXPECT_EQ(workers.threads(), 0);
  std::thread::id ran_on;
  int value = 0;
  const uint64_t ticket = workers.Submit([&] {
    value = 7;
    ran_on = std::this_thread::get_id();
  });
  EXPECT_EQ(value, 7);  // already done
  EXPECT_EQ(ran_on, std::this_thread::get_id());
  workers.Await(ticket);
}

TEST(OrderedWorkersTest, DestructorRunsWhatIsQueuedBeforeJoining) {
  std::atomic<int> done{0};
  {
    OrderedWorkers workers(2);
    for (int i = 0; i < 100; ++i) workers.Submit([&] { done.fetch_add(1); });
  }
  EXPECT_EQ(done.load(), 100);
}

}  // namespace
}  // namespace roxi::storage
