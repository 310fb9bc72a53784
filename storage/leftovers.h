// What a killed backup or restore leaves beside a store, removed by the next read-write open of
// it (Store::Open), when nothing can be using it any more:
//   - <data_dir>/.backup-staging, the checkpoint a backup was archiving (its hard links keep
//     deleted SST files on disk): only a process holding the store read-write takes a backup, and
//     the open holds it now;
//   - <data_dir>.restore-lock, the empty lock file of restores and automatic recoveries: removed
//     only when no restore holds it (FileLock lets a holder remove its file safely).
//
// Thread-safety: thread-safe function; see above for other processes.
#pragma once

#include <string>

namespace roxi::storage {

// Removes the leftovers above. Best effort: what cannot be removed stays until the next open.
// REQUIRES: the store in data_dir is open read-write in this process.
void RemoveLeftovers(const std::string& data_dir);

}  // namespace roxi::storage
