// Tests of src/processor/reembedder.cc: passes, resuming from the persisted cursor, and chunks
// that change while a re-embed runs, with the real builtin embedder at two dimensions.
#include "src/processor/reembedder.h"

#include <gtest/gtest.h>

#include <map>

#include "format/hash.h"
#include "src/embedders/builtin_embedder.h"
#include "src/embedders/embedder_identity.h"
#include "src/processor/processor.h"
#include "tests/storage/backup_test_store.h"
#include "tests/support/temp_dir.h"

namespace roxi::processor {
namespace {

storage::DocumentUpdate Document(const std::string& name, const std::string& text) {
  storage::DocumentUpdate u;
  u.document.name = name;
  u.document.source_path = "/docs/" + name;
  u.document.content_hash = format::Xxh3(text);
  u.document.size_bytes = text.size();
  format::ChunkRecord chunk;
  chunk.text = text;
  chunk.text_hash = format::Xxh3(text);
  u.chunks.push_back(chunk);
  return u;
}

class ReembedderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = storage::testing::OpenStore(dir_.path().string());
    ASSERT_NE(store_, nullptr);
    ASSERT_TRUE(store_->BindEmbedder(embedders::IdentityOf(old_.info())).ok());
    AddAndEmbed(0, 7);
  }

  // Ingests documents first..first+count-1 and embeds them with the old embedder.
  void AddAndEmbed(int first, int count) {
    std::vector<storage::DocumentUpdate> docs;
    for (int i = first; i < first + count; ++i) {
      docs.push_back(Document("doc" + std::to_string(i), "text number " + std::to_string(i)));
    }
    ASSERT_TRUE(store_->Ingest(docs).ok());
    Processor processor(store_.get(), &old_, ProcessorOptions{});
    ASSERT_TRUE(processor.Run().ok());
  }

  std::map<uint64_t, size_t> Models() const {
    std::map<uint64_t, size_t> models;
    EXPECT_TRUE(store_
                    ->ForEachVector([&](format::ChunkId, const format::VectorRecord& v) {
                      ++models[v.model];
                      return Status::OK();
                    })
                    .ok());
    return models;
  }

  roxi::testing::TempDir dir_;
  embedders::BuiltinEmbedder old_{16};
  embedders::BuiltinEmbedder new_{24};
  std::unique_ptr<storage::Store> store_;
};

TEST_F(ReembedderTest, OnePassStagesEveryChunkAndSwaps) {
  Reembedder reembedder(store_.get(), &new_, ReembedOptions{3, 1000});
  ASSERT_TRUE(reembedder.Start().ok());
  std::vector<ReembedBatchReport> batches;
  auto run = reembedder.Run([&](const ReembedBatchReport& b) { batches.push_back(b); });
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_TRUE(run->swapped);
  EXPECT_EQ(run->staged, 7u);
  EXPECT_EQ(run->passes, 1u);
  EXPECT_EQ(run->vectors, 7u);
  ASSERT_EQ(batches.size(), 3u);  // 3 + 3 + 1
  EXPECT_TRUE(batches.back().swapped);
  EXPECT_EQ(store_->GetEmbedder()->id, new_.info().id);
  EXPECT_EQ(Models(), (std::map<uint64_t, size_t>{{format::Xxh3(new_.info().id), 7}}));
}

// Counts the texts it is asked to embed, then lets the wrapped embedder do it.
class CountingEmbedder : public embedders::Embedder {
 public:
  explicit CountingEmbedder(embedders::Embedder* inner) : inner_(inner) {}
  const embedders::EmbedderInfo& info() const override { return inner_->info(); }
  Status Embed(std::span<const std::string_view> texts, std::span<float> out,
               std::vector<Status>* item_status) override {
    texts_ += texts.size();
    return inner_->Embed(texts, out, item_status);
  }
  size_t texts() const { return texts_; }

 private:
  embedders::Embedder* inner_;
  size_t texts_ = 0;
};

TEST_F(ReembedderTest, RepeatedTextInABatchIsEmbeddedOnce) {
  std::vector<storage::DocumentUpdate> copies;
  for (int i = 0; i < 3; ++i) copies.push_back(Document("copy" + std::to_string(i), "same text"));
  ASSERT_TRUE(store_->Ingest(copies).ok());
  Processor processor(store_.get(), &old_, ProcessorOptions{});
  ASSERT_TRUE(processor.Run().ok());
  CountingEmbedder counting(&new_);
  Reembedder reembedder(store_.get(), &counting, ReembedOptions{64, 1000});
  ASSERT_TRUE(reembedder.Start().ok());
  auto run = reembedder.Run();
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_TRUE(run->swapped);
  EXPECT_EQ(run->vectors, 10u);
  EXPECT_EQ(counting.texts(), 8u);  // 7 distinct texts + "same text" once
  EXPECT_EQ(Models(), (std::map<uint64_t, size_t>{{format::Xxh3(new_.info().id), 10}}));
}

TEST_F(ReembedderTest, AChunkEmbeddedByTheOldEmbedderMidPassTakesASecondPass) {
  Reembedder reembedder(store_.get(), &new_, ReembedOptions{3, 1000});
  ASSERT_TRUE(reembedder.Start().ok());
  ASSERT_TRUE(reembedder.RunBatch().ok());
  AddAndEmbed(0, 1);   // doc0 replaced (same text: its staging vector still fits)
  AddAndEmbed(100, 1);  // a new document after the cursor... and one before it:
  ASSERT_TRUE(store_->Ingest(std::vector{Document("doc1", "other text")}).ok());
  Processor processor(store_.get(), &old_, ProcessorOptions{});
  ASSERT_TRUE(processor.Run().ok());
  auto run = reembedder.Run();
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_TRUE(run->swapped);
  EXPECT_EQ(run->passes, 2u);  // doc1's new text was missed by the first pass
  EXPECT_EQ(Models(), (std::map<uint64_t, size_t>{{format::Xxh3(new_.info().id), 8}}));
}

TEST_F(ReembedderTest, ARestartResumesFromThePersistedCursor) {
  {
    Reembedder first(store_.get(), &new_, ReembedOptions{2, 1000});
    ASSERT_TRUE(first.Start().ok());
    ASSERT_TRUE(first.RunBatch().ok());
    ASSERT_TRUE(first.RunBatch().ok());
  }
  EXPECT_EQ(store_->GetReembed()->staged, 4u);
  EXPECT_EQ(GetReembedProgress(*store_)->done, 4u);
  EXPECT_EQ(GetReembedProgress(*store_)->total, 7u);
  Reembedder second(store_.get(), &new_, ReembedOptions{2, 1000});
  ASSERT_TRUE(second.Start().ok());
  auto run = second.Run();
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_TRUE(run->swapped);
  EXPECT_EQ(run->staged, 3u);
  EXPECT_EQ(run->passes, 1u);
  EXPECT_TRUE(GetReembedProgress(*store_).status().IsNotFound());
}

TEST_F(ReembedderTest, TheSameEmbedderIsRefused) {
  Reembedder same(store_.get(), &old_, ReembedOptions{});
  EXPECT_TRUE(same.Start().IsInvalidArgument());
  EXPECT_TRUE(ValidateReembedOptions(ReembedOptions{0, 10}).IsInvalidArgument());
  EXPECT_TRUE(ValidateReembedOptions(ReembedOptions{10, 5}).IsInvalidArgument());
}

}  // namespace
}  // namespace roxi::processor
