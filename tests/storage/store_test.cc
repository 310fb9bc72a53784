#include "storage/store.h"

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include "format/hash.h"
#include "format/keys.h"
#include "format/vector_record.h"
#include "tests/storage/backup_test_store.h"
#include "tests/storage/store_test_util.h"
#include "tests/support/temp_dir.h"

namespace roxi::storage {
namespace {

using testing::Embedded;
using testing::MakeDocument;

using format::ChunkId;
using format::ChunkState;
using format::DocumentId;

format::EmbedderRecord TestEmbedder(uint32_t dim = 4) {
  const std::string id = "test:" + std::to_string(dim);
  return {id, format::Xxh3(id), dim};
}

class StoreTest : public ::testing::Test {
 protected:
  std::unique_ptr<Store> Open(StoreOptions::Mode mode = StoreOptions::Mode::kReadWrite) {
    return testing::OpenStore(dir_.path().string(), mode);
  }
  roxi::testing::TempDir dir_;
};

TEST_F(StoreTest, CreatesEmptyStoreWithZeroCounters) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->GetCounters(), format::CountersRecord{});
  EXPECT_EQ(store->GetStoreInfo().schema_version, format::kSchemaVersion);
  EXPECT_TRUE(store->GetEmbedder().status().IsNotFound());
}

TEST_F(StoreTest, ReadOnlyOpenOfMissingStoreIsNotFoundAndCreatesNothing) {
  StoreOptions options;
  options.data_dir = dir_.Sub("absent");
  options.mode = StoreOptions::Mode::kReadOnly;
  auto store = Store::Open(options);
  ASSERT_TRUE(store.status().IsNotFound()) << store.status().ToString();
  EXPECT_NE(store.status().message().find("roxi ingest"), std::string_view::npos);
  EXPECT_FALSE(std::filesystem::exists(options.data_dir + "/db"));
}

TEST_F(StoreTest, SecondWriterIsBusy) {
  auto first = Open();
  StoreOptions options;
  options.data_dir = dir_.path().string();
  auto second = Store::Open(options);
  ASSERT_TRUE(second.status().IsBusy()) << second.status().ToString();
  EXPECT_NE(second.status().message().find(dir_.path().string()), std::string_view::npos);
}

TEST_F(StoreTest, ReaderWorksBesideWriterAndCatchesUp) {
  auto writer = Open();
  ASSERT_TRUE(writer->Ingest(std::vector{MakeDocument("a", {"x", "y"})}).ok());
  auto reader = Open(StoreOptions::Mode::kReadOnly);
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->GetCounters().chunks, 2u);
  ASSERT_TRUE(writer->Ingest(std::vector{MakeDocument("b", {"z"})}).ok());
  ASSERT_TRUE(reader->Refresh().ok());
  EXPECT_EQ(reader->GetCounters().chunks, 3u);
}

TEST_F(StoreTest, BindEmbedderRecordsOnceThenRefusesAnother) {
  auto store = Open();
  ASSERT_TRUE(store->BindEmbedder(TestEmbedder(4)).ok());
  ASSERT_TRUE(store->BindEmbedder(TestEmbedder(4)).ok());
  Status other = store->BindEmbedder(TestEmbedder(8));
  ASSERT_TRUE(other.IsInvalidArgument());
  EXPECT_NE(other.message().find("test:4"), std::string_view::npos);
  EXPECT_NE(other.message().find("test:8"), std::string_view::npos);
  store.reset();
  store = Open();
  EXPECT_EQ(*store->GetEmbedder(), TestEmbedder(4));
}

TEST_F(StoreTest, CheckEmbedderComparesAsBindEmbedderAndRecordsNothing) {
  auto store = Open();
  ASSERT_TRUE(store->CheckEmbedder(TestEmbedder(8)).ok());  // nothing recorded yet
  EXPECT_TRUE(store->GetEmbedder().status().IsNotFound());
  ASSERT_TRUE(store->BindEmbedder(TestEmbedder(4)).ok());
  EXPECT_TRUE(store->CheckEmbedder(TestEmbedder(4)).ok());
  Status checked = store->CheckEmbedder(TestEmbedder(8));
  Status bound = store->BindEmbedder(TestEmbedder(8));
  ASSERT_TRUE(checked.IsInvalidArgument()) << checked.ToString();
  EXPECT_EQ(checked.ToString(), bound.ToString());
  format::EmbedderRecord forged = TestEmbedder(4);
  forged.fingerprint ^= 1;
  EXPECT_TRUE(store->CheckEmbedder(forged).IsInvalidArgument());
}

