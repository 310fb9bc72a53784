#include "src/server/connection_table.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>
#include <vector>

namespace roxi::server {
namespace {

using std::chrono::milliseconds;

// A connected pair of sockets: `server` is registered in the table, `client` sees it dropped.
struct Pair {
  Pair() {
    int fds[2];
    EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    server = fds[0];
    client = fds[1];
  }
  ~Pair() {
    ::close(server);
    ::close(client);
  }
  // True once the server side is shut down (the client reads end of file), waiting up to 10 s.
  bool Dropped(int wait_ms = 10000) const {
    pollfd p{client, POLLIN, 0};
    if (::poll(&p, 1, wait_ms) != 1) return false;
    char byte;
    return ::recv(client, &byte, 1, MSG_DONTWAIT) == 0;
  }
  int server = -1;
  int client = -1;
};

TEST(ConnectionTableTest, PastTheLimitTheOldestIdleConnectionIsDropped) {
  ConnectionTable table(3, milliseconds(600000));
  Pair a, b, c, d;
  ASSERT_TRUE(table.Add(a.server));
  std::this_thread::sleep_for(milliseconds(2));
  ASSERT_TRUE(table.Add(b.server));
  std::this_thread::sleep_for(milliseconds(2));
  ASSERT_TRUE(table.Add(c.server));
  table.SetBusy(a.server, true);  // busy: never dropped
  ASSERT_TRUE(table.Add(d.server));
  EXPECT_TRUE(b.Dropped());
  EXPECT_FALSE(a.Dropped(0));
  EXPECT_FALSE(c.Dropped(0));
  EXPECT_FALSE(d.Dropped(0));
  EXPECT_EQ(table.dropped(), 1u);
  for (const Pair* p : {&a, &b, &c, &d}) table.Remove(p->server);
  EXPECT_EQ(table.size(), 0u);
}

TEST(ConnectionTableTest, WhenEveryConnectionIsBusyANewOneIsRefused) {
  ConnectionTable table(2, milliseconds(600000));
  Pair a, b, c;
  ASSERT_TRUE(table.Add(a.server));
  ASSERT_TRUE(table.Add(b.server));
  table.SetBusy(a.server, true);
  table.SetBusy(b.server, true);
  EXPECT_FALSE(table.Add(c.server));
  EXPECT_FALSE(a.Dropped(0));
  EXPECT_FALSE(b.Dropped(0));
  // Answered: idle again, and so the one to make way.
  table.SetBusy(a.server, false);
  EXPECT_TRUE(table.Add(c.server));
  EXPECT_TRUE(a.Dropped());
}

TEST(ConnectionTableTest, IdleConnectionsPastTheHeaderTimeoutAreDropped) {
  ConnectionTable table(10, milliseconds(200));
  Pair idle, busy;
  ASSERT_TRUE(table.Add(idle.server));
  ASSERT_TRUE(table.Add(busy.server));
  table.SetBusy(busy.server, true);
  EXPECT_TRUE(idle.Dropped());
  EXPECT_FALSE(busy.Dropped(500));
  table.Remove(idle.server);
  table.Remove(busy.server);
}

TEST(ConnectionTableTest, DropAllIdleSparesBusyConnections) {
  ConnectionTable table(10, milliseconds(600000));
  Pair a, b;
  ASSERT_TRUE(table.Add(a.server));
  ASSERT_TRUE(table.Add(b.server));
  table.SetBusy(b.server, true);
  table.DropAllIdle();
  EXPECT_TRUE(a.Dropped());
  EXPECT_FALSE(b.Dropped(0));
}

}  // namespace
}  // namespace roxi::server
