// Tests of storage/store_reembed.cc (FORMAT.md §2.6): staging vectors, the completeness check and
// the one-WriteBatch swap, with ingests and processor commits racing a re-embed.
#include <gtest/gtest.h>

#include <map>

#include "format/hash.h"
#include "format/keys.h"
#include "format/vector_record.h"
#include "storage/store.h"
#include "storage/verify_report.h"
#include "tests/storage/backup_test_store.h"
#include "tests/storage/store_test_util.h"
#include "tests/support/temp_dir.h"

namespace roxi::storage {
namespace {

using testing::Embedded;
using testing::MakeDocument;

using format::ChunkId;
using format::ChunkState;

format::EmbedderRecord TestEmbedder(const std::string& name, uint32_t dim) {
  const std::string id = "test:" + name + ":" + std::to_string(dim);
  return {id, format::Xxh3(id), dim};
}

class StoreReembedTest : public ::testing::Test {
 protected:
  std::unique_ptr<Store> Open(StoreOptions::Mode mode = StoreOptions::Mode::kReadWrite) {
    return testing::OpenStore(dir_.path().string(), mode);
  }

  // Ingests documents and embeds every chunk with `old_`.
  std::unique_ptr<Store> EmbeddedStore(const std::vector<DocumentUpdate>& documents) {
    auto store = Open();
    EXPECT_TRUE(store->BindEmbedder(old_).ok());
    EXPECT_TRUE(store->Ingest(documents).ok());
    EmbedPending(store.get(), old_);
    return store;
  }

  static void EmbedPending(Store* store, const format::EmbedderRecord& e) {
    auto pending = store->ReadPending(std::nullopt, 1000);
    ASSERT_TRUE(pending.ok());
    EmbeddingCommit commit;
    for (const auto& p : *pending) commit.embedded.push_back(Embedded(p, e));
    ASSERT_TRUE(store->CommitEmbeddings(commit).ok());
  }

  // Stages a target vector for every chunk the re-embed still needs; returns how many.
  static size_t StageAll(Store* store, const format::EmbedderRecord& target) {
    auto work = store->ReadReembedWork(std::nullopt, 1000, 1000);
    EXPECT_TRUE(work.ok()) << work.status().ToString();
    StagingCommit commit;
    for (const auto& c : work->chunks) commit.staged.push_back(Embedded(c, target));
    commit.cursor = work->scanned_to;
    auto summary = store->CommitStaging(commit);
    EXPECT_TRUE(summary.ok()) << summary.status().ToString();
    return summary->staged.size();
  }

  // Vectors per model fingerprint, in the active family or the staging one.
  static std::map<uint64_t, size_t> Models(const Store& store, bool staging) {
    std::map<uint64_t, size_t> models;
    auto count = [&](ChunkId, const format::VectorRecord& v) {
      ++models[v.model];
      return Status::OK();
    };
    EXPECT_TRUE((staging ? store.ForEachStagingVector(count) : store.ForEachVector(count)).ok());
    return models;
  }

  static VerifyReport Check(const Store& store) {
    VerifyReport report;
    EXPECT_TRUE(store.CheckInto(StoreCheckOptions{}, &report).ok());
    for (const auto& p : report.problems) ADD_FAILURE() << p.check << " " << p.key << ": " << p.detail;
    return report;
  }

