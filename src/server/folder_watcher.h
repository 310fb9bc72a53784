// FolderWatcher: notices files written, moved in, created, deleted or moved out under watched
// folders (Linux inotify, recursively, hidden entries skipped) and hands their paths to a callback
// in batches, once the folder has been quiet for a moment (so a file being written is taken
// whole). At start it reports every folder once as written and as to be checked, so files that
// arrived or went while roxi was not running are picked up too; so does a lost-events overflow.
//
// Thread-safety: Start and the destructor from the owning thread; the callback runs on the
// watcher's own thread.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "format/status.h"

namespace roxi::server {

class FolderWatcher {
 public:
  struct Changes {
    std::vector<std::string> written;  // files or folders written, created or moved in
    std::vector<std::string> removed;  // files or folders deleted or moved out
    std::vector<std::string> recheck;  // watched folders whose every document should be checked
  };
  using Callback = std::function<void(const Changes& changes)>;

  // NotFound naming a folder that does not exist; IOError if inotify cannot be set up.
  static Result<std::unique_ptr<FolderWatcher>> Start(const std::vector<std::string>& folders,
                                                      Callback on_changes);
  ~FolderWatcher();
  FolderWatcher(const FolderWatcher&) = delete;
  FolderWatcher& operator=(const FolderWatcher&) = delete;

 private:
  FolderWatcher(int fd, std::vector<std::string> folders, Callback on_changes);
  void AddTree(const std::string& folder);
  void Run();

  const int fd_;
  const std::vector<std::string> folders_;
  const Callback on_changes_;
  std::map<int, std::string> watched_;  // watch descriptor -> folder; watcher thread only
  std::atomic<bool> stop_{false};
  std::jthread thread_;  // last
};

}  // namespace roxi::server
