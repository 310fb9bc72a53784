// Tests of the text_vectors index (storage/store_text_vectors.cc, FORMAT.md §2.6) and of vector
// reuse in Store::Ingest and Store::CommitEmbeddings: identical text under the recorded embedder is
// stored with a copy of its vector instead of being queued, the index follows every vector put or
// removed, and a schema 1 store gains the index when opened for writing.
#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <functional>
#include <map>

#include "format/hash.h"
#include "format/keys.h"
#include "format/vector_record.h"
#include "storage/store.h"
#include "storage/verify_store.h"
#include "tests/storage/backup_test_store.h"
#include "tests/support/temp_dir.h"

namespace roxi::storage {
namespace {

using format::ChunkId;
using format::ChunkState;
using format::DocumentId;
using testing::OpenStore;
using testing::TestEmbedder;

DocumentUpdate Document(const std::string& name, const std::vector<std::string>& texts) {
  DocumentUpdate u;
  u.document.name = name;
  u.document.source_path = "/src/" + name;
  uint64_t offset = 0;
  for (const auto& t : texts) {
    format::ChunkRecord c;
    c.byte_offset = offset;
    offset += t.size();
    c.text = t;
    c.text_hash = format::Xxh3(t);
    u.chunks.push_back(std::move(c));
  }
  u.document.size_bytes = offset;
  u.document.content_hash = format::Xxh3(name + std::to_string(texts.size()));
  return u;
}

// Embeds every pending chunk with a vector derived from its text, as an embedder would.
void EmbedAllPending(Store* store) {
  auto pending = store->ReadPending(std::nullopt, 1u << 20);
  ASSERT_TRUE(pending.ok());
  const auto e = TestEmbedder();
  EmbeddingCommit commit;
  for (const auto& p : *pending) {
    EmbeddedChunk out;
    out.id = p.id;
    out.text_hash = p.record.text_hash;
    std::vector<float> v(e.dim);
    for (uint32_t i = 0; i < e.dim; ++i) v[i] = static_cast<float>((p.record.text_hash >> i) & 1);
    format::EncodeVectorRecordFromFloats(e.fingerprint, out.text_hash, v.data(), e.dim,
                                         &out.vector_value);
    commit.embedded.push_back(std::move(out));
  }
  ASSERT_TRUE(store->CommitEmbeddings(commit).ok());
}

void ExpectClean(const Store& store) {
  auto report = VerifyStore(store);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->clean()) << report->problems.front().key << ": "
                               << report->problems.front().detail;
  EXPECT_EQ(report->census.text_vector_entries, report->census.vectors);
}

class TextVectorsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = OpenStore(dir_.path().string());
    ASSERT_NE(store_, nullptr);
    ASSERT_TRUE(store_->BindEmbedder(TestEmbedder()).ok());
  }
  ChunkId Chunk(const std::string& name, uint32_t n) {
    return format::MakeChunkId(*store_->LookupName(name), n);
  }
  roxi::testing::TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(TextVectorsTest, CopyUnderAnotherNameIsStoredEmbeddedWithoutQueueing) {
  ASSERT_TRUE(store_->Ingest(std::vector{Document("a", {"alpha", "beta", "gamma"})}).ok());
  EmbedAllPending(store_.get());
  auto summary = store_->Ingest(std::vector{Document("copy-of-a", {"alpha", "beta", "gamma"})});
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->documents[0].reused, 3u);
  const auto c = store_->GetCounters();
  EXPECT_EQ(c.chunks, 6u);
  EXPECT_EQ(c.embedded, 6u);
  EXPECT_EQ(c.pending, 0u);
  EXPECT_EQ(c.embeddings_reused, 3u);
  for (uint32_t n = 0; n < 3; ++n) {
    EXPECT_EQ(store_->GetChunk(Chunk("copy-of-a", n))->state, ChunkState::kEmbedded);
    EXPECT_EQ(*store_->GetVector(Chunk("copy-of-a", n)), *store_->GetVector(Chunk("a", n)));
  }
  EXPECT_TRUE(store_->ReadPending(std::nullopt, 10)->empty());
  ExpectClean(*store_);
}

