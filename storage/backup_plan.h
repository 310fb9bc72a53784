// Which files of a checkpoint an archive stores and which it refers to. RocksDB never rewrites an
// SST or blob file once written, so a file of the checkpoint that an earlier archive of the same
// store in the folder already holds (same name, same size, same XXH3) is referred to instead of
// stored again: that is what makes backups incremental. Every other file (MANIFEST, CURRENT,
// OPTIONS, WAL) is stored each time.
//
// A reference is made only after the parent has been opened, is the archive the catalog says,
// lists the file with the same frame, and that frame's bytes check out; otherwise the file is
// stored again and a note says why.
//
// Thread-safety: thread-safe functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "format/archive_catalog.h"
#include "format/archive_manifest.h"
#include "format/status.h"

namespace roxi::storage {

struct CheckpointFile {
  std::string name;
  uint64_t size = 0;
};

struct PlannedFile {
  CheckpointFile file;
  // Set when a parent holds the file: the parent's entry, with `source` indexing plan.parents
  // (1-based, as in the manifest).
  std::optional<format::ArchiveFileEntry> reference;
};

struct BackupPlan {
  std::vector<PlannedFile> files;              // ascending names
  std::vector<format::ArchiveParent> parents;  // ascending names
  uint64_t stored_bytes = 0;                   // bytes of the files to compress
  uint64_t referenced_bytes = 0;               // bytes of the files referred to
  std::vector<std::string> notes;
};

// True for names of files RocksDB never changes once written (*.sst, *.blob).
bool IsImmutableRocksFile(std::string_view name);

// The regular files directly in `db_dir`, in ascending name order. IOError if it cannot be listed;
// NotSupported for an entry that is not a regular file (a checkpoint holds none).
Result<std::vector<CheckpointFile>> ListCheckpoint(const std::string& db_dir);

// XXH3-64 of a file's bytes, read in blocks.
Result<uint64_t> HashFile(const std::string& path);

// Plans the archive of `files` (in `db_dir`) for store `store_id`. With `full`, or when no archive
// of that store in `catalog` (of `folder`) holds a matching file, everything is stored.
Result<BackupPlan> PlanBackup(const std::string& folder, const format::BackupCatalog& catalog,
                              const format::ArchiveId& store_id, const std::string& db_dir,
                              std::vector<CheckpointFile> files, bool full);

}  // namespace roxi::storage
