// Store::CreateCheckpoint: RocksDB's Checkpoint API, the consistent point-in-time copy a backup
// archives.
#include <rocksdb/utilities/checkpoint.h>

#include <memory>

#include "storage/rocks_status.h"
#include "storage/store.h"
#include "storage/store_impl.h"

namespace roxi::storage {

Result<uint64_t> Store::CreateCheckpoint(const std::string& dir) const {
  if (read_only()) {
    return Status::NotSupported("checkpoint of " + impl_->db_dir, "the store is open read-only");
  }
  rocksdb::Checkpoint* raw = nullptr;
  ROXI_RETURN_IF_ERROR(
      FromRocks(rocksdb::Checkpoint::Create(impl_->db.get(), &raw), "checkpoint " + impl_->db_dir));
  const std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  uint64_t sequence = 0;
  // log_size_for_flush = 0: always flush, so the copy holds its data in SST files, which later
  // incremental backups can refer to, rather than in a WAL copied anew each time.
  ROXI_RETURN_IF_ERROR(FromRocks(checkpoint->CreateCheckpoint(dir, 0, &sequence),
                                 "checkpoint " + impl_->db_dir + " into " + dir));
  return sequence;
}

}  // namespace roxi::storage
