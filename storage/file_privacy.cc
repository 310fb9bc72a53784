#include "storage/file_privacy.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace roxi::storage {
namespace {

namespace fs = std::filesystem;

Status ErrnoError(const std::string& what, const std::string& path, int error) {
  return Status::IOError(what + " " + path, std::strerror(error));
}

// Clears the group and other bits of one entry examined with lstat. Returns whether it changed
// anything; a vanished entry changes nothing.
Result<bool> TightenEntry(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return false;
    return ErrnoError("examine", path, errno);
  }
  if (S_ISLNK(st.st_mode) || !IsExposed(st.st_mode)) return false;
  if (::chmod(path.c_str(), st.st_mode & 07700) != 0) {
    if (errno == ENOENT) return false;
    return ErrnoError("chmod", path, errno);
  }
  return true;
}

Status StrictRefusal(const std::string& what, const std::string& path, mode_t mode) {
  return Status::InvalidArgument(ExposedFolderMessage(what, path, mode) +
                                 " (refused: strict permissions)");
}

std::string TightenedMessage(uint64_t changed, const std::string& what) {
  return "made " + std::to_string(changed) + " " + what +
         " readable by their owner only (an older roxi left them readable by others)";
}

}  // namespace

void SetOwnerOnlyUmask() { ::umask(kGroupOtherBits); }

Status CreatePrivateDirectories(const std::string& path) {
  if (path.empty()) return Status::InvalidArgument("create directory", "empty path");
  fs::path built;
  for (const fs::path& part : fs::path(path)) {
    built /= part;
    if (part.empty() || part == "/" || part == "." || part == "..") continue;
    const std::string current = built.string();
    if (::mkdir(current.c_str(), kPrivateDirMode) == 0) {
      // mkdir's mode passes through the umask; the chmod makes it exactly 0700 either way.
      if (::chmod(current.c_str(), kPrivateDirMode) != 0) {
        return ErrnoError("chmod", current, errno);
      }
      continue;
    }
    if (errno != EEXIST) return ErrnoError("create directory", current, errno);
    struct stat st {};
    if (::stat(current.c_str(), &st) != 0) return ErrnoError("examine", current, errno);
    if (!S_ISDIR(st.st_mode)) {
      return Status::InvalidArgument(current, "exists and is not a directory");
    }
  }
  return Status::OK();
}

Status CreatePrivateDirectoriesUnder(const std::string& root, const std::string& relative) {
  struct stat st {};
  if (::stat(root.c_str(), &st) != 0) {
    if (errno == ENOENT) return Status::NotFound(root, "does not exist");
    return ErrnoError("examine", root, errno);
  }
  if (!S_ISDIR(st.st_mode)) return Status::InvalidArgument(root, "exists and is not a directory");
  std::string current = root;
  for (const fs::path& part : fs::path(relative)) {
    if (part.empty() || part == "/" || part == "." || part == "..") continue;
    current += "/" + part.string();
    // why: mkdir of a child fails with ENOENT if `root` vanished meanwhile; it never recreates it.
    if (::mkdir(current.c_str(), kPrivateDirMode) == 0) {
      if (::chmod(current.c_str(), kPrivateDirMode) != 0) return ErrnoError("chmod", current, errno);
      continue;
    }
    if (errno == ENOENT) return Status::NotFound(root, "does not exist");
    if (errno != EEXIST) return ErrnoError("create directory", current, errno);
    if (::stat(current.c_str(), &st) != 0) return ErrnoError("examine", current, errno);
    if (!S_ISDIR(st.st_mode)) {
      return Status::InvalidArgument(current, "exists and is not a directory");
    }
  }
  return Status::OK();
}

Result<std::optional<mode_t>> ModeOf(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return std::optional<mode_t>();
    return ErrnoError("examine", path, errno);
  }
  return std::optional<mode_t>(st.st_mode & 07777);
}

std::string FormatMode(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof(text), "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

std::string ExposedFolderMessage(const std::string& what, const std::string& path, mode_t mode) {
  return what + " " + path + " can be read by group or others (mode " + FormatMode(mode) +
         "): run chmod 700 " + path;
}

Result<uint64_t> TightenTree(const std::string& root) {
  uint64_t changed = 0;
  ROXI_ASSIGN_OR_RETURN(bool root_changed, TightenEntry(root));
  changed += root_changed ? 1 : 0;
  std::error_code ec;
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
  if (ec) {
    if (ec == std::errc::no_such_file_or_directory) return changed;
    return Status::IOError("list " + root, ec.message());
  }
  for (const fs::recursive_directory_iterator end; it != end; it.increment(ec)) {
    if (ec) return Status::IOError("list " + root, ec.message());
    ROXI_ASSIGN_OR_RETURN(bool entry_changed, TightenEntry(it->path().string()));
    changed += entry_changed ? 1 : 0;
  }
  if (ec) return Status::IOError("list " + root, ec.message());
  return changed;
}

Result<uint64_t> TightenFolderFiles(const std::string& folder) {
  uint64_t changed = 0;
  ROXI_ASSIGN_OR_RETURN(bool folder_changed, TightenEntry(folder));
  changed += folder_changed ? 1 : 0;
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(folder, ec)) {
    if (!entry.is_regular_file(ec) || entry.is_symlink(ec)) continue;
    ROXI_ASSIGN_OR_RETURN(bool entry_changed, TightenEntry(entry.path().string()));
    changed += entry_changed ? 1 : 0;
  }
  if (ec && ec != std::errc::no_such_file_or_directory) {
    return Status::IOError("list " + folder, ec.message());
  }
  return changed;
}

