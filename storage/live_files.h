// The live-file check: every table file of the store's latest version (as its MANIFEST lists them)
// is in the database folder with the size RocksDB recorded for it. A file deleted or truncated
// behind RocksDB's back (a lost write, a bad copy by hand, a disk that dropped blocks) makes reads
// silently miss its keys, so every Store::Open runs this check, and so do `roxi verify` and the
// server's health check (src/server/store_monitor.h).
//
// A primary instance knows its latest version: the check lists the folder once and compares it
// with RocksDB's in-memory file metadata, opening no file. A secondary instance (read-only
// commands beside a writer) does not: when files of the latest version are missing, RocksDB
// silently gives it the last version whose files were all there, so the check reads the latest
// version through a short-lived read-only instance instead (its open reads the MANIFEST, the
// write-ahead log and two table footers at most), and so does an open that RocksDB refused.
//
// Internal to storage/ (it names rocksdb types).
//
// Thread-safety: thread-safe; the database may be written meanwhile by its primary.
#pragma once

#include <rocksdb/db.h>
#include <rocksdb/status.h>

#include <optional>
#include <string>
#include <vector>

namespace roxi::storage {

struct LiveFileProblem {
  std::string file;    // the file's name in the database folder, e.g. "000044.sst"
  std::string detail;  // "missing", "truncated: 1200 bytes, not 4096", or "damaged (...): why"
};

// The live files of the latest version of the database in `db_dir` that are missing from the
// folder or have another size, in file-name order. `db` is the open instance, `secondary` whether
// it is a secondary one; with no instance (an open RocksDB refused), the latest version is read as
// for a secondary. Compactions replace files all the time, so a file listed a moment ago may
// be gone without any damage: a primary holds file deletions off during the check; for a
// secondary, a file counts only if two looks in a row (of five at most) find it damaged.
std::vector<LiveFileProblem> FindLiveFileProblems(rocksdb::DB* db, const std::string& db_dir,
                                                  bool secondary);

// The live file an open of the database in `db_dir` failed on, when RocksDB's error names a
// table file (it names one it could not open by its LevelDB name, "000044.ldb": the .sst is
// meant); nullopt otherwise.
std::optional<LiveFileProblem> LiveFileProblemOfOpenError(const rocksdb::Status& status,
                                                          const std::string& db_dir);

// One line for a Status: "live file 000044.sst is missing (and 2 more damaged live files)".
// REQUIRES: !problems.empty().
std::string DescribeLiveFileProblems(const std::vector<LiveFileProblem>& problems);

}  // namespace roxi::storage
