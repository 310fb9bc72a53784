#include "src/server/folder_watcher.h"

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>

#include "src/common/log.h"

namespace roxi::server {

namespace fs = std::filesystem;

namespace {

constexpr uint32_t kMask =
    IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_ONLYDIR;
constexpr int kQuietMillis = 300;

bool Hidden(std::string_view name) { return !name.empty() && name[0] == '.'; }

}  // namespace

Result<std::unique_ptr<FolderWatcher>> FolderWatcher::Start(const std::vector<std::string>& folders,
                                                            Callback on_changes) {
  std::vector<std::string> absolute;
  for (const auto& folder : folders) {
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) {
      return Status::NotFound("--watch " + folder, "not a folder");
    }
    absolute.push_back(fs::absolute(folder, ec).lexically_normal().string());
  }
  const int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) return Status::IOError("inotify", std::strerror(errno));
  std::unique_ptr<FolderWatcher> watcher(new FolderWatcher(fd, std::move(absolute), std::move(on_changes)));
  watcher->thread_ = std::jthread([w = watcher.get()] { w->Run(); });
  return watcher;
}

FolderWatcher::FolderWatcher(int fd, std::vector<std::string> folders, Callback on_changes)
    : fd_(fd), folders_(std::move(folders)), on_changes_(std::move(on_changes)) {}

FolderWatcher::~FolderWatcher() {
  stop_.store(true);
  if (thread_.joinable()) thread_.join();
  ::close(fd_);
}

void FolderWatcher::AddTree(const std::string& folder) {
  // The directory's own watch (IN_ONLYDIR), without following links to directories elsewhere.
  const int wd = inotify_add_watch(fd_, folder.c_str(), kMask & ~IN_ONLYDIR);
  if (wd < 0) {
    common::LogWarn("cannot watch folder", {{"path", folder}, {"error", std::strerror(errno)}});
    return;
  }
  watched_[wd] = folder;
  std::error_code ec;
  for (fs::directory_iterator it(folder, fs::directory_options::skip_permission_denied, ec), end;
       !ec && it != end; it.increment(ec)) {
    if (Hidden(it->path().filename().string())) continue;
    std::error_code type_ec;
    if (it->is_directory(type_ec) && !it->is_symlink(type_ec)) AddTree(it->path().string());
  }
}

void FolderWatcher::Run() {
  for (const auto& folder : folders_) AddTree(folder);
  // Whatever arrived or went while nobody watched.
  on_changes_(Changes{folders_, {}, folders_});

  std::set<std::string> changed;
  std::set<std::string> removed;
  bool recheck = false;
  alignas(inotify_event) char buffer[64 * 1024];
  while (!stop_.load()) {
    pollfd pfd{fd_, POLLIN, 0};
    const int ready = ::poll(&pfd, 1, kQuietMillis);
    if (ready < 0 && errno != EINTR) {
      common::LogError("folder watch stopped", {{"error", std::strerror(errno)}});
      return;
    }
    if (ready <= 0) {
      // Quiet for a moment: hand over what changed.
      if (!changed.empty() || !removed.empty() || recheck) {
        Changes changes;
        changes.written.assign(changed.begin(), changed.end());
        changes.removed.assign(removed.begin(), removed.end());
        if (recheck) changes.recheck = folders_;
        on_changes_(changes);
        changed.clear();
        removed.clear();
        recheck = false;
      }
      continue;
    }
    const ssize_t n = ::read(fd_, buffer, sizeof buffer);
    for (ssize_t offset = 0; n > 0 && offset < n;) {
      const auto* event = reinterpret_cast<const inotify_event*>(buffer + offset);
      offset += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
      if (event->mask & IN_Q_OVERFLOW) {
        // Events were lost: rescan everything (unchanged documents are skipped cheaply).
        for (const auto& folder : folders_) changed.insert(folder);
        recheck = true;
        continue;
      }
      auto it = watched_.find(event->wd);
      if (it == watched_.end() || event->len == 0) continue;
      const std::string name(event->name);
      if (Hidden(name)) continue;
      const std::string path = (fs::path(it->second) / name).string();
      // The last event of a path decides: a file deleted and written again (an editor's save)
      // is written, one written and then moved out is removed.
      if (event->mask & (IN_DELETE | IN_MOVED_FROM)) {
        changed.erase(path);
        removed.insert(path);
      } else if (event->mask & IN_ISDIR) {
        if (event->mask & (IN_CREATE | IN_MOVED_TO)) {
          AddTree(path);
          removed.erase(path);
          changed.insert(path);  // files written before its watch existed
        }
      } else if (event->mask & (IN_CLOSE_WRITE | IN_MOVED_TO)) {
        removed.erase(path);
        changed.insert(path);
      }
    }
  }
}

}  // namespace roxi::server
