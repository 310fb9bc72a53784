// Tests of src/processor/embed_plan.cc: stored vectors are reused, repeated text in one batch is
// one embedder input, and everything else is sent once, in order.
#include "src/processor/embed_plan.h"

#include <gtest/gtest.h>

#include "format/hash.h"
#include "format/vector_record.h"
#include "tests/storage/backup_test_store.h"
#include "tests/support/temp_dir.h"

namespace roxi::processor {
namespace {

using storage::testing::OpenStore;
using storage::testing::TestEmbedder;

storage::PendingChunk Pending(uint32_t n, const std::string& text) {
  storage::PendingChunk p;
  p.id = format::MakeChunkId(format::DocumentId{1}, n);
  p.record.text = text;
  p.record.text_hash = format::Xxh3(text);
  return p;
}

TEST(EmbedPlanTest, SendsEachNewTextOnceAndReusesStoredVectors) {
  roxi::testing::TempDir dir;
  auto store = OpenStore(dir.path().string());
  ASSERT_NE(store, nullptr);
  const auto e = TestEmbedder();
  ASSERT_TRUE(store->BindEmbedder(e).ok());
  // "stored" already has a vector in the store.
  storage::DocumentUpdate u;
  u.document.name = "d";
  format::ChunkRecord c;
  c.text = "stored";
  u.chunks.push_back(c);
  ASSERT_TRUE(store->Ingest(std::vector{u}).ok());
  auto pending = store->ReadPending(std::nullopt, 10);
  storage::EmbeddingCommit commit;
  storage::EmbeddedChunk embedded{(*pending)[0].id, (*pending)[0].record.text_hash, {}, false};
  std::vector<float> v(e.dim, 0.25f);
  format::EncodeVectorRecordFromFloats(e.fingerprint, embedded.text_hash, v.data(), e.dim,
                                       &embedded.vector_value);
  commit.embedded.push_back(embedded);
  ASSERT_TRUE(store->CommitEmbeddings(commit).ok());

  const std::vector<storage::PendingChunk> batch = {
      Pending(0, "a"), Pending(1, "stored"), Pending(2, "b"), Pending(3, "a"), Pending(4, "a")};
  auto plan = PlanEmbedding(*store, e.fingerprint, batch);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_EQ(plan->inputs, (std::vector<std::string_view>{"a", "b"}));
  EXPECT_EQ(plan->input_of, (std::vector<size_t>{0, EmbedPlan::kNoInput, 1, 0, 0}));
  EXPECT_EQ(plan->reused, (std::vector<bool>{false, true, false, true, true}));
  ASSERT_TRUE(plan->stored[1].has_value());
  EXPECT_EQ(*plan->stored[1], embedded.vector_value);
  EXPECT_FALSE(plan->stored[0].has_value());

  // Under another model nothing is stored: every distinct text is sent.
  auto other = PlanEmbedding(*store, e.fingerprint + 1, batch);
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->inputs, (std::vector<std::string_view>{"a", "stored", "b"}));
}

TEST(EmbedPlanTest, EmptyBatchPlansNothing) {
  roxi::testing::TempDir dir;
  auto store = OpenStore(dir.path().string());
  auto plan = PlanEmbedding(*store, 1, {});
  ASSERT_TRUE(plan.ok());
  EXPECT_TRUE(plan->inputs.empty());
}

}  // namespace
}  // namespace roxi::processor
