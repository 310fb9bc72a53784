#include "storage/leftovers.h"

#include <filesystem>

#include "storage/archive_io.h"
#include "storage/backup.h"
#include "storage/restore_swap.h"

namespace roxi::storage {

void RemoveLeftovers(const std::string& data_dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const std::string staging = (fs::path(data_dir) / std::string(kBackupStagingName)).string();
  if (fs::exists(staging, ec)) {
    // why: best effort; a staging folder left now is removed by the next backup or open.
    RemoveAll(staging).IgnoreError();
  }
  const std::string lock_path = NormalizeDataDir(data_dir) + std::string(kRestoreLockSuffix);
  if (!fs::exists(lock_path, ec)) return;
  auto lock = LockRestore(data_dir, /*wait=*/false);
  // why: a restore that holds it (Busy) is using it; any other failure leaves an empty file.
  if (lock.ok()) lock->RemoveAndRelease().IgnoreError();
}

}  // namespace roxi::storage
