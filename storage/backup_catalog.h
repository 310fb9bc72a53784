// The catalog of a backup folder (FORMAT.md §7) as files: loading it, bringing it up to date with
// the archives actually in the folder, saving it durably, and the folder's lock. The archives are
// the truth and the catalog a summary of their manifests: an archive missing from the catalog (a
// backup killed between publishing its archive and saving the catalog) is added from its
// manifest, an entry whose archive is gone is dropped, and a damaged catalog is rebuilt.
//
// Thread-safety: thread-safe functions; concurrent writers of one folder (in any process) must
// hold its lock (LockBackupFolder).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "format/archive_catalog.h"
#include "format/status.h"
#include "storage/archive_io.h"
#include "storage/archive_reader.h"

namespace roxi::storage {

inline constexpr std::string_view kCatalogFileName = "roxi-catalog";
inline constexpr std::string_view kCatalogLockName = "roxi-catalog.lock";
inline constexpr std::string_view kArchiveSuffix = ".roxibak";

// The folder's exclusive lock, held while a backup, a prune or a catalog update runs. Busy naming
// the folder if another process holds it and `wait` is false.
Result<FileLock> LockBackupFolder(const std::string& folder, bool wait);

// The catalog entry of the archive `name` read by `reader` (never verified).
format::CatalogArchive CatalogEntryFor(const std::string& name, const ArchiveReader& reader);

struct CatalogLoad {
  format::BackupCatalog catalog;  // up to date with the folder
  bool changed = false;           // differs from what the catalog file holds
  // Archives in the folder that could not be read, with why; they are not in `catalog`.
  std::vector<std::pair<std::string, std::string>> unreadable;
  std::string rebuilt_because;  // non-empty when a damaged catalog was rebuilt
};

// Loads the catalog of `folder` and reconciles it with the folder's *.roxibak files. An absent
// catalog is built from the archives. NotSupported if the catalog was written by a newer roxi
// (it is then left alone); IOError if the folder cannot be listed.
Result<CatalogLoad> LoadCatalog(const std::string& folder);

// Writes the catalog durably. REQUIRES: the folder's lock is held.
Status SaveCatalog(const std::string& folder, const format::BackupCatalog& catalog);

// The entry named `name`, or nullptr.
format::CatalogArchive* FindArchive(format::BackupCatalog* catalog, std::string_view name);

}  // namespace roxi::storage
