// Tests of staged ingest (storage/store_stage.cc, FORMAT.md §3.9): a document written in batches
// under its own id is invisible until FinishStage switches it in, replaces the old version whole,
// and leaves a store that verifies clean at every step; a stage a crash left is dropped at open.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "format/hash.h"
#include "format/meta_records.h"
#include "storage/store.h"
#include "storage/verify_store.h"
#include "tests/storage/backup_test_store.h"
#include "tests/storage/store_test_util.h"
#include "tests/support/temp_dir.h"

namespace roxi::storage {
namespace {

using format::ChunkRecord;
using format::DocumentId;
using testing::Embedded;
using testing::MakeDocument;
using testing::OpenStore;
using testing::TestEmbedder;

std::vector<ChunkRecord> Chunks(const std::string& prefix, int first, int count) {
  std::vector<ChunkRecord> out;
  for (int i = first; i < first + count; ++i) {
    ChunkRecord c;
    c.byte_offset = static_cast<uint64_t>(i) * 10;
    c.text = prefix + " chunk " + std::to_string(i);
    out.push_back(std::move(c));
  }
  return out;
}

format::DocumentRecord Record(const std::string& name, uint64_t size) {
  format::DocumentRecord d;
  d.name = name;
  d.source_path = "/src/" + name;
  d.content_hash = format::Xxh3(name + std::to_string(size));
  d.size_bytes = size;
  return d;
}

class StoreStageTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }
  void Reopen() {
    store_.reset();
    store_ = OpenStore(dir_.path().string());
    ASSERT_NE(store_, nullptr);
    ASSERT_TRUE(store_->BindEmbedder(TestEmbedder()).ok());
  }
  void ExpectClean() {
    auto report = VerifyStore(*store_);
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    EXPECT_TRUE(report->clean()) << report->problems.front().check << " "
                                 << report->problems.front().key << ": "
                                 << report->problems.front().detail;
  }
  // Embeds every pending chunk.
  void EmbedAll() {
    auto pending = store_->ReadPending(std::nullopt, 100000);
    ASSERT_TRUE(pending.ok());
    EmbeddingCommit commit;
    for (const auto& p : *pending) commit.embedded.push_back(Embedded(p, TestEmbedder()));
    ASSERT_TRUE(store_->CommitEmbeddings(commit).ok());
  }
  uint64_t ChunksOf(DocumentId id) {
    uint64_t n = 0;
    EXPECT_TRUE(store_
                    ->ForEachChunk([&](format::ChunkId c, const ChunkRecord&) {
                      n += format::DocumentOf(c) == id;
                      return Status::OK();
                    })
                    .ok());
    return n;
  }

  roxi::testing::TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(StoreStageTest, StagedChunksAreInvisibleUntilTheSwitch) {
  auto stage = store_->BeginStage("big.txt");
  ASSERT_TRUE(stage.ok()) << stage.status().ToString();
  ASSERT_TRUE(store_->AppendStaged(*stage, Chunks("big", 0, 3000)).ok());
  ASSERT_TRUE(store_->AppendStaged(*stage, Chunks("big", 3000, 100)).ok());
  // Neither a document, nor counted, nor queued; verify accepts the stage.
  EXPECT_TRUE(store_->LookupName("big.txt").status().IsNotFound());
  EXPECT_TRUE(store_->GetDocument(*stage).status().IsNotFound());
  const auto before = store_->GetCounters();
  EXPECT_EQ(before.chunks, 0u);
  EXPECT_EQ(before.documents, 0u);
  auto pending = store_->ReadPending(std::nullopt, 10);
  ASSERT_TRUE(pending.ok());
  EXPECT_TRUE(pending->empty());
  ExpectClean();

  auto entry = store_->FinishStage(*stage, Record("big.txt", 31000));
  ASSERT_TRUE(entry.ok()) << entry.status().ToString();
  EXPECT_TRUE(entry->created);
  EXPECT_EQ(entry->chunks, 3100u);
  EXPECT_EQ(entry->id, *stage);
  EXPECT_EQ(*store_->LookupName("big.txt"), *stage);
  auto doc = store_->GetDocument(*stage);
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->chunk_count, 3100u);
  const auto after = store_->GetCounters();
  EXPECT_EQ(after.documents, 1u);
  EXPECT_EQ(after.chunks, 3100u);
  EXPECT_EQ(after.pending, 3100u);
  auto chunk = store_->GetChunk(format::MakeChunkId(*stage, 3099));
  ASSERT_TRUE(chunk.ok());
  EXPECT_EQ(chunk->text, "big chunk 3099");
  ExpectClean();
}