TEST_F(TextVectorsTest, EditedDocumentQueuesOnlyItsChangedChunks) {
  ASSERT_TRUE(store_->Ingest(std::vector{Document("a", {"one", "two", "three", "four"})}).ok());
  EmbedAllPending(store_.get());
  const auto before = *store_->GetVector(Chunk("a", 3));
  // Same name, same chunk ids: the batch deletes the old vectors and puts the copies back.
  auto summary = store_->Ingest(std::vector{Document("a", {"one", "TWO", "three", "four"})});
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->documents[0].reused, 3u);
  auto pending = store_->ReadPending(std::nullopt, 10);
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ((*pending)[0].record.text, "TWO");
  EXPECT_EQ(*store_->GetVector(Chunk("a", 3)), before);
  EXPECT_EQ(store_->GetCounters().embedded, 3u);
  ExpectClean(*store_);
}

TEST_F(TextVectorsTest, RemovedVectorsLeaveTheIndexAndAreNotReused) {
  ASSERT_TRUE(store_->Ingest(std::vector{Document("a", {"kept", "dropped"})}).ok());
  EmbedAllPending(store_.get());
  ASSERT_TRUE(store_->Ingest(std::vector{Document("a", {"kept"})}).ok());
  ExpectClean(*store_);
  auto found = store_->FindReusableVectors(TestEmbedder().fingerprint,
                                           std::vector<std::string_view>{"kept", "dropped"});
  ASSERT_TRUE(found.ok());
  EXPECT_TRUE((*found)[0].has_value());
  EXPECT_FALSE((*found)[1].has_value());
  auto summary = store_->Ingest(std::vector{Document("b", {"dropped"})});
  EXPECT_EQ(summary->documents[0].reused, 0u);
  EXPECT_EQ(store_->GetCounters().pending, 1u);
}

TEST_F(TextVectorsTest, ReusedCommitsAreCounted) {
  ASSERT_TRUE(store_->Ingest(std::vector{Document("a", {"same"}), Document("b", {"same"})}).ok());
  // Both were queued: neither had a vector when the batch was read.
  auto pending = store_->ReadPending(std::nullopt, 10);
  ASSERT_EQ(pending->size(), 2u);
  const auto e = TestEmbedder();
  EmbeddingCommit commit;
  for (const auto& p : *pending) {
    EmbeddedChunk out{p.id, p.record.text_hash, {}, /*reused=*/p.id != (*pending)[0].id};
    std::vector<float> v(e.dim, 1.0f);
    format::EncodeVectorRecordFromFloats(e.fingerprint, out.text_hash, v.data(), e.dim,
                                         &out.vector_value);
    commit.embedded.push_back(std::move(out));
  }
  auto summary = store_->CommitEmbeddings(commit);
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->reused, 1u);
  EXPECT_EQ(store_->GetCounters().embeddings_reused, 1u);
  ExpectClean(*store_);
}

TEST_F(TextVectorsTest, ReadOnlyStoreFindsTheSameVectors) {
  ASSERT_TRUE(store_->Ingest(std::vector{Document("a", {"text"})}).ok());
  EmbedAllPending(store_.get());
  auto reader = OpenStore(dir_.path().string(), StoreOptions::Mode::kReadOnly);
  ASSERT_NE(reader, nullptr);
  auto found = reader->FindReusableVectors(TestEmbedder().fingerprint,
                                           std::vector<std::string_view>{"text"});
  ASSERT_TRUE(found.ok());
  EXPECT_TRUE((*found)[0].has_value());
}

// Opens the raw RocksDB of a closed store and hands fn each family handle by name.
void WithRawDb(const std::string& data_dir,
               const std::function<void(
                   rocksdb::DB*, const std::map<std::string, rocksdb::ColumnFamilyHandle*>&)>& fn) {
  std::vector<std::string> names;
  ASSERT_TRUE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), data_dir + "/db", &names).ok());
  std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
  for (const auto& n : names) cfs.emplace_back(n, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  ASSERT_TRUE(rocksdb::DB::Open(rocksdb::DBOptions(), data_dir + "/db", cfs, &handles, &raw).ok());
  std::unique_ptr<rocksdb::DB> db(raw);
  std::map<std::string, rocksdb::ColumnFamilyHandle*> by_name;
  for (auto* h : handles) by_name[h->GetName()] = h;
  fn(db.get(), by_name);
  for (auto* h : handles) ASSERT_TRUE(db->DestroyColumnFamilyHandle(h).ok());
}