  roxi::testing::TempDir dir_;
  const format::EmbedderRecord old_ = TestEmbedder("old", 4);
  const format::EmbedderRecord new_ = TestEmbedder("new", 6);
};

TEST_F(StoreReembedTest, StartRefusesWithoutEmbedderTheSameEmbedderOrAnotherTarget) {
  auto store = Open();
  EXPECT_TRUE(store->StartReembed(new_).IsInvalidArgument());
  ASSERT_TRUE(store->BindEmbedder(old_).ok());
  Status same = store->StartReembed(old_);
  EXPECT_TRUE(same.IsInvalidArgument());
  EXPECT_NE(same.ToString().find("nothing to re-embed"), std::string::npos) << same.ToString();
  ASSERT_TRUE(store->StartReembed(new_).ok());
  EXPECT_TRUE(store->StartReembed(new_).ok());  // resuming
  Status other = store->StartReembed(TestEmbedder("third", 8));
  EXPECT_TRUE(other.IsInvalidArgument());
  EXPECT_NE(other.ToString().find(new_.id), std::string::npos) << other.ToString();
  // The old embedder still binds; the target is refused with a message about the re-embed.
  EXPECT_TRUE(store->BindEmbedder(old_).ok());
  Status target = store->BindEmbedder(new_);
  EXPECT_NE(target.ToString().find("re-embed to '" + new_.id + "' is in progress"),
            std::string::npos)
      << target.ToString();
}

TEST_F(StoreReembedTest, SwapsOnlyWhenEveryEmbeddedChunkHasATargetVector) {
  auto store = EmbeddedStore({MakeDocument("a", {"one", "two", "three"})});
  ASSERT_TRUE(store->StartReembed(new_).ok());
  auto work = store->ReadReembedWork(std::nullopt, 2, 1000);
  ASSERT_TRUE(work.ok());
  ASSERT_EQ(work->chunks.size(), 2u);
  EXPECT_FALSE(work->reached_end);
  StagingCommit commit;
  for (const auto& c : work->chunks) commit.staged.push_back(Embedded(c, new_));
  commit.cursor = work->scanned_to;
  ASSERT_TRUE(store->CommitStaging(commit).ok());
  EXPECT_EQ(store->GetReembed()->cursor, work->scanned_to->value);
  EXPECT_EQ(store->GetReembed()->staged, 2u);

  auto refused = store->TrySwapVectors();
  ASSERT_TRUE(refused.ok());
  EXPECT_FALSE(refused->swapped);
  EXPECT_EQ(refused->missing, 1u);
  EXPECT_EQ(Models(*store, false), (std::map<uint64_t, size_t>{{old_.fingerprint, 3}}));
  EXPECT_EQ(store->GetEmbedder()->id, old_.id);
  Check(*store);

  // The rest of the pass: only the third chunk is left.
  auto rest = store->ReadReembedWork(work->scanned_to, 10, 1000);
  ASSERT_EQ(rest->chunks.size(), 1u);
  EXPECT_TRUE(rest->reached_end);
  EXPECT_EQ(StageAll(store.get(), new_), 1u);
  auto swap = store->TrySwapVectors();
  ASSERT_TRUE(swap.ok()) << swap.status().ToString();
  EXPECT_TRUE(swap->swapped);
  EXPECT_EQ(swap->vectors, 3u);
  EXPECT_EQ(store->GetEmbedder()->id, new_.id);
  EXPECT_TRUE(store->GetReembed().status().IsNotFound());
  EXPECT_EQ(Models(*store, false), (std::map<uint64_t, size_t>{{new_.fingerprint, 3}}));
  EXPECT_TRUE(Models(*store, true).empty());
  const VerifyReport report = Check(*store);
  EXPECT_EQ(report.census.vectors, 3u);
  EXPECT_EQ(report.census.staging_vectors, 0u);
  // The text_vectors index moved to the new model in the same swap: identical text ingested now
  // takes a copy of the new-model vector, and nothing of the old model is found.
  EXPECT_EQ(report.census.text_vector_entries, 3u);
  auto copy = store->Ingest(std::vector{MakeDocument("copy", {"two"})});
  ASSERT_TRUE(copy.ok());
  EXPECT_EQ(copy->documents[0].reused, 1u);
  EXPECT_EQ(store->GetVector(format::MakeChunkId(copy->documents[0].id, 0))->model,
            new_.fingerprint);
  auto old_found =
      store->FindReusableVectors(old_.fingerprint, std::vector<std::string_view>{"one"});
  ASSERT_TRUE(old_found.ok());
  EXPECT_FALSE((*old_found)[0].has_value());
  Check(*store);

  // The swap is durable: a reopened store reads the new family and embedder.
  store.reset();
  store = Open();
  EXPECT_EQ(store->GetEmbedder()->id, new_.id);
  EXPECT_EQ(Models(*store, false), (std::map<uint64_t, size_t>{{new_.fingerprint, 4}}));  // + copy
  Check(*store);
}

TEST_F(StoreReembedTest, ChangesDuringAReembedAreCaughtBeforeTheSwap) {
  auto store = EmbeddedStore({MakeDocument("a", {"a0", "a1"}), MakeDocument("b", {"b0"})});
  ASSERT_TRUE(store->StartReembed(new_).ok());
  ASSERT_EQ(StageAll(store.get(), new_), 3u);
  // Meanwhile: document a is replaced by one chunk of other text (its staging vectors go stale),
  // and a new document c is embedded by the processor with the old embedder.
  ASSERT_TRUE(store->Ingest(std::vector{MakeDocument("a", {"new a0"}), MakeDocument("c", {"c0"})}).ok());
  EmbedPending(store.get(), old_);
  Check(*store);  // stale staging vectors are no damage while the re-embed runs

  auto first = store->TrySwapVectors();
  ASSERT_TRUE(first.ok());
  EXPECT_FALSE(first->swapped);
  EXPECT_EQ(first->missing, 2u);  // new a0 and c0
  EXPECT_EQ(StageAll(store.get(), new_), 2u);
  auto second = store->TrySwapVectors();
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(second->swapped);
  EXPECT_EQ(second->vectors, 3u);
  EXPECT_EQ(second->dropped_staging, 1u);  // a1 (a0's stale vector was overwritten by the pass)
  EXPECT_EQ(Models(*store, false), (std::map<uint64_t, size_t>{{new_.fingerprint, 3}}));
  EXPECT_EQ(store->GetCounters().embedded, 3u);
  Check(*store);
}

TEST_F(StoreReembedTest, PendingChunksStayPendingAndOldModelCommitsAfterTheSwapAreStale) {
  auto store = EmbeddedStore({MakeDocument("a", {"a0"})});
  ASSERT_TRUE(store->Ingest(std::vector{MakeDocument("b", {"b0"})}).ok());
  auto pending = store->ReadPending(std::nullopt, 10);
  ASSERT_EQ(pending->size(), 1u);
  ASSERT_TRUE(store->StartReembed(new_).ok());
  ASSERT_EQ(StageAll(store.get(), new_), 1u);  // a0 only: b0 has no vector to replace
  ASSERT_TRUE(store->TrySwapVectors()->swapped);
  // A processor still holding the old embedder commits b0: refused, b0 stays queued.
  EmbeddingCommit late;
  late.embedded.push_back(Embedded((*pending)[0], old_));
  auto summary = store->CommitEmbeddings(late);
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->stale, 1u);
  EXPECT_EQ(store->GetCounters().pending, 1u);
  EmbedPending(store.get(), new_);
  EXPECT_EQ(Models(*store, false), (std::map<uint64_t, size_t>{{new_.fingerprint, 2}}));
  Check(*store);
}

TEST_F(StoreReembedTest, StagingRefusesVectorsOfAnotherModel) {
  auto store = EmbeddedStore({MakeDocument("a", {"a0"})});
  ASSERT_TRUE(store->StartReembed(new_).ok());
  auto work = store->ReadReembedWork(std::nullopt, 10, 10);
  StagingCommit commit;
  commit.staged.push_back(Embedded(work->chunks[0], old_));
  EXPECT_TRUE(store->CommitStaging(commit).status().IsInvalidArgument());
  EXPECT_TRUE(Models(*store, true).empty());
}

TEST_F(StoreReembedTest, CancelDropsStagingVectorsAndASecondSwapGoesBack) {
  auto store = EmbeddedStore({MakeDocument("a", {"a0", "a1"})});
  ASSERT_TRUE(store->StartReembed(new_).ok());
  ASSERT_EQ(StageAll(store.get(), new_), 2u);
  ASSERT_TRUE(store->CancelReembed().ok());
  EXPECT_TRUE(store->GetReembed().status().IsNotFound());
  EXPECT_TRUE(Models(*store, true).empty());
  EXPECT_TRUE(store->CancelReembed().IsNotFound());
  Check(*store);
  // Two swaps: vectors -> vectors_b -> vectors.
  for (const auto& target : {new_, old_}) {
    ASSERT_TRUE(store->StartReembed(target).ok());
    ASSERT_EQ(StageAll(store.get(), target), 2u);
    ASSERT_TRUE(store->TrySwapVectors()->swapped);
    EXPECT_EQ(Models(*store, false), (std::map<uint64_t, size_t>{{target.fingerprint, 2}}));
    Check(*store);
  }
}

TEST_F(StoreReembedTest, AReaderSeesTheSwapAfterRefresh) {
  auto store = EmbeddedStore({MakeDocument("a", {"a0"})});
  ASSERT_TRUE(store->FlushMemtables().ok());
  auto reader = Open(StoreOptions::Mode::kReadOnly);
  ASSERT_NE(reader, nullptr);
  ASSERT_TRUE(store->StartReembed(new_).ok());
  ASSERT_EQ(StageAll(store.get(), new_), 1u);
  ASSERT_TRUE(store->TrySwapVectors()->swapped);
  // Until it refreshes, the reader keeps its consistent view of the old set.
  EXPECT_EQ(reader->GetEmbedder()->id, old_.id);
  EXPECT_EQ(Models(*reader, false), (std::map<uint64_t, size_t>{{old_.fingerprint, 1}}));
  ASSERT_TRUE(reader->Refresh().ok());
  EXPECT_EQ(reader->GetEmbedder()->id, new_.id);
  EXPECT_EQ(Models(*reader, false), (std::map<uint64_t, size_t>{{new_.fingerprint, 1}}));
}

}  // namespace
}  // namespace roxi::storage
