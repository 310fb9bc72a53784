#include "storage/ordered_workers.h"

#include <algorithm>
#include <mutex>
#include <system_error>

namespace roxi::storage {

OrderedWorkers::OrderedWorkers(int threads) {
  for (int i = 0; i < threads; ++i) {
    try {
      threads_.emplace_back([this] { Loop(); });
    } catch (const std::system_error&) {
      break;  // run with the threads there are; none means inline
    }
  }
}

OrderedWorkers::~OrderedWorkers() {
  {
    MutexLock lock(&mu_);
    stop_ = true;
  }
  work_cv_.notify_all();
  threads_.clear();  // joins; each thread finishes the queue first
}

uint64_t OrderedWorkers::Submit(std::function<void()> job) {
  const uint64_t ticket = next_ticket_++;
  if (threads_.empty()) {
    job();
    MutexLock lock(&mu_);
    done_.push_back(ticket);
    return ticket;
  }
  {
    MutexLock lock(&mu_);
    queue_.push_back(Job{ticket, std::move(job)});
  }
  work_cv_.notify_one();
  return ticket;
}

// The analysis cannot follow a condition variable waiting on mu_.native(); mu_ is held wherever
// guarded fields are touched in Await and Loop.
void OrderedWorkers::Await(uint64_t ticket) ROXI_NO_THREAD_SAFETY_ANALYSIS {
  std::unique_lock<std::mutex> lock(mu_.native());
  done_cv_.wait(lock, [&] { return std::find(done_.begin(), done_.end(), ticket) != done_.end(); });
  done_.erase(std::find(done_.begin(), done_.end(), ticket));
}

void OrderedWorkers::Loop() ROXI_NO_THREAD_SAFETY_ANALYSIS {
  for (;;) {
    Job job;
    {
      std::unique_lock<std::mutex> lock(mu_.native());
      work_cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stop_ and nothing left to run
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    job.run();
    {
      std::lock_guard<std::mutex> lock(mu_.native());
      done_.push_back(job.ticket);
    }
    done_cv_.notify_all();
  }
}

}  // namespace roxi::storage
