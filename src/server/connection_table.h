// ConnectionTable: the open connections of the HTTP server, so that slow or half-open clients can
// never starve the others. A connection is idle from its accept (or the end of its last request)
// until its request's headers are complete, and busy while the request is handled. Idle
// connections are the ones a server may drop: the table shuts down
//   - the oldest idle connection when a new one would exceed the limit, and
//   - every idle connection that has not completed its headers within the header timeout.
// Dropping means shutdown(2) on the socket: its thread's blocked read returns at once and the
// thread closes the socket. Busy connections are never dropped; a new connection that finds every
// slot busy is refused.
//
// Thread-safety: thread-safe. A socket is registered and removed by the thread serving it, which
// closes it only after Remove, so the table never touches a closed (or reused) descriptor.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <map>
#include <mutex>
#include <thread>

namespace roxi::server {

class ConnectionTable {
 public:
  // max_connections >= 1; header_timeout > 0. Starts the thread that enforces the timeout.
  ConnectionTable(size_t max_connections, std::chrono::milliseconds header_timeout);
  ~ConnectionTable();
  ConnectionTable(const ConnectionTable&) = delete;
  ConnectionTable& operator=(const ConnectionTable&) = delete;

  // Registers socket `fd` as idle. When the table is full, drops the oldest idle connection
  // first; returns false (fd not registered) when every slot is busy.
  bool Add(int fd);
  // The request on fd has its headers (busy) or is answered (idle again, the timeout restarts).
  void SetBusy(int fd, bool busy);
  // Unregisters fd. REQUIRES: fd was added; called before fd is closed.
  void Remove(int fd);
  // Drops the oldest idle connection, if any (the thread pool is out of threads).
  void DropOldestIdle();
  // Drops every idle connection (the server stops).
  void DropAllIdle();

  size_t size() const;
  // Connections dropped so far, for logs and tests.
  size_t dropped() const;

 private:
  struct Entry {
    bool busy = false;
    bool dropped = false;
    std::chrono::steady_clock::time_point idle_since;
  };
  // REQUIRES: mu_ held.
  size_t LiveCount() const;
  void Drop(std::map<int, Entry>::iterator it);
  bool DropOldestIdleLocked();
  void EnforceTimeouts(std::stop_token stop);

  const size_t max_connections_;
  const std::chrono::milliseconds header_timeout_;
  mutable std::mutex mu_;
  std::condition_variable_any timeout_cv_;
  std::map<int, Entry> entries_;  // guarded by mu_
  size_t dropped_ = 0;            // guarded by mu_
  std::jthread timeout_thread_;   // last: started once everything above exists
};

}  // namespace roxi::server
