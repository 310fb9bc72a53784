// The disk budget of a backup: before anything is written, the archive's size is estimated and
// compared with the free space of the backup folder's file system (which may differ from the
// store's), with a margin, so a backup that cannot fit is refused up front with a clear message
// instead of filling the disk.
//
// The estimate takes the bytes to compress times the compression ratio of the newest archive of
// the same store in the folder (plus 0.1 for drift), or times 1 when there is none: zstd does
// not expand data by more than a few bytes per block, so that bound is safe.
//
// Thread-safety: pure functions, except CheckBackupSpace (a statvfs).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "format/archive_catalog.h"
#include "format/status.h"

namespace roxi::storage {

// The margin added to an estimate: 10 % of it, and at least this many bytes.
inline constexpr uint64_t kMinSpaceMarginBytes = uint64_t{4} << 20;
inline constexpr double kSpaceMarginFraction = 0.10;

struct SpaceEstimate {
  uint64_t archive_bytes = 0;   // expected size of the archive
  uint64_t required_bytes = 0;  // with the margin
  uint64_t free_bytes = 0;      // available in the folder's file system
};

// The compressed/uncompressed ratio of the newest archive of `store_id` in `catalog` holding at
// least 1 MiB of files, or nullopt.
std::optional<double> ObservedRatio(const format::BackupCatalog& catalog,
                                    const format::ArchiveId& store_id);

// Estimate for `input_bytes` in `files` files to compress. Pure.
SpaceEstimate EstimateArchiveSpace(uint64_t input_bytes, uint64_t files,
                                   std::optional<double> ratio);

// Fills estimate->free_bytes from `folder`'s file system; IOError "not enough space" (naming the
// folder, the bytes needed and the bytes free) when required_bytes exceeds it.
Status CheckBackupSpace(const std::string& folder, SpaceEstimate* estimate);

}  // namespace roxi::storage
