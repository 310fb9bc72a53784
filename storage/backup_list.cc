#include "storage/backup_list.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <tuple>

#include "storage/backup_catalog.h"

namespace roxi::storage {

Result<BackupListing> ListBackups(const std::string& folder) {
  std::error_code ec;
  if (!std::filesystem::is_directory(folder, ec)) {
    return Status::NotFound("backup folder " + folder, "no such directory");
  }
  ROXI_ASSIGN_OR_RETURN(CatalogLoad load, LoadCatalog(folder));
  if (load.changed) {
    // Saving is a courtesy to the next reader; a busy folder is reconciled again next time.
    if (auto lock = LockBackupFolder(folder, /*wait=*/false); lock.ok()) {
      // why: as above; the listing below does not depend on it.
      SaveCatalog(folder, load.catalog).IgnoreError();
    }
  }
  BackupListing listing;
  listing.unreadable = load.unreadable;
  listing.archives = std::move(load.catalog.archives);
  std::sort(listing.archives.begin(), listing.archives.end(), [](const auto& x, const auto& y) {
    return std::tie(x.created_at_micros, x.name) > std::tie(y.created_at_micros, y.name);
  });
  std::map<std::string, uint32_t> children;
  for (const auto& a : listing.archives) {
    listing.total_bytes += a.archive_bytes;
    for (const auto& p : a.parents) ++children[p];
  }
  for (const auto& a : listing.archives) listing.children.push_back(children[a.name]);
  return listing;
}

}  // namespace roxi::storage
