#include "storage/rocks_status.h"

#include <cctype>
#include <string>

namespace roxi::storage {

namespace {

// The name rocksdb::Status::ToString() puts before its message, for the codes that keep their
// meaning in ours: our code's name says it once, so the message need not say it again.
std::string_view RocksCodePrefix(rocksdb::Status::Code code) {
  switch (code) {
    case rocksdb::Status::kNotFound: return "NotFound: ";
    case rocksdb::Status::kCorruption: return "Corruption: ";
    case rocksdb::Status::kNotSupported: return "Not implemented: ";
    case rocksdb::Status::kInvalidArgument: return "Invalid argument: ";
    case rocksdb::Status::kIOError: return "IO error: ";
    case rocksdb::Status::kBusy: return "Resource busy: ";
    case rocksdb::Status::kTimedOut: return "Operation timed out: ";
    case rocksdb::Status::kAborted: return "Operation aborted: ";
    default: return "";
  }
}

// RocksDB looks for a table file that will not open under its old LevelDB name too, and reports
// that name ("000044.ldb") when neither exists. roxi never writes .ldb files: name the .sst.
std::string NameTableFilesAsSst(std::string text) {
  for (size_t at = text.find(".ldb"); at != std::string::npos; at = text.find(".ldb", at + 1)) {
    if (at > 0 && std::isdigit(static_cast<unsigned char>(text[at - 1]))) {
      text.replace(at, 4, ".sst");
    }
  }
  return text;
}

}  // namespace

std::string DescribeRocks(const rocksdb::Status& s) {
  std::string detail = NameTableFilesAsSst(s.ToString());
  const std::string_view prefix = RocksCodePrefix(s.code());
  // A status RocksDB rebuilt from another one's ToString() repeats the prefix.
  while (!prefix.empty() && detail.starts_with(prefix)) detail.erase(0, prefix.size());
  return detail;
}

Status FromRocks(const rocksdb::Status& s, std::string_view what) {
  if (s.ok()) return Status::OK();
  const std::string detail = DescribeRocks(s);
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
