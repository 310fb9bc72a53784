#include "storage/archive_io.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "storage/file_privacy.h"

namespace roxi::storage {

namespace fs = std::filesystem;

Status ErrnoStatus(std::string_view what, const std::string& path, int err) {
  std::string detail = std::string(what) + ": ";
  if (err == ENOSPC || err == EDQUOT) {
    detail += "disk full (" + std::string(std::strerror(err)) + ")";
  } else {
    detail += std::strerror(err);
  }
  if (err == ENOENT) return Status::NotFound(path, detail);
  return Status::IOError(path, detail);
}

namespace {

Result<int> OpenFd(const std::string& path, int flags, std::string_view what) {
  int fd;
  do {
    fd = ::open(path.c_str(), flags | O_CLOEXEC, kPrivateFileMode);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) return ErrnoStatus(what, path, errno);
  return fd;
}

}  // namespace

Result<File> File::OpenForRead(const std::string& path) {
  ROXI_ASSIGN_OR_RETURN(int fd, OpenFd(path, O_RDONLY, "open"));
  return File(fd, path);
}

Result<File> File::CreateExclusive(const std::string& path) {
  ROXI_ASSIGN_OR_RETURN(int fd, OpenFd(path, O_WRONLY | O_CREAT | O_EXCL, "create"));
  return File(fd, path);
}

File::~File() {
  if (fd_ >= 0) ::close(fd_);
}

File::File(File&& other) noexcept
    : fd_(other.fd_),
      path_(std::move(other.path_)),
      written_(other.written_),
      write_limit_(other.write_limit_) {
  other.fd_ = -1;
}

File& File::operator=(File&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    path_ = std::move(other.path_);
    written_ = other.written_;
    write_limit_ = other.write_limit_;
    other.fd_ = -1;
  }
  return *this;
}

Result<size_t> File::ReadAt(uint64_t offset, char* buf, size_t n) const {
  size_t done = 0;
  while (done < n) {
    const ssize_t r = ::pread(fd_, buf + done, n - done, static_cast<off_t>(offset + done));
    if (r < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("read", path_, errno);
    }
    if (r == 0) break;
    done += static_cast<size_t>(r);
  }
  return done;
}

Status File::ReadExactlyAt(uint64_t offset, size_t n, std::string* out) const {
  out->resize(n);
  ROXI_ASSIGN_OR_RETURN(size_t got, ReadAt(offset, out->data(), n));
  if (got != n) {
    return Status::Corruption(path_, "truncated: wanted " + std::to_string(n) + " bytes at " +
                                         std::to_string(offset) + ", found " + std::to_string(got));
  }
  return Status::OK();
}

Status File::Append(std::string_view data) {
  if (write_limit_ != 0 && written_ + data.size() > write_limit_) {
    return ErrnoStatus("write", path_, ENOSPC);
  }
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t w = ::write(fd_, data.data() + done, data.size() - done);
    if (w < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("write", path_, errno);
    }
    done += static_cast<size_t>(w);
  }
  written_ += data.size();
  return Status::OK();
}

Status File::Sync() {
  if (::fsync(fd_) != 0) return ErrnoStatus("fsync", path_, errno);
  return Status::OK();
}

Result<uint64_t> File::Size() const {
  struct stat st;
  if (::fstat(fd_, &st) != 0) return ErrnoStatus("stat", path_, errno);
  return static_cast<uint64_t>(st.st_size);
}

Status File::Close() {
  if (fd_ < 0) return Status::OK();
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) return ErrnoStatus("close", path_, errno);
  return Status::OK();
}

Status SyncDir(const std::string& dir) {
  ROXI_ASSIGN_OR_RETURN(int fd, OpenFd(dir, O_RDONLY | O_DIRECTORY, "open directory"));
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) return ErrnoStatus("fsync directory", dir, err);
  return Status::OK();
}

Status RenameNoReplace(const std::string& from, const std::string& to) {
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) {
    return Status::OK();
  }
  if (errno == EEXIST) return Status::IOError(to, "already exists; refusing to replace it");
  if (errno != EINVAL && errno != ENOSYS) return ErrnoStatus("rename from " + from, to, errno);
  // A file system without RENAME_NOREPLACE: link() refuses an existing target just as well.
  if (::link(from.c_str(), to.c_str()) != 0) {
    if (errno == EEXIST) return Status::IOError(to, "already exists; refusing to replace it");
    return ErrnoStatus("link from " + from, to, errno);
  }
  if (::unlink(from.c_str()) != 0) return ErrnoStatus("unlink", from, errno);
  return Status::OK();
}

