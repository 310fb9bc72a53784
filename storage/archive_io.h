// Plain POSIX file access for backup archives and the files beside them: an owned descriptor with
// full reads and writes, fsync, and the directory operations that make a file durable under its
// final name (write <dest>.tmp, fsync, rename, fsync the parent). Every error names the path and
// the operation; ENOSPC and EDQUOT read "disk full".
//
// Thread-safety: a File is used by one thread at a time; the free functions are thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "format/status.h"

namespace roxi::storage {

// Block size of every streaming read and write of archive data: memory stays constant whatever
// the size of the files.
inline constexpr size_t kArchiveIoBlockBytes = size_t{1} << 20;

class File {
 public:
  // NotFound if absent, IOError otherwise.
  static Result<File> OpenForRead(const std::string& path);
  // Creates `path`, which must not exist (IOError naming it if it does).
  static Result<File> CreateExclusive(const std::string& path);

  File() = default;
  ~File();
  File(File&& other) noexcept;
  File& operator=(File&& other) noexcept;
  File(const File&) = delete;
  File& operator=(const File&) = delete;

  const std::string& path() const { return path_; }
  bool is_open() const { return fd_ >= 0; }

  // Reads up to n bytes at `offset`; fewer only at the end of the file. IOError on failure.
  Result<size_t> ReadAt(uint64_t offset, char* buf, size_t n) const;
  // Reads exactly n bytes at `offset`; Corruption "<path>: truncated" if the file ends first.
  Status ReadExactlyAt(uint64_t offset, size_t n, std::string* out) const;
  // Appends all of `data` at the current position. IOError ("disk full" for ENOSPC/EDQUOT).
  Status Append(std::string_view data);
  Status Sync();
  Result<uint64_t> Size() const;
  // Closes, reporting a failed close (which may be a delayed write error).
  Status Close();

  // Tests only: Append fails with "disk full" once this many bytes would have been written.
  // 0: no limit.
  void set_write_limit_for_testing(uint64_t bytes) { write_limit_ = bytes; }

 private:
  File(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  int fd_ = -1;
  std::string path_;
  uint64_t written_ = 0;
  uint64_t write_limit_ = 0;
};

// An IOError for errno `err` while doing `what` on `path`.
Status ErrnoStatus(std::string_view what, const std::string& path, int err);

// fsyncs a directory, making renames and creations inside it durable.
Status SyncDir(const std::string& dir);
// Renames `from` to `to`; IOError naming `to` if it already exists (never replaces a file).
Status RenameNoReplace(const std::string& from, const std::string& to);
// Renames `from` to `to`, replacing `to` if it exists (atomic on POSIX file systems).
Status RenameReplace(const std::string& from, const std::string& to);
// Writes `contents` durably under `path`: <path>.tmp, fsync, rename over `path`, fsync the parent.
Status WriteFileDurably(const std::string& path, std::string_view contents);
// Reads a whole file of at most `max_bytes`; NotFound if absent, Corruption if larger.
Result<std::string> ReadSmallFile(const std::string& path, uint64_t max_bytes);
// Removes a file or a directory tree; OK if it does not exist.
Status RemoveAll(const std::string& path);
// Bytes available to an unprivileged writer on the file system holding `path`.
Result<uint64_t> FreeBytes(const std::string& path);
// The parent directory of `path` ("." for a bare name), and its last component.
std::string ParentDir(const std::string& path);
std::string BaseName(const std::string& path);

// An exclusive advisory lock (flock) on `path`, created if missing, released when the object dies.
// The holder may remove the file (RemoveAndRelease): Acquire only returns once it holds the lock
// on the file `path` names now, so a waiter that locked a removed file tries again.
class FileLock {
 public:
  // Busy naming `what` if another process holds it and `wait` is false.
  static Result<FileLock> Acquire(const std::string& path, std::string_view what, bool wait);
  // Removes the lock file, then releases the lock, so no empty lock file is left behind. IOError
  // naming the file if it cannot be removed (the lock is released all the same).
  // REQUIRES: the lock is held.
  Status RemoveAndRelease();
  FileLock() = default;
  ~FileLock();
  FileLock(FileLock&& other) noexcept;
  FileLock& operator=(FileLock&& other) noexcept;
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  FileLock(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  int fd_ = -1;
  std::string path_;
};

}  // namespace roxi::storage
