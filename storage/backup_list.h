// The archives of a backup folder as `roxi backup list` shows them: newest first, with sizes,
// contents, parents and verification state, from the folder's catalog (brought up to date with
// the folder and saved when the folder is not busy).
//
// Thread-safety: thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "format/archive_catalog.h"
#include "format/status.h"

namespace roxi::storage {

struct BackupListing {
  std::vector<format::CatalogArchive> archives;  // newest first
  // For each archive (same order): how many archives of the folder refer to it.
  std::vector<uint32_t> children;
  // Files named *.roxibak that are not readable archives, with why.
  std::vector<std::pair<std::string, std::string>> unreadable;
  uint64_t total_bytes = 0;
};

// NotFound if `folder` does not exist.
Result<BackupListing> ListBackups(const std::string& folder);

}  // namespace roxi::storage
