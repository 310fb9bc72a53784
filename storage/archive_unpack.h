// Unpacking an archive (and the parent frames it refers to) into a fresh RocksDB directory: each
// file is streamed out of its frame, checked against its size and XXH3 as it is written, fsynced,
// and the directory is fsynced at the end. Shared by restore and by the trial restore of
// `verify --archive --deep`.
//
// Thread-safety: not thread-safe (it reads through the chain).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "format/status.h"
#include "storage/archive_reader.h"

namespace roxi::storage {

struct UnpackStats {
  uint64_t files = 0;
  uint64_t bytes = 0;  // bytes written
};

// Unpacks every file of `chain` into `db_dir`, which must not exist (it is created). `hook`, when
// set, is called with "restore:after_file" after each file. Corruption naming the file and range
// on a damaged frame; NotFound naming a missing parent; IOError on a failed write (disk full
// included). On error, what was written stays for the caller to remove.
Status UnpackArchive(ArchiveChain* chain, const std::string& db_dir,
                     const std::function<void(std::string_view)>& hook, UnpackStats* stats);

// The raw pass: every frame the archive needs (its own and its parents') is read and its XXH3
// compared, without decompressing or writing anything. Returns the first problem found.
Status CheckArchiveBytes(ArchiveChain* chain);

}  // namespace roxi::storage
