#include "src/server/server_file_io.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace roxi::server {

namespace {

Status WriteAll(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::IOError("write " + path, std::strerror(errno));
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::OK();
}

Status FsyncDirectory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Status::IOError("open " + dir, std::strerror(errno));
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) return Status::IOError("fsync " + dir, std::strerror(err));
  return Status::OK();
}

}  // namespace

std::string ServerFilePath(const std::string& data_dir) {
  return (std::filesystem::path(data_dir) / "roxi.server").string();
}

Status PublishServerFile(const std::string& data_dir, const format::ServerFileRecord& record) {
  const std::string path = ServerFilePath(data_dir);
  const std::string tmp = path + ".tmp";
  const std::string bytes = format::EncodeServerFile(record);
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Status::IOError("create " + tmp, std::strerror(errno));
  Status s = WriteAll(fd, bytes, tmp);
  if (s.ok() && ::fsync(fd) != 0) s = Status::IOError("fsync " + tmp, std::strerror(errno));
  ::close(fd);
  if (s.ok() && std::rename(tmp.c_str(), path.c_str()) != 0) {
    s = Status::IOError("rename " + tmp, std::strerror(errno));
  }
  if (!s.ok()) {
    ::unlink(tmp.c_str());
    return s;
  }
  return FsyncDirectory(data_dir);
}

Result<format::ServerFileRecord> ReadServerFile(const std::string& data_dir) {
  const std::string path = ServerFilePath(data_dir);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (errno == ENOENT) return Status::NotFound("server file " + path);
    return Status::IOError("open " + path, std::strerror(errno));
  }
  std::string bytes;
  bytes.resize(format::kMaxServerFileBytes + 1);
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  bytes.resize(static_cast<size_t>(in.gcount()));
  auto record = format::DecodeServerFile(bytes);
  if (!record.ok()) return record.status().WithContext(path);
  return record;
}

bool ProcessAlive(int64_t pid) {
  if (pid <= 0) return false;
  return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

void RemoveServerFile(const std::string& data_dir, int64_t pid) {
  auto record = ReadServerFile(data_dir);
  if (record.ok() && record->pid == pid) ::unlink(ServerFilePath(data_dir).c_str());
}

}  // namespace roxi::server
