// Converts rocksdb::Status into roxi::Status, adding the column family and key that were involved.
// Internal to storage/: included only by storage/*.cc, so no other module sees a rocksdb type.
//
// Thread-safety: pure function.
#pragma once

#include <rocksdb/status.h>

#include <string>
#include <string_view>

#include "format/status.h"

namespace roxi::storage {

// `what` names the operation and its target, e.g. "put chunks[chunk 3:0]" or "open /data/db".
// IOError and NoSpace map to IOError, Corruption to Corruption, a held lock to Busy, Busy/TryAgain to
// Busy, TimedOut to TimedOut, NotFound to NotFound, NotSupported and InvalidArgument to themselves,
// anything else to Internal.
// The message names the problem once: RocksDB's own code name ("Corruption: ") is dropped where
// ours says the same, and a table file is named as the .sst it is, never by RocksDB's fallback
// LevelDB name (.ldb).
Status FromRocks(const rocksdb::Status& status, std::string_view what);

// RocksDB's message for `status`, cleaned as FromRocks cleans it, for reports that list problems.
std::string DescribeRocks(const rocksdb::Status& status);

}  // namespace roxi::storage
