// Publishing and reading <data_dir>/roxi.server (format/server_file.h), the file through which
// other roxi commands find the daemon that owns a data directory.
//
// Thread-safety: functions; the file itself is written only by the daemon that owns the store.
#pragma once

#include <string>

#include "format/server_file.h"
#include "format/status.h"

namespace roxi::server {

std::string ServerFilePath(const std::string& data_dir);

// Writes the file durably: <path>.tmp, fsync, rename, fsync of the directory. IOError naming the
// path on failure (nothing is left under the final name then).
Status PublishServerFile(const std::string& data_dir, const format::ServerFileRecord& record);

// NotFound if there is no file; Corruption (naming the path) if it is damaged.
Result<format::ServerFileRecord> ReadServerFile(const std::string& data_dir);

// True if a process with this pid exists (it may belong to another user).
bool ProcessAlive(int64_t pid);

// Removes the file if it still names `pid` (a newer daemon's file is left alone).
void RemoveServerFile(const std::string& data_dir, int64_t pid);

}  // namespace roxi::server
