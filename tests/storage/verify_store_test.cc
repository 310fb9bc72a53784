// Tests of storage/verify_store.cc and Store::CheckInto (storage/verify_store_scan.cc): a healthy
// store is clean, and each kind of damage, written behind the store's back, is reported with its
// key.
#include "storage/verify_store.h"

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <algorithm>

#include "format/keys.h"
#include "format/meta_records.h"
#include "format/name_record.h"
#include "format/vector_record.h"
#include "tests/storage/backup_test_store.h"
#include "tests/support/temp_dir.h"

namespace roxi::storage {
namespace {

using format::ChunkId;
using format::ChunkState;
using roxi::testing::TempDir;
using testing::OpenStore;
using testing::Populate;

// The raw RocksDB behind a closed store, to damage it.
class RawDb {
 public:
  explicit RawDb(const std::string& data_dir) {
    std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
    for (const char* name :
         {"default", "documents", "names", "chunks", "vectors", "pending", "checkpoints", "meta",
          "vectors_b"}) {
      cfs.emplace_back(name, rocksdb::ColumnFamilyOptions());
    }
    rocksdb::DB* raw = nullptr;
    const rocksdb::Status s =
        rocksdb::DB::Open(rocksdb::DBOptions(), data_dir + "/db", cfs, &handles_, &raw);
    EXPECT_TRUE(s.ok()) << s.ToString();
    db_.reset(raw);
  }
  ~RawDb() {
    for (auto* h : handles_) (void)db_->DestroyColumnFamilyHandle(h);
  }
  rocksdb::ColumnFamilyHandle* cf(const std::string& name) {
    for (auto* h : handles_) {
      if (h->GetName() == name) return h;
    }
    return nullptr;
  }
  void Put(const std::string& family, const std::string& key, const std::string& value) {
    ASSERT_TRUE(db_->Put(rocksdb::WriteOptions(), cf(family), key, value).ok());
  }
  void Delete(const std::string& family, const std::string& key) {
    ASSERT_TRUE(db_->Delete(rocksdb::WriteOptions(), cf(family), key).ok());
  }

 private:
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
};

class VerifyStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = OpenStore(dir_.path().string());
    ASSERT_NE(store, nullptr);
    Populate(store.get(), "doc", 6, 5);
    ASSERT_TRUE(store
                    ->ForEachChunk([&](ChunkId id, const format::ChunkRecord& r) {
                      if (r.state == ChunkState::kEmbedded) embedded_.push_back(id);
                      if (r.state == ChunkState::kPending) pending_.push_back(id);
                      return Status::OK();
                    })
                    .ok());
    counters_ = store->GetCounters();
    ASSERT_GE(embedded_.size(), 3u);
    ASSERT_GE(pending_.size(), 1u);
  }
  VerifyReport Verify() {
    auto report = VerifyStoreAt(dir_.path().string());
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? *report : VerifyReport{};
  }
  static bool Has(const VerifyReport& r, const std::string& key, const std::string& detail) {
    return std::any_of(r.problems.begin(), r.problems.end(), [&](const VerifyProblem& p) {
      return p.key == key && p.detail.find(detail) != std::string::npos;
    });
  }
  static std::string Where(const char* family, ChunkId id) {
    return std::string(family) + "[" + format::DescribeChunk(id) + "]";
  }
  TempDir dir_;
  std::vector<ChunkId> embedded_;
  std::vector<ChunkId> pending_;
  format::CountersRecord counters_;
};

TEST_F(VerifyStoreTest, HealthyStoreIsCleanAndCounted) {
  const VerifyReport r = Verify();
  EXPECT_TRUE(r.clean()) << r.problems.front().key << ": " << r.problems.front().detail;
  EXPECT_EQ(r.census.documents, 6u);
  EXPECT_EQ(r.census.names, 6u);
  EXPECT_EQ(r.census.chunks, 30u);
  EXPECT_EQ(r.census.vectors, counters_.embedded);
  EXPECT_EQ(r.census.pending_entries, counters_.pending);
  EXPECT_EQ(r.census.chunks_failed, counters_.failed);
  EXPECT_EQ(r.embedder_id, "test:8");
  ASSERT_TRUE(r.counters.has_value());
  EXPECT_EQ(*r.counters, counters_);
}

