#include "src/server/ingest_roots.h"

#include <filesystem>

namespace roxi::server {

namespace fs = std::filesystem;

namespace {

bool Under(const fs::path& path, const std::string& root) {
  const std::string p = path.string();
  if (p.size() < root.size() || p.compare(0, root.size(), root) != 0) return false;
  return p.size() == root.size() || root == "/" || p[root.size()] == '/';
}

bool UnderAny(const fs::path& path, const std::vector<std::string>& roots) {
  for (const auto& root : roots) {
    if (Under(path, root)) return true;
  }
  return false;
}

Status Outside(const std::string& path, const std::vector<std::string>& roots) {
  std::string list;
  for (const auto& root : roots) list += (list.empty() ? "" : ", ") + root;
  return Status::InvalidArgument("path " + path,
                                 "outside the ingest roots (" + list +
                                     "); start roxi serve with --ingest-root for its folder");
}

// Every symbolic link under `folder` (the ingester follows links to files) must stay inside.
Status CheckFolder(const fs::path& folder, const std::vector<std::string>& roots) {
  std::error_code ec;
  fs::recursive_directory_iterator it(folder, fs::directory_options::skip_permission_denied, ec);
  if (ec) return Status::OK();  // the ingest reports the unreadable folder
  for (fs::recursive_directory_iterator end; it != end; it.increment(ec)) {
    if (ec) return Status::OK();
    if (!it->is_symlink(ec)) continue;
    const fs::path target = fs::weakly_canonical(it->path(), ec);
    if (ec || !UnderAny(target, roots)) return Outside(it->path().string(), roots);
  }
  return Status::OK();
}

}  // namespace

Result<std::vector<std::string>> ResolveIngestRoots(const std::vector<std::string>& folders,
                                                    const std::string& flag) {
  std::vector<std::string> roots;
  for (const auto& folder : folders) {
    std::error_code ec;
    const fs::path canonical = fs::canonical(folder, ec);
    if (ec || !fs::is_directory(canonical, ec)) {
      return Status::NotFound(flag + " " + folder, "not an existing folder");
    }
    roots.push_back(canonical.string());
  }
  return roots;
}

Status CheckIngestPaths(const std::vector<std::string>& roots,
                        const std::vector<std::string>& paths) {
  for (const auto& path : paths) {
    if (roots.empty()) {
      return Status::InvalidArgument("path " + path,
                                     "this server reads no files (no --ingest-root or --watch "
                                     "folder); post the text as content, or start roxi serve "
                                     "with --ingest-root");
    }
    if (path.empty() || path.front() != '/') {
      return Status::InvalidArgument("path '" + path + "'", "want an absolute path");
    }
    std::error_code ec;
    // weakly_canonical resolves every link and ".." of the part that exists.
    const fs::path resolved = fs::weakly_canonical(path, ec);
    if (ec || !UnderAny(resolved, roots)) return Outside(path, roots);
    if (fs::is_directory(resolved, ec)) ROXI_RETURN_IF_ERROR(CheckFolder(resolved, roots));
  }
  return Status::OK();
}

}  // namespace roxi::server
