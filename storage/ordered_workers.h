// OrderedWorkers: a fixed set of threads that run jobs handed to them by one owning thread, which
// collects each job's completion in the order it chooses. Backup uses it to compress several
// segments of a file at once while the owning thread reads the file and writes the frames in
// order: I/O overlaps the CPU work, and the threads live as long as the archive, not a group of
// segments.
//
// Jobs must not throw. A job's results are read by the owner after Await returns (the mutex
// orders the accesses).
//
// Thread-safety: Submit and Await are called by the owning thread only; the destructor waits for
// every submitted job and joins the threads.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "format/thread_annotations.h"

namespace roxi::storage {

class OrderedWorkers {
 public:
  // Starts `threads` threads (0: jobs run in the calling thread, inside Submit). If the system
  // refuses a thread, runs with those it could start.
  explicit OrderedWorkers(int threads);
  ~OrderedWorkers();
  OrderedWorkers(const OrderedWorkers&) = delete;
  OrderedWorkers& operator=(const OrderedWorkers&) = delete;

  // Queues `job`; returns its ticket, counted from 0.
  uint64_t Submit(std::function<void()> job);
  // Blocks until the job of `ticket` has run. REQUIRES: ticket was returned by Submit.
  void Await(uint64_t ticket);
  // Threads actually running jobs (0: inline).
  int threads() const { return static_cast<int>(threads_.size()); }

 private:
  struct Job {
    uint64_t ticket;
    std::function<void()> run;
  };
  void Loop();

  Mutex mu_;
  std::condition_variable work_cv_;
  std::condition_variable done_cv_;
  std::deque<Job> queue_ ROXI_GUARDED_BY(mu_);
  std::vector<uint64_t> done_ ROXI_GUARDED_BY(mu_);  // finished tickets not yet awaited
  uint64_t next_ticket_ = 0;                         // owner only
  bool stop_ ROXI_GUARDED_BY(mu_) = false;
  std::vector<std::jthread> threads_;  // last: joined before the state above is destroyed
};

}  // namespace roxi::storage