TEST_F(VerifyStoreTest, ReportsEachInconsistencyWithItsKey) {
  {
    RawDb db(dir_.path().string());
    db.Delete("vectors", format::EncodeChunkKey(embedded_[0]));
    db.Put("pending", format::EncodeChunkKey(embedded_[1]), "");
    db.Put("chunks", format::EncodeChunkKey(embedded_[2]), "garbage");
    std::string wrong_dim;
    const std::vector<float> v(4, 0.5f);
    format::EncodeVectorRecordFromFloats(testing::TestEmbedder().fingerprint, 0, v.data(), 4,
                                         &wrong_dim);
    db.Put("vectors", format::EncodeChunkKey(pending_[0]), wrong_dim);
    std::string name;
    format::EncodeNameRecord(format::DocumentId{99}, &name);
    db.Put("names", "ghost", name);
    format::CountersRecord c = counters_;
    c.documents += 1;
    std::string counters;
    format::EncodeCountersRecord(c, &counters);
    db.Put("meta", std::string(format::kMetaCountersKey), counters);
  }
  const VerifyReport r = Verify();
  EXPECT_FALSE(r.clean());
  EXPECT_TRUE(Has(r, Where("chunks", embedded_[0]), "embedded but has no vector"));
  EXPECT_TRUE(Has(r, Where("chunks", embedded_[1]), "embedded but still in the queue"));
  EXPECT_TRUE(Has(r, Where("chunks", embedded_[2]), "chunk record"));
  EXPECT_TRUE(Has(r, Where("vectors", pending_[0]), "does not match the embedder"));
  EXPECT_TRUE(Has(r, "names[ghost]", "document 99, which is missing"));
  EXPECT_TRUE(Has(r, "meta[counters]", "documents is 7 but the store holds 6"));
  EXPECT_EQ(r.problem_count, r.problems.size());
}

TEST_F(VerifyStoreTest, ReportsOrphansAndBadKeys) {
  {
    RawDb db(dir_.path().string());
    const ChunkId orphan = format::MakeChunkId(format::DocumentId{50}, 0);
    db.Put("pending", format::EncodeChunkKey(orphan), "");
    db.Put("chunks", "short", "x");
  }
  const VerifyReport r = Verify();
  EXPECT_TRUE(Has(r, Where("pending", format::MakeChunkId(format::DocumentId{50}, 0)),
                  "its chunk is missing"));
  EXPECT_TRUE(Has(r, "chunks[0x73686f7274]", "length 5, want 8"));
}

TEST_F(VerifyStoreTest, QuickCheckReadsOnlyMetaAndFiles) {
  {
    RawDb db(dir_.path().string());
    db.Delete("vectors", format::EncodeChunkKey(embedded_[0]));
  }
  StoreCheckOptions quick;
  quick.rocksdb_checksums = false;
  quick.scan_records = false;
  auto r = VerifyStoreAt(dir_.path().string(), quick);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->clean());  // the record scan that would find it did not run
  EXPECT_TRUE(r->counters.has_value());
}

TEST_F(VerifyStoreTest, MissingStoreCannotBeChecked) {
  auto r = VerifyStoreAt(dir_.Sub("absent"));
  EXPECT_TRUE(r.status().IsNotFound()) << r.status().ToString();
}

TEST_F(VerifyStoreTest, WorksBesideAWriter) {
  auto writer = OpenStore(dir_.path().string());
  ASSERT_NE(writer, nullptr);
  const VerifyReport r = Verify();
  EXPECT_TRUE(r.clean());
  auto in_process = VerifyStore(*writer);
  ASSERT_TRUE(in_process.ok());
  EXPECT_TRUE(in_process->clean());
}

}  // namespace
}  // namespace roxi::storage
