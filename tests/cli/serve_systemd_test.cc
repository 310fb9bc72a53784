// roxi serve as a systemd Type=notify service: READY=1 once the API answers, STOPPING=1 when it
// stops, as datagrams to $NOTIFY_SOCKET.
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <fstream>

#include "format/server_file.h"
#include "tests/cli/serve_fixture.h"

namespace roxi::testing {
namespace {

// A datagram socket standing in for systemd's notification socket.
class NotifySocket {
 public:
  explicit NotifySocket(const std::string& path) : path_(path) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path.c_str(), sizeof(addr.sun_path) - 1);
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0) << path;
  }
  ~NotifySocket() { ::close(fd_); }
  // The next message, or "" after `timeout_ms`.
  std::string Receive(int timeout_ms) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, timeout_ms) != 1) return "";
    char buf[4096];
    const ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
    return n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
  }

 private:
  std::string path_;
  int fd_ = -1;
};

TEST_F(ServeTest, TellsSystemdWhenReadyAndWhenStopping) {
  const std::string socket_path = dir_.Sub("notify.sock");
  NotifySocket notify(socket_path);
  BackgroundProcess server(RoxiBinary(),
                           {"serve", "--data-dir", data_dir(), "--listen", "127.0.0.1:0",
                            "--log-file", "-"},
                           {{"NOTIFY_SOCKET", socket_path}}, server_log());
  const std::string ready = notify.Receive(60000);
  ASSERT_EQ(ready, "READY=1") << ReadFile(server_log());
  // Ready means answering: the server file is there and the API replies at once.
  std::ifstream in(data_dir() + "/roxi.server", std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto record = format::DecodeServerFile(bytes);
  ASSERT_TRUE(record.ok());
  EXPECT_EQ(record->pid, server.pid());
  EXPECT_EQ(RoxiJson("status")["server"]["pid"], server.pid());

  server.Kill(SIGTERM);
  EXPECT_EQ(notify.Receive(30000), "STOPPING=1");
  EXPECT_EQ(server.Wait(), 0);
  EXPECT_EQ(notify.Receive(0), "");
}

TEST_F(ServeTest, RunsOutsideSystemdWithoutNotifySocket) {
  auto server = StartServe({}, {{"NOTIFY_SOCKET", ""}});
  EXPECT_TRUE(server->Running());
  EXPECT_EQ(StopServe(&server), 0);
}

}  // namespace
}  // namespace roxi::testing