// Turns the store in `data_dir` back into a schema 1 store: no text_vectors family, schema 1.
void DowngradeToSchema1(const std::string& data_dir) {
  WithRawDb(data_dir, [](rocksdb::DB* db, const auto& cf) {
    std::string value;
    ASSERT_TRUE(db->Get({}, cf.at("meta"), format::kMetaStoreKey, &value).ok());
    auto info = format::DecodeStoreInfoRecord(value);
    ASSERT_TRUE(info.ok());
    info->schema_version = 1;
    value.clear();
    format::EncodeStoreInfoRecord(*info, &value);
    ASSERT_TRUE(db->Put({}, cf.at("meta"), format::kMetaStoreKey, value).ok());
    ASSERT_TRUE(db->DropColumnFamily(cf.at("text_vectors")).ok());
  });
}

TEST_F(TextVectorsTest, EntriesThatNoLongerMatchAreNotTrusted) {
  ASSERT_TRUE(store_->Ingest(std::vector{Document("a", {"text"})}).ok());
  EmbedAllPending(store_.get());
  const ChunkId chunk = Chunk("a", 0);
  store_.reset();
  const uint64_t model = TestEmbedder().fingerprint;
  WithRawDb(dir_.path().string(), [&](rocksdb::DB* db, const auto& cf) {
    // An entry claiming chunk a:0 holds "other", and one naming a chunk with no vector.
    const ChunkId ghost = format::MakeChunkId(DocumentId{9}, 0);
    ASSERT_TRUE(db->Put({}, cf.at("text_vectors"),
                        format::EncodeTextVectorKey({model, format::Xxh3("other"), chunk}), "")
                    .ok());
    ASSERT_TRUE(db->Put({}, cf.at("text_vectors"),
                        format::EncodeTextVectorKey({model, format::Xxh3("ghost"), ghost}), "")
                    .ok());
  });
  store_ = OpenStore(dir_.path().string());
  auto found = store_->FindReusableVectors(TestEmbedder().fingerprint,
                                           std::vector<std::string_view>{"other", "ghost", "text"});
  ASSERT_TRUE(found.ok());
  EXPECT_FALSE((*found)[0].has_value());
  EXPECT_FALSE((*found)[1].has_value());
  EXPECT_TRUE((*found)[2].has_value());
  auto summary = store_->Ingest(std::vector{Document("b", {"other"})});
  EXPECT_EQ(summary->documents[0].reused, 0u);
}

TEST_F(TextVectorsTest, Schema1StoreIsReadAsItIsThenUpgradedByAWriter) {
  ASSERT_TRUE(store_->Ingest(std::vector{Document("a", {"x", "y"}), Document("b", {"z"})}).ok());
  EmbedAllPending(store_.get());
  store_.reset();
  DowngradeToSchema1(dir_.path().string());
  {
    auto reader = OpenStore(dir_.path().string(), StoreOptions::Mode::kReadOnly);
    ASSERT_NE(reader, nullptr);
    EXPECT_EQ(reader->GetStoreInfo().schema_version, 1u);
    EXPECT_EQ(reader->GetCounters().embedded, 3u);
    auto report = VerifyStore(*reader);
    ASSERT_TRUE(report.ok());
    EXPECT_TRUE(report->clean());
    EXPECT_EQ(report->census.text_vector_entries, 0u);
  }
  auto store = OpenStore(dir_.path().string());
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->GetStoreInfo().schema_version, format::kSchemaVersion);
  ExpectClean(*store);
  auto summary = store->Ingest(std::vector{Document("c", {"y"})});
  EXPECT_EQ(summary->documents[0].reused, 1u);
}

}  // namespace
}  // namespace roxi::storage
