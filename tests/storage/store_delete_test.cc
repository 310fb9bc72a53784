// Tests of Store::DeleteDocuments and the reads beside it (storage/store_delete.cc, FORMAT.md
// §3.8): a deleted document leaves nothing behind in any family, the counters and meta[deletions]
// move together, an unknown name changes nothing, and a re-embed's staging vectors go too.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "format/meta_records.h"
#include "storage/store.h"
#include "storage/verify_store.h"
#include "tests/storage/backup_test_store.h"
#include "tests/storage/store_test_util.h"
#include "tests/support/temp_dir.h"

namespace roxi::storage {
namespace {

using testing::Embedded;
using testing::MakeDocument;
using testing::OpenStore;
using testing::TestEmbedder;

class StoreDeleteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = OpenStore(dir_.path().string());
    ASSERT_NE(store_, nullptr);
    ASSERT_TRUE(store_->BindEmbedder(TestEmbedder()).ok());
    std::vector<DocumentUpdate> docs = {MakeDocument("a.txt", {"alpha one", "alpha two"}),
                                        MakeDocument("b.txt", {"beta one", "shared text"}),
                                        MakeDocument("dir/c.txt", {"gamma", "shared text", "x"})};
    ASSERT_TRUE(store_->Ingest(docs).ok());
    // Embed the first two documents' chunks; c stays pending (its "shared text" chunk reuses b's
    // vector once b's is committed, so it is ingested after).
    auto pending = store_->ReadPending(std::nullopt, 100);
    ASSERT_TRUE(pending.ok());
    EmbeddingCommit commit;
    for (const auto& p : *pending) {
      if (format::DocumentOf(p.id) != *store_->LookupName("dir/c.txt")) {
        commit.embedded.push_back(Embedded(p, TestEmbedder()));
      }
    }
    ASSERT_TRUE(store_->CommitEmbeddings(commit).ok());
  }

  void ExpectClean() {
    auto report = VerifyStore(*store_);
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    EXPECT_TRUE(report->clean()) << report->problems.front().check << " "
                                 << report->problems.front().key << ": "
                                 << report->problems.front().detail;
  }

  roxi::testing::TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(StoreDeleteTest, RemovesEverythingOfTheDocumentInOneCommit) {
  const auto id = store_->LookupName("b.txt");
  ASSERT_TRUE(id.ok());
  const format::CountersRecord before = store_->GetCounters();
  auto summary = store_->DeleteDocuments(std::vector<std::string>{"b.txt"});
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  ASSERT_EQ(summary->documents.size(), 1u);
  EXPECT_EQ(summary->documents[0].name, "b.txt");
  EXPECT_EQ(summary->documents[0].chunks, 2u);
  EXPECT_EQ(summary->chunks, 2u);

  EXPECT_TRUE(store_->LookupName("b.txt").status().IsNotFound());
  EXPECT_TRUE(store_->GetDocument(*id).status().IsNotFound());
  for (uint32_t n = 0; n < 2; ++n) {
    const format::ChunkId chunk = format::MakeChunkId(*id, n);
    EXPECT_TRUE(store_->GetChunk(chunk).status().IsNotFound());
    EXPECT_TRUE(store_->GetVector(chunk).status().IsNotFound());
  }
  const format::CountersRecord after = store_->GetCounters();
  EXPECT_EQ(after.documents, before.documents - 1);
  EXPECT_EQ(after.chunks, before.chunks - 2);
  EXPECT_EQ(after.embedded, before.embedded - 2);
  EXPECT_EQ(after.pending, before.pending);
  const format::DeletionsRecord deletions = store_->GetDeletions();
  EXPECT_EQ(deletions.documents, 1u);
  EXPECT_EQ(deletions.chunks, 2u);
  EXPECT_GT(deletions.last_deleted_at_micros, 0u);
  ExpectClean();  // no orphan vector, queue or text_vectors entry; counters match

  // The deletions survive a reopen.
  store_.reset();
  store_ = OpenStore(dir_.path().string());
  EXPECT_EQ(store_->GetDeletions(), deletions);
  EXPECT_EQ(store_->GetStoreInfo().schema_version, format::kSchemaVersion);
}

TEST_F(StoreDeleteTest, PendingChunksLeaveTheQueue) {
  ASSERT_TRUE(store_->DeleteDocuments(std::vector<std::string>{"dir/c.txt"}).ok());
  auto pending = store_->ReadPending(std::nullopt, 100);
  ASSERT_TRUE(pending.ok());
  EXPECT_TRUE(pending->empty());
  EXPECT_EQ(store_->GetCounters().pending, 0u);
  ExpectClean();
}

TEST_F(StoreDeleteTest, UnknownNameChangesNothing) {
  const format::CountersRecord before = store_->GetCounters();
  auto summary = store_->DeleteDocuments(std::vector<std::string>{"a.txt", "nope.txt"});
  EXPECT_TRUE(summary.status().IsNotFound()) << summary.status().ToString();
  EXPECT_NE(summary.status().ToString().find("nope.txt"), std::string::npos);
  EXPECT_TRUE(store_->LookupName("a.txt").ok());
  EXPECT_EQ(store_->GetCounters(), before);
  EXPECT_EQ(store_->GetDeletions(), format::DeletionsRecord{});
}

TEST_F(StoreDeleteTest, RepeatedNamesAreDeletedOnceAndReingestReusesNothingStale) {
  auto summary = store_->DeleteDocuments(std::vector<std::string>{"a.txt", "a.txt"});
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->documents.size(), 1u);
  // Ingested again, its texts have no vector left to copy: it is queued whole.
  std::vector<DocumentUpdate> again = {MakeDocument("a.txt", {"alpha one", "alpha two"})};
  auto ingested = store_->Ingest(again);
  ASSERT_TRUE(ingested.ok());
  EXPECT_TRUE(ingested->documents[0].created);
  EXPECT_EQ(ingested->documents[0].reused, 0u);
  ExpectClean();
}

