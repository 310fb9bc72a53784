#include "src/server/connection_table.h"

#include <sys/socket.h>

namespace roxi::server {

ConnectionTable::ConnectionTable(size_t max_connections, std::chrono::milliseconds header_timeout)
    : max_connections_(max_connections < 1 ? 1 : max_connections),
      header_timeout_(header_timeout),
      timeout_thread_([this](std::stop_token stop) { EnforceTimeouts(stop); }) {}

ConnectionTable::~ConnectionTable() {
  timeout_thread_.request_stop();
  timeout_cv_.notify_all();
}

size_t ConnectionTable::LiveCount() const {
  size_t live = 0;
  for (const auto& [fd, entry] : entries_) live += entry.dropped ? 0 : 1;
  return live;
}

void ConnectionTable::Drop(std::map<int, Entry>::iterator it) {
  // The serving thread still owns the descriptor: only its reads and writes end here.
  ::shutdown(it->first, SHUT_RDWR);
  it->second.dropped = true;
  ++dropped_;
}

bool ConnectionTable::DropOldestIdleLocked() {
  auto oldest = entries_.end();
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (it->second.busy || it->second.dropped) continue;
    if (oldest == entries_.end() || it->second.idle_since < oldest->second.idle_since) oldest = it;
  }
  if (oldest == entries_.end()) return false;
  Drop(oldest);
  return true;
}

bool ConnectionTable::Add(int fd) {
  std::lock_guard lock(mu_);
  if (LiveCount() >= max_connections_ && !DropOldestIdleLocked()) return false;
  entries_[fd] = Entry{false, false, std::chrono::steady_clock::now()};
  return true;
}

void ConnectionTable::SetBusy(int fd, bool busy) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(fd);
  if (it == entries_.end()) return;
  it->second.busy = busy;
  if (!busy) it->second.idle_since = std::chrono::steady_clock::now();
}

void ConnectionTable::Remove(int fd) {
  std::lock_guard lock(mu_);
  entries_.erase(fd);
}

void ConnectionTable::DropOldestIdle() {
  std::lock_guard lock(mu_);
  DropOldestIdleLocked();
}

void ConnectionTable::DropAllIdle() {
  std::lock_guard lock(mu_);
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (!it->second.busy && !it->second.dropped) Drop(it);
  }
}

size_t ConnectionTable::size() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

size_t ConnectionTable::dropped() const {
  std::lock_guard lock(mu_);
  return dropped_;
}

void ConnectionTable::EnforceTimeouts(std::stop_token stop) {
  // A tenth of the timeout (at most 250 ms) bounds how late a slow client is dropped.
  const auto tick = std::min<std::chrono::milliseconds>(header_timeout_ / 10,
                                                        std::chrono::milliseconds(250));
  std::unique_lock lock(mu_);
  while (!stop.stop_requested()) {
    timeout_cv_.wait_for(lock, stop, tick + std::chrono::milliseconds(1),
                         [] { return false; });
    const auto now = std::chrono::steady_clock::now();
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      const Entry& e = it->second;
      if (!e.busy && !e.dropped && now - e.idle_since > header_timeout_) Drop(it);
    }
  }
}

}  // namespace roxi::server
