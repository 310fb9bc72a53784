// Archive verification, as `roxi verify --archive` runs it: the header, footer and manifest are
// read and checked, then every frame the archive needs (its own and those its parents hold) is
// read whole, its bytes hashed, decompressed and checked against its recorded size and XXH3.
// Every byte of an archive belongs to one checksummed part (FORMAT.md §6.1), so any damaged byte
// is found and named with its file and byte range. `deep` then restores the archive into a
// scratch directory and runs the store checks of verify_store.h on the result.
//
// The outcome is recorded in the folder's catalog (verification state of `backup list`).
//
// Thread-safety: thread-safe functions.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "format/status.h"
#include "storage/store.h"
#include "storage/verify_report.h"

namespace roxi::storage {

struct VerifyArchiveOptions {
  // Also restore into a scratch directory and check the store. Default: false.
  bool deep = false;
  // Where the scratch directory of a deep check is made. Default: empty, the archive's folder.
  std::string scratch_parent;
  // Run on the restored store of a deep check, after the store checks (e.g. trial searches);
  // a non-OK result is reported as a problem. Default: none.
  std::function<Status(const Store&)> probe;
  // Record the outcome in the folder's catalog, when the archive is in it. Default: true.
  bool record_in_catalog = true;
  // Unix time in microseconds of the verification, for the catalog. Default: 0, the clock.
  uint64_t now_micros = 0;
};

// Verifies the archive at `path`. Damage is reported as problems (a truncated or foreign file,
// a bad checksum, a missing or replaced parent); a non-OK result means the check could not run:
// NotFound for a missing file, NotSupported for an archive of a newer format version, IOError.
Result<VerifyReport> VerifyArchive(const std::string& path, const VerifyArchiveOptions& options);

// The newest archive of store `store_id` in `folder` that verifies clean (not deep), for automatic
// recovery: its path. NotFound if none does; each archive tried is recorded in the catalog.
Result<std::string> NewestVerifiedArchive(const std::string& folder,
                                          const format::ArchiveId& store_id);

// Unix time now, in microseconds.
uint64_t UnixMicrosNow();

}  // namespace roxi::storage