TEST_F(StoreDeleteTest, ListsNamesByPrefixAndSummarizesByState) {
  auto all = store_->ListNames("", "", 10);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(*all, (std::vector<std::string>{"a.txt", "b.txt", "dir/c.txt"}));
  EXPECT_EQ(*store_->ListNames("dir/", "", 10), std::vector<std::string>{"dir/c.txt"});
  EXPECT_EQ(*store_->ListNames("", "a.txt", 1), std::vector<std::string>{"b.txt"});
  EXPECT_TRUE(store_->ListNames("zzz", "", 10)->empty());

  auto c = store_->SummarizeDocument("dir/c.txt");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->record.chunk_count, 3u);
  EXPECT_EQ(c->pending + c->embedded, 3u);
  EXPECT_EQ(c->failed, 0u);
  auto a = store_->SummarizeDocument("a.txt");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->embedded, 2u);
  EXPECT_TRUE(store_->SummarizeDocument("nope").status().IsNotFound());
}

TEST_F(StoreDeleteTest, DeleteDuringAReembedTakesTheStagingVectorsToo) {
  format::EmbedderRecord target;
  target.id = "test:target";
  target.fingerprint = format::Xxh3(target.id);
  target.dim = TestEmbedder().dim;
  ASSERT_TRUE(store_->StartReembed(target).ok());
  auto work = store_->ReadReembedWork(std::nullopt, 100, 1000);
  ASSERT_TRUE(work.ok()) << work.status().ToString();
  StagingCommit staging;
  for (const auto& chunk : work->chunks) staging.staged.push_back(Embedded(chunk, target));
  staging.cursor = work->scanned_to;
  ASSERT_TRUE(store_->CommitStaging(staging).ok());
  ASSERT_TRUE(store_->DeleteDocuments(std::vector<std::string>{"a.txt"}).ok());
  uint64_t staged = 0;
  ASSERT_TRUE(store_
                  ->ForEachStagingVector([&](format::ChunkId id, const format::VectorRecord&) {
                    EXPECT_NE(format::DocumentOf(id).value, 1u)
                        << "a staging vector of the deleted document";
                    ++staged;
                    return Status::OK();
                  })
                  .ok());
  EXPECT_EQ(staged, 2u);  // b's two chunks
  ExpectClean();
}

TEST_F(StoreDeleteTest, ReadOnlyStoreRefuses) {
  StoreOptions options;
  options.data_dir = dir_.path().string();
  options.mode = StoreOptions::Mode::kReadOnly;
  auto reader = Store::Open(options);
  ASSERT_TRUE(reader.ok());
  EXPECT_FALSE((*reader)->DeleteDocuments(std::vector<std::string>{"a.txt"}).ok());
}

}  // namespace
}  // namespace roxi::storage
