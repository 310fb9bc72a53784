#include "storage/backup_catalog.h"

#include <algorithm>
#include <filesystem>
#include <map>

namespace roxi::storage {

namespace fs = std::filesystem;

Result<FileLock> LockBackupFolder(const std::string& folder, bool wait) {
  auto lock = FileLock::Acquire(folder + "/" + std::string(kCatalogLockName),
                                "backup folder " + folder, wait);
  if (!lock.ok() && lock.status().IsBusy()) {
    return Status::Busy("backup folder " + folder,
                        "in use by another roxi backup, prune or verify; try again when it ends");
  }
  return lock;
}

format::CatalogArchive CatalogEntryFor(const std::string& name, const ArchiveReader& reader) {
  const format::ArchiveManifest& m = reader.manifest();
  format::CatalogArchive a;
  a.name = name;
  a.archive_id = m.archive_id;
  a.store_id = m.store_id;
  a.created_at_micros = m.created_at_micros;
  a.archive_bytes = reader.size();
  a.sequence = m.sequence;
  a.documents = m.documents;
  a.chunks = m.chunks;
  a.vectors = m.vectors;
  for (const auto& p : m.parents) a.parents.push_back(p.name);
  std::sort(a.parents.begin(), a.parents.end());
  for (const auto& f : m.files) {
    a.restored_bytes += f.size;
    if (f.source == 0) a.files.push_back(f);
  }
  return a;
}

format::CatalogArchive* FindArchive(format::BackupCatalog* catalog, std::string_view name) {
  auto& v = catalog->archives;
  auto it = std::lower_bound(
      v.begin(), v.end(), name,
      [](const format::CatalogArchive& a, std::string_view n) { return a.name < n; });
  return it != v.end() && it->name == name ? &*it : nullptr;
}

Result<CatalogLoad> LoadCatalog(const std::string& folder) {
  CatalogLoad load;
  const std::string path = folder + "/" + std::string(kCatalogFileName);
  std::map<std::string, format::CatalogArchive> recorded;
  auto bytes = ReadSmallFile(path, format::kMaxCatalogBytes);
  if (bytes.ok()) {
    auto catalog = format::DecodeBackupCatalog(*bytes);
    if (catalog.ok()) {
      for (auto& a : catalog->archives) recorded.emplace(a.name, std::move(a));
    } else if (catalog.status().IsNotSupported()) {
      return catalog.status().WithContext(path);
    } else {
      load.rebuilt_because = std::string(catalog.status().message());
      load.changed = true;
    }
  } else if (bytes.status().IsNotFound()) {
    load.changed = true;
  } else if (bytes.status().IsCorruption()) {
    load.rebuilt_because = std::string(bytes.status().message());
    load.changed = true;
  } else {
    return bytes.status();
  }

  std::error_code ec;
  std::vector<std::pair<std::string, uint64_t>> present;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    std::error_code type_ec;
    if (!name.ends_with(kArchiveSuffix) || !it->is_regular_file(type_ec)) continue;
    present.emplace_back(name, it->file_size(type_ec));
  }
  if (ec) return Status::IOError("backup folder " + folder, "list: " + ec.message());
  std::sort(present.begin(), present.end());
  if (present.size() != recorded.size()) load.changed = true;

  for (const auto& [name, size] : present) {
    auto it = recorded.find(name);
    if (it != recorded.end() && it->second.archive_bytes == size) {
      load.catalog.archives.push_back(std::move(it->second));
      continue;
    }
    load.changed = true;
    auto reader = ArchiveReader::Open(folder + "/" + name);
    if (!reader.ok()) {
      load.unreadable.emplace_back(name, reader.status().ToString());
      continue;
    }
    load.catalog.archives.push_back(CatalogEntryFor(name, *reader));
  }
  if (load.catalog.archives.size() > format::kMaxCatalogArchives) {
    return Status::NotSupported(
        "backup folder " + folder,
        "more than " + std::to_string(format::kMaxCatalogArchives) + " archives; prune it");
  }
  return load;
}

Status SaveCatalog(const std::string& folder, const format::BackupCatalog& catalog) {
  std::string bytes;
  format::EncodeBackupCatalog(catalog, &bytes);
  return WriteFileDurably(folder + "/" + std::string(kCatalogFileName), bytes);
}

}  // namespace roxi::storage