Result<FolderPrivacy> SecureDataDir(const std::string& data_dir, bool read_write, bool strict) {
  FolderPrivacy out;
  ROXI_ASSIGN_OR_RETURN(std::optional<mode_t> mode, ModeOf(data_dir));
  if (!mode) return out;
  const std::string db_dir = (fs::path(data_dir) / "db").string();
  ROXI_ASSIGN_OR_RETURN(std::optional<mode_t> db_mode, ModeOf(db_dir));
  const bool dir_exposed = IsExposed(*mode);
  const bool legacy = db_mode && IsExposed(*db_mode);
  if (strict && dir_exposed) {
    return StrictRefusal("data directory", data_dir, *mode);
  }
  if (legacy && read_write) {
    ROXI_ASSIGN_OR_RETURN(out.tightened, TightenTree(data_dir));
    out.warnings.push_back(TightenedMessage(out.tightened, "files and folders under " + data_dir));
    return out;
  }
  if (dir_exposed) out.warnings.push_back(ExposedFolderMessage("data directory", data_dir, *mode));
  if (legacy) {
    out.warnings.push_back("store " + db_dir + " can be read by group or others (mode " +
                           FormatMode(*db_mode) +
                           "): the next read-write command (ingest, process, serve) makes it "
                           "owner-only");
  }
  return out;
}

Result<FolderPrivacy> SecureBackupFolder(const std::string& folder, bool strict) {
  FolderPrivacy out;
  ROXI_ASSIGN_OR_RETURN(std::optional<mode_t> mode, ModeOf(folder));
  if (!mode || !IsExposed(*mode)) return out;
  if (strict) {
    return StrictRefusal("backup folder", folder, *mode);
  }
  bool legacy = false;
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(folder, ec)) {
    if (!entry.is_regular_file(ec) || entry.is_symlink(ec)) continue;
    ROXI_ASSIGN_OR_RETURN(std::optional<mode_t> file_mode, ModeOf(entry.path().string()));
    if (file_mode && IsExposed(*file_mode)) {
      legacy = true;
      break;
    }
  }
  if (!legacy) {
    out.warnings.push_back(ExposedFolderMessage("backup folder", folder, *mode));
    return out;
  }
  ROXI_ASSIGN_OR_RETURN(out.tightened, TightenFolderFiles(folder));
  out.warnings.push_back(TightenedMessage(out.tightened, "backup files and folders in " + folder));
  return out;
}

Result<std::string> ReadSecretFile(const std::string& what, const std::string& path) {
  constexpr size_t kMaxSecretBytes = 64 * 1024;
  const std::string name = what + " " + path;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0 && errno == ELOOP) {
    // A symlink is fine (a secrets mount often links its files); its target is what is checked.
    std::error_code ec;
    const fs::path target = fs::canonical(path, ec);
    if (ec) return Status::NotFound(name, "a symbolic link to nowhere: " + ec.message());
    return ReadSecretFile(what, target.string());
  }
  if (fd < 0) {
    if (errno == ENOENT) return Status::NotFound(name, "no such file");
    return ErrnoError("open", name, errno);
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const int error = errno;
    ::close(fd);
    return ErrnoError("examine", name, error);
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return Status::InvalidArgument(name, "is not a regular file");
  }
  if (IsExposed(st.st_mode)) {
    ::close(fd);
    return Status::InvalidArgument(
        name, "can be read by group or others (mode " + FormatMode(st.st_mode) +
                  "); a key file must be private: run chmod 600 " + path);
  }
  if (static_cast<uint64_t>(st.st_size) > kMaxSecretBytes) {
    ::close(fd);
    return Status::InvalidArgument(name, "is larger than 64 KiB; it should hold one key");
  }
  std::string content(kMaxSecretBytes + 1, '\0');
  size_t used = 0;
  while (used < content.size()) {
    const ssize_t n = ::read(fd, content.data() + used, content.size() - used);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int error = errno;
      ::close(fd);
      return ErrnoError("read", name, error);
    }
    if (n == 0) break;
    used += static_cast<size_t>(n);
  }
  ::close(fd);
  content.resize(used);
  if (used > kMaxSecretBytes) {
    return Status::InvalidArgument(name, "is larger than 64 KiB; it should hold one key");
  }
  while (!content.empty() && std::isspace(static_cast<unsigned char>(content.back()))) {
    content.pop_back();
  }
  if (content.empty()) return Status::InvalidArgument(name, "is empty");
  return content;
}

}  // namespace roxi::storage