TEST_F(StoreStageTest, ReplacingRetiresTheOldVersionAndReusesItsVectors) {
  ASSERT_TRUE(store_
                  ->Ingest(std::vector<DocumentUpdate>{
                      MakeDocument("big.txt", {"same text", "old only", "same text"})})
                  .ok());
  const DocumentId old_id = *store_->LookupName("big.txt");
  EmbedAll();
  auto stage = store_->BeginStage("big.txt");
  ASSERT_TRUE(stage.ok());
  std::vector<ChunkRecord> chunks = Chunks("new", 0, 4000);
  chunks[2500].text = "same text";
  ASSERT_TRUE(store_->AppendStaged(*stage, chunks).ok());
  // Until the switch the old version is the document, whole.
  EXPECT_EQ(*store_->LookupName("big.txt"), old_id);
  EXPECT_EQ(ChunksOf(old_id), 3u);
  ExpectClean();

  auto entry = store_->FinishStage(*stage, Record("big.txt", 40000));
  ASSERT_TRUE(entry.ok()) << entry.status().ToString();
  EXPECT_FALSE(entry->created);
  EXPECT_EQ(entry->reused, 1u);
  EXPECT_EQ(*store_->LookupName("big.txt"), *stage);
  EXPECT_TRUE(store_->GetDocument(old_id).status().IsNotFound());
  EXPECT_EQ(ChunksOf(old_id), 0u);
  auto reused = store_->GetChunk(format::MakeChunkId(*stage, 2500));
  ASSERT_TRUE(reused.ok());
  EXPECT_EQ(reused->state, format::ChunkState::kEmbedded);
  const auto c = store_->GetCounters();
  EXPECT_EQ(c.documents, 1u);
  EXPECT_EQ(c.chunks, 4000u);
  EXPECT_EQ(c.embedded, 1u);
  EXPECT_EQ(c.pending, 3999u);
  ExpectClean();
}

TEST_F(StoreStageTest, AbortDropsTheStageAndLeavesTheOldVersion) {
  ASSERT_TRUE(
      store_->Ingest(std::vector<DocumentUpdate>{MakeDocument("a.txt", {"one", "two"})}).ok());
  auto stage = store_->BeginStage("a.txt");
  ASSERT_TRUE(stage.ok());
  ASSERT_TRUE(store_->AppendStaged(*stage, Chunks("a", 0, 50)).ok());
  ASSERT_TRUE(store_->AbortStage(*stage).ok());
  EXPECT_EQ(ChunksOf(*stage), 0u);
  EXPECT_EQ(store_->GetCounters().chunks, 2u);
  EXPECT_TRUE(store_->AbortStage(*stage).ok());  // none left: OK
  EXPECT_TRUE(store_->AppendStaged(*stage, Chunks("a", 0, 1)).IsInvalidArgument());
  EXPECT_TRUE(store_->FinishStage(*stage, Record("a.txt", 5)).status().IsInvalidArgument());
  ExpectClean();
}

TEST_F(StoreStageTest, OpenDropsAStageAKilledWriterLeft) {
  auto stage = store_->BeginStage("big.txt");
  ASSERT_TRUE(stage.ok());
  ASSERT_TRUE(store_->AppendStaged(*stage, Chunks("big", 0, 500)).ok());
  Reopen();
  EXPECT_EQ(ChunksOf(*stage), 0u);
  auto report = VerifyStore(*store_);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->clean());
  EXPECT_EQ(report->census.stages, 0u);
  // The id stays used: a new stage gets the next one.
  auto next = store_->BeginStage("big.txt");
  ASSERT_TRUE(next.ok());
  EXPECT_GT(next->value, stage->value);
}

TEST_F(StoreStageTest, AFinishedStageCanBeReplacedAndDeletedLikeAnyDocument) {
  auto stage = store_->BeginStage("big.txt");
  ASSERT_TRUE(stage.ok());
  ASSERT_TRUE(store_->AppendStaged(*stage, Chunks("big", 0, 10)).ok());
  ASSERT_TRUE(store_->FinishStage(*stage, Record("big.txt", 100)).ok());
  ASSERT_TRUE(
      store_->Ingest(std::vector<DocumentUpdate>{MakeDocument("big.txt", {"small now"})}).ok());
  EXPECT_EQ(store_->GetCounters().chunks, 1u);
  ExpectClean();
  const std::vector<std::string> names = {"big.txt"};
  ASSERT_TRUE(store_->DeleteDocuments(names).ok());
  EXPECT_EQ(store_->GetCounters().chunks, 0u);
  ExpectClean();
}

TEST_F(StoreStageTest, RejectsBadUse) {
  EXPECT_TRUE(store_->BeginStage("").status().IsInvalidArgument());
  EXPECT_TRUE(store_->AppendStaged(DocumentId{99}, Chunks("x", 0, 1)).IsInvalidArgument());
  auto stage = store_->BeginStage("a.txt");
  ASSERT_TRUE(stage.ok());
  std::vector<ChunkRecord> huge = Chunks("x", 0, 1);
  huge[0].text.assign(format::kMaxChunkTextBytes + 1, 'x');
  EXPECT_TRUE(store_->AppendStaged(*stage, huge).IsInvalidArgument());
  EXPECT_TRUE(store_->FinishStage(*stage, Record("b.txt", 1)).status().IsInvalidArgument());
}

}  // namespace
}  // namespace roxi::storage