TEST_F(StoreTest, IngestQueuesEveryChunkAndCountsThem) {
  auto store = Open();
  auto summary = store->Ingest(std::vector{MakeDocument("a", {"one", "two", "three"}),
                                           MakeDocument("b", {"four"})});
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  ASSERT_EQ(summary->documents.size(), 2u);
  EXPECT_TRUE(summary->documents[0].created);
  const auto c = store->GetCounters();
  EXPECT_EQ(c.documents, 2u);
  EXPECT_EQ(c.chunks, 4u);
  EXPECT_EQ(c.pending, 4u);
  EXPECT_EQ(c.next_document_id, 3u);
  auto id = store->LookupName("a");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(store->GetDocument(*id)->chunk_count, 3u);
  auto chunk = store->GetChunk(format::MakeChunkId(*id, 1));
  ASSERT_TRUE(chunk.ok());
  EXPECT_EQ(chunk->text, "two");
  EXPECT_EQ(chunk->state, ChunkState::kPending);
  auto pending = store->ReadPending(std::nullopt, 10);
  ASSERT_TRUE(pending.ok());
  EXPECT_EQ(pending->size(), 4u);
}

TEST_F(StoreTest, IngestRejectsDuplicateNamesInOneBatchAndWritesNothing) {
  auto store = Open();
  auto summary = store->Ingest(std::vector{MakeDocument("a", {"x"}), MakeDocument("a", {"y"})});
  EXPECT_TRUE(summary.status().IsInvalidArgument());
  EXPECT_EQ(store->GetCounters(), format::CountersRecord{});
  EXPECT_TRUE(store->LookupName("a").status().IsNotFound());
}

TEST_F(StoreTest, CommitStoresVectorsAndLeavesTheQueueInOneStep) {
  auto store = Open();
  const auto e = TestEmbedder();
  ASSERT_TRUE(store->BindEmbedder(e).ok());
  ASSERT_TRUE(store->Ingest(std::vector{MakeDocument("a", {"one", "two"})}).ok());
  auto pending = store->ReadPending(std::nullopt, 10);
  ASSERT_TRUE(pending.ok());
  EmbeddingCommit commit;
  commit.embedded.push_back(Embedded((*pending)[0], e));
  auto summary = store->CommitEmbeddings(commit);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  ASSERT_EQ(summary->embedded.size(), 1u);
  const auto c = store->GetCounters();
  EXPECT_EQ(c.embedded, 1u);
  EXPECT_EQ(c.pending, 1u);
  EXPECT_EQ(store->GetChunk((*pending)[0].id)->state, ChunkState::kEmbedded);
  auto v = store->GetVector((*pending)[0].id);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->model, e.fingerprint);
  EXPECT_EQ(v->halfs.size(), 4u);
  auto cp = store->GetCheckpoint("process");
  ASSERT_TRUE(cp.ok());
  EXPECT_EQ(cp->batches_committed, 1u);
  EXPECT_EQ(cp->chunks_embedded, 1u);
  auto left = store->ReadPending(std::nullopt, 10);
  ASSERT_EQ(left->size(), 1u);
  EXPECT_EQ((*left)[0].id, (*pending)[1].id);
  // Committing the same chunk again is stale, not a second vector.
  auto again = store->CommitEmbeddings(commit);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->stale, 1u);
  EXPECT_EQ(store->GetCounters().embedded, 1u);
}

TEST_F(StoreTest, CommitForReplacedTextIsStale) {
  auto store = Open();
  const auto e = TestEmbedder();
  ASSERT_TRUE(store->Ingest(std::vector{MakeDocument("a", {"old text"})}).ok());
  auto pending = store->ReadPending(std::nullopt, 10);
  ASSERT_TRUE(store->Ingest(std::vector{MakeDocument("a", {"new text", "more"})}).ok());
  EmbeddingCommit commit;
  commit.embedded.push_back(Embedded((*pending)[0], e));
  auto summary = store->CommitEmbeddings(commit);
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->stale, 1u);
  EXPECT_TRUE(summary->embedded.empty());
  EXPECT_TRUE(store->GetVector((*pending)[0].id).status().IsNotFound());
  EXPECT_EQ(store->GetCounters().pending, 2u);
}

TEST_F(StoreTest, ReplacingADocumentRemovesItsOldChunksVectorsAndQueueEntries) {
  auto store = Open();
  const auto e = TestEmbedder();
  ASSERT_TRUE(store->Ingest(std::vector{MakeDocument("a", {"1", "2", "3"})}).ok());
  auto pending = store->ReadPending(std::nullopt, 10);
  EmbeddingCommit commit;
  for (const auto& p : *pending) commit.embedded.push_back(Embedded(p, e));
  ASSERT_TRUE(store->CommitEmbeddings(commit).ok());
  ASSERT_EQ(store->GetCounters().embedded, 3u);

  auto summary = store->Ingest(std::vector{MakeDocument("a", {"only"})});
  ASSERT_TRUE(summary.ok());
  EXPECT_FALSE(summary->documents[0].created);
  const auto c = store->GetCounters();
  EXPECT_EQ(c.documents, 1u);
  EXPECT_EQ(c.chunks, 1u);
  EXPECT_EQ(c.embedded, 0u);
  EXPECT_EQ(c.pending, 1u);
  const DocumentId id = *store->LookupName("a");
  EXPECT_TRUE(store->GetChunk(format::MakeChunkId(id, 1)).status().IsNotFound());
  EXPECT_TRUE(store->GetVector(format::MakeChunkId(id, 0)).status().IsNotFound());
  EXPECT_TRUE(store->GetVector(format::MakeChunkId(id, 2)).status().IsNotFound());
  EXPECT_EQ(store->GetChunk(format::MakeChunkId(id, 0))->text, "only");
}

