#include "storage/rocks_status.h"

#include <string>

namespace roxi::storage {

Status FromRocks(const rocksdb::Status& s, std::string_view what) {
  if (s.ok()) return Status::OK();
  const std::string detail = s.ToString();
  switch (s.code()) {
    case rocksdb::Status::kNotFound: return Status::NotFound(what, detail);
    case rocksdb::Status::kCorruption: return Status::Corruption(what, detail);
    case rocksdb::Status::kNotSupported: return Status::NotSupported(what, detail);
    case rocksdb::Status::kInvalidArgument: return Status::InvalidArgument(what, detail);
    case rocksdb::Status::kIOError:
      // RocksDB reports a LOCK file held by another process as an IOError; it is a busy store.
      if (detail.find("lock") != std::string::npos && detail.find("LOCK") != std::string::npos) {
        return Status::Busy(what, detail);
      }
      return Status::IOError(what, detail);
    case rocksdb::Status::kBusy:
    case rocksdb::Status::kTryAgain: return Status::Busy(what, detail);
    case rocksdb::Status::kTimedOut: return Status::TimedOut(what, detail);
    case rocksdb::Status::kAborted: return Status::Aborted(what, detail);
    default: return Status::Internal(what, detail);
  }
}

}  // namespace roxi::storage
