#include "storage/rocks_status.h"

#include <gtest/gtest.h>

namespace roxi::storage {
namespace {

TEST(RocksStatusTest, NamesTheCodeOnce) {
  Status s = FromRocks(rocksdb::Status::Corruption("block checksum mismatch"), "open store /d/db");
  EXPECT_TRUE(s.IsCorruption());
  EXPECT_EQ(s.ToString(), "corruption: open store /d/db: block checksum mismatch");
  // A status rebuilt from another's ToString() repeats RocksDB's prefix: it is dropped too.
  Status twice =
      FromRocks(rocksdb::Status::Corruption("Corruption: bad block"), "open store /d/db");
  EXPECT_EQ(twice.ToString(), "corruption: open store /d/db: bad block");
  Status io = FromRocks(rocksdb::Status::IOError("While open a file", "/d/db/000001.sst"), "get x");
  EXPECT_TRUE(io.IsIOError());
  EXPECT_EQ(io.message().find("IO error"), std::string_view::npos) << io.ToString();
}

// Regression test: a missing 000044.sst was reported by RocksDB's fallback name 000044.ldb.
TEST(RocksStatusTest, NamesTableFilesAsSst) {
  Status s = FromRocks(rocksdb::Status::IOError("While open a file for random read",
                                                "/d/db/000044.ldb: No such file or directory"),
                       "open store /d/db");
  EXPECT_NE(s.message().find("/d/db/000044.sst: No such file"), std::string_view::npos)
      << s.ToString();
  EXPECT_EQ(s.message().find(".ldb"), std::string_view::npos) << s.ToString();
  EXPECT_EQ(DescribeRocks(rocksdb::Status::NotFound("x.ldb")), "x.ldb");  // not a table number
}

TEST(RocksStatusTest, HeldLockIsBusy) {
  Status s = FromRocks(rocksdb::Status::IOError("lock hold by current process",
                                                "/d/db/LOCK: No locks available"),
                       "open store /d/db");
  EXPECT_TRUE(s.IsBusy()) << s.ToString();
}

}  // namespace
}  // namespace roxi::storage
