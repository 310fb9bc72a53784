// Store verification, as `roxi verify --data-dir` runs it:
//   - every live RocksDB file exists with its recorded size, and (rocksdb_checksums) RocksDB's own
//     verification re-reads every block and checks its checksum;
//   - every record of every family decodes (FORMAT.md §2-4), keys included;
//   - every chunk has exactly one vector (embedded), or one pending entry (pending), or neither
//     (failed); no vector or pending entry lacks its chunk; a vector embeds its chunk's text;
//   - every vector's model and dimension match the embedder in `meta`;
//   - every document has exactly its recorded number of chunks and one name, and every name
//     points at the document that carries it;
//   - the counters in `meta` equal what the families hold.
// roxi keeps no index cache on disk in this version (the index is rebuilt in memory), so there is
// none to compare.
//
// Thread-safety: thread-safe; the store may be written meanwhile (the checks see one snapshot).
#pragma once

#include <string>

#include "format/status.h"
#include "storage/store.h"
#include "storage/verify_report.h"

namespace roxi::storage {

// Checks an open store. Problems are in the report; a non-OK result means the checks could not
// run (an I/O error).
Result<VerifyReport> VerifyStore(const Store& store, const StoreCheckOptions& options = {});

// Opens the store in `data_dir` read-only (so it works beside a writer) and checks it. Errors of
// Store::Open are returned as they are (NotFound when there is no store).
Result<VerifyReport> VerifyStoreAt(const std::string& data_dir,
                                   const StoreCheckOptions& options = {});

}  // namespace roxi::storage
