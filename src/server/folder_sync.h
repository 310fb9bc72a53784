// What `roxi serve --watch` does with a watched folder's changes: the store follows the disk.
// Written paths are ingested, each on its own (one unreadable file does not hold up the others).
// With deletions followed (--watch-deletes delete, the default), a removed path that is still gone
// takes its document, or every document under a removed folder, with it, and a rechecked folder
// (at start, after lost events) loses the documents whose files are gone. Ingests come first, so a
// file moved within the watched folders is stored under its new name, copying its vectors, before
// its old name is deleted: a move or rename embeds nothing.
//
// Thread-safety: as Daemon::Ingest and Daemon::Delete (serialised by the daemon).
#pragma once

#include <string>

#include "format/status.h"
#include "src/server/daemon.h"
#include "src/server/folder_watcher.h"

namespace roxi::server {

enum class WatchDeletes { kDelete, kKeep };

// "delete" or "keep"; InvalidArgument naming the value otherwise.
Result<WatchDeletes> ParseWatchDeletes(const std::string& text);

// Applies `changes` through `daemon`, logging what it did and each failure (it has no caller to
// return them to: the watcher's thread).
void ApplyFolderChanges(Daemon* daemon, const FolderWatcher::Changes& changes,
                        WatchDeletes deletes);

}  // namespace roxi::server