Status RenameReplace(const std::string& from, const std::string& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) return ErrnoStatus("rename from " + from, to, errno);
  return Status::OK();
}

Status WriteFileDurably(const std::string& path, std::string_view contents) {
  const std::string tmp = path + ".tmp";
  ::unlink(tmp.c_str());  // a leftover of an interrupted write; its absence is the normal case
  ROXI_ASSIGN_OR_RETURN(File file, File::CreateExclusive(tmp));
  Status s = file.Append(contents);
  if (s.ok()) s = file.Sync();
  if (s.ok()) s = file.Close();
  if (s.ok()) s = RenameReplace(tmp, path);
  if (!s.ok()) {
    ::unlink(tmp.c_str());
    return s;
  }
  return SyncDir(ParentDir(path));
}

Result<std::string> ReadSmallFile(const std::string& path, uint64_t max_bytes) {
  ROXI_ASSIGN_OR_RETURN(File file, File::OpenForRead(path));
  ROXI_ASSIGN_OR_RETURN(uint64_t size, file.Size());
  if (size > max_bytes) {
    return Status::Corruption(
        path, std::to_string(size) + " bytes, more than the limit of " + std::to_string(max_bytes));
  }
  std::string out;
  ROXI_RETURN_IF_ERROR(file.ReadExactlyAt(0, static_cast<size_t>(size), &out));
  return out;
}

Status RemoveAll(const std::string& path) {
  std::error_code ec;
  fs::remove_all(path, ec);
  if (ec) return Status::IOError(path, "remove: " + ec.message());
  return Status::OK();
}

Result<uint64_t> FreeBytes(const std::string& path) {
  struct statvfs st;
  if (::statvfs(path.c_str(), &st) != 0) return ErrnoStatus("statvfs", path, errno);
  return static_cast<uint64_t>(st.f_bavail) * st.f_frsize;
}

std::string ParentDir(const std::string& path) {
  fs::path p(path);
  while (p.has_relative_path() && p.filename().empty()) p = p.parent_path();  // "dir/" -> "dir"
  const fs::path parent = p.parent_path();
  return parent.empty() ? std::string(".") : parent.string();
}

std::string BaseName(const std::string& path) {
  fs::path p(path);
  while (p.has_relative_path() && p.filename().empty()) p = p.parent_path();
  return p.filename().string();
}

Result<FileLock> FileLock::Acquire(const std::string& path, std::string_view what, bool wait) {
  while (true) {
    ROXI_ASSIGN_OR_RETURN(int fd, OpenFd(path, O_RDWR | O_CREAT, "open lock file"));
    int rc;
    do {
      rc = ::flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB));
    } while (rc != 0 && errno == EINTR);
    if (rc != 0) {
      const int err = errno;
      ::close(fd);
      if (err == EWOULDBLOCK) return Status::Busy(what, "in use by another roxi process");
      return ErrnoStatus("lock", path, err);
    }
    // The holder before us may have removed the file: then the lock guards nothing, try again.
    struct stat held {}, named {};
    if (::fstat(fd, &held) == 0 && ::stat(path.c_str(), &named) == 0 &&
        held.st_dev == named.st_dev && held.st_ino == named.st_ino) {
      return FileLock(fd, path);
    }
    ::close(fd);
  }
}

Status FileLock::RemoveAndRelease() {
  Status removed = Status::OK();
  if (fd_ >= 0 && ::unlink(path_.c_str()) != 0 && errno != ENOENT) {
    removed = ErrnoStatus("remove lock file", path_, errno);
  }
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  return removed;
}

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the descriptor releases the lock
}

FileLock::FileLock(FileLock&& other) noexcept : fd_(other.fd_), path_(std::move(other.path_)) {
  other.fd_ = -1;
}

FileLock& FileLock::operator=(FileLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    path_ = std::move(other.path_);
    other.fd_ = -1;
  }
  return *this;
}

}  // namespace roxi::storage