TEST_F(StoreTest, RejectedChunksRetryThenFailThenRequeue) {
  auto store = Open();
  ASSERT_TRUE(store->Ingest(std::vector{MakeDocument("a", {"bad", "good"})}).ok());
  auto pending = store->ReadPending(std::nullopt, 10);
  const PendingChunk bad = (*pending)[0];
  EmbeddingCommit retry;
  retry.rejected.push_back({bad.id, bad.record.text_hash, "too spicy", false});
  ASSERT_TRUE(store->CommitEmbeddings(retry).ok());
  EXPECT_EQ(store->GetChunk(bad.id)->attempts, 1u);
  EXPECT_EQ(store->GetCounters().pending, 2u);

  EmbeddingCommit give_up;
  give_up.rejected.push_back({bad.id, bad.record.text_hash, "too spicy", true});
  auto summary = store->CommitEmbeddings(give_up);
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->failed, 1u);
  auto chunk = store->GetChunk(bad.id);
  EXPECT_EQ(chunk->state, ChunkState::kFailed);
  EXPECT_EQ(chunk->last_error, "too spicy");
  EXPECT_EQ(store->GetCounters().failed, 1u);
  EXPECT_EQ(store->GetCounters().pending, 1u);

  auto requeued = store->RequeueFailed();
  ASSERT_TRUE(requeued.ok());
  EXPECT_EQ(*requeued, 1u);
  EXPECT_EQ(store->GetCounters().failed, 0u);
  EXPECT_EQ(store->GetCounters().pending, 2u);
  EXPECT_EQ(store->GetChunk(bad.id)->state, ChunkState::kPending);
}

TEST_F(StoreTest, ReadPendingContinuesAfterCursorAndWrapsAround) {
  auto store = Open();
  ASSERT_TRUE(store->Ingest(std::vector{MakeDocument("a", {"0", "1", "2", "3", "4"})}).ok());
  auto all = store->ReadPending(std::nullopt, 10);
  ASSERT_EQ(all->size(), 5u);
  auto after = store->ReadPending((*all)[2].id, 3);
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->size(), 3u);
  EXPECT_EQ((*after)[0].id, (*all)[3].id);
  EXPECT_EQ((*after)[1].id, (*all)[4].id);
  EXPECT_EQ((*after)[2].id, (*all)[0].id);  // wrapped
  auto whole_lap = store->ReadPending((*all)[2].id, 10);
  EXPECT_EQ(whole_lap->size(), 5u);  // each pending chunk once, no repeats
}

TEST_F(StoreTest, CountersSurviveReopen) {
  {
    auto store = Open();
    ASSERT_TRUE(store->Ingest(std::vector{MakeDocument("a", {"x", "y"})}).ok());
  }
  auto store = Open();
  EXPECT_EQ(store->GetCounters().chunks, 2u);
  EXPECT_EQ(store->GetCounters().next_document_id, 2u);
}

TEST_F(StoreTest, RefusesStoreOfNewerSchemaNamingBothVersions) {
  { auto store = Open(); }
  {
    // Rewrite meta[store] as a future roxi would.
    rocksdb::DBOptions options;
    std::vector<rocksdb::ColumnFamilyDescriptor> families;
    std::vector<std::string> names;
    ASSERT_TRUE(rocksdb::DB::ListColumnFamilies(options, dir_.Sub("db"), &names).ok());
    for (const auto& n : names) families.emplace_back(n, rocksdb::ColumnFamilyOptions());
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(options, dir_.Sub("db"), families, &handles, &raw).ok());
    format::StoreInfoRecord info;
    info.schema_version = format::kSchemaVersion + 1;
    std::string value;
    format::EncodeStoreInfoRecord(info, &value);
    for (size_t i = 0; i < names.size(); ++i) {
      if (names[i] == "meta") {
        ASSERT_TRUE(raw->Put({}, handles[i], "store", value).ok());
      }
    }
    for (auto* h : handles) ASSERT_TRUE(raw->DestroyColumnFamilyHandle(h).ok());
    delete raw;
  }
  StoreOptions options;
  options.data_dir = dir_.path().string();
  auto store = Store::Open(options);
  ASSERT_TRUE(store.status().IsNotSupported()) << store.status().ToString();
  const std::string newer = "schema version " + std::to_string(format::kSchemaVersion + 1);
  const std::string ours = "(" + std::to_string(format::kSchemaVersion) + ")";
  EXPECT_NE(store.status().message().find(newer), std::string_view::npos);
  EXPECT_NE(store.status().message().find(ours), std::string_view::npos);
}

}  // namespace
}  // namespace roxi::storage
