// TempDir: a fresh directory under $TMPDIR (or /tmp) for one test, removed with everything in it
// when the object dies. Tests never share data directories.
//
// Thread-safety: owned by one test.
#pragma once

#include <filesystem>
#include <string>

namespace roxi::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // path() / name, as a string.
  std::string Sub(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// Writes `contents` to `path`, creating parent directories. Fails the current test on error.
void WriteFile(const std::filesystem::path& path, const std::string& contents);
// Reads all of `path`. Fails the current test on error.
std::string ReadFile(const std::filesystem::path& path);

}  // namespace roxi::testing
