#include "src/processor/processor.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <memory>
#include <string>
#include <vector>

#include "format/hash.h"
#include "src/embedders/builtin_embedder.h"
#include "src/embedders/embedder_identity.h"
#include "storage/store.h"
#include "tests/storage/backup_test_store.h"
#include "tests/support/temp_dir.h"

namespace roxi::processor {
namespace {

using format::ChunkState;

// The real built-in embedder, with a record of every call and two faults a test can ask for: an
// outage (Unavailable) on chosen calls, and the rejection of texts containing "<reject>". It says
// it takes concurrent calls when asked to (serialising the built-in embedder inside), and records
// how many calls ever ran at once.
class RecordingEmbedder final : public embedders::Embedder {
 public:
  explicit RecordingEmbedder(bool concurrent = false) : concurrent_(concurrent) {}

  const embedders::EmbedderInfo& info() const override { return inner_.info(); }
  bool AllowsConcurrentEmbed() const override { return concurrent_; }

  Status Embed(std::span<const std::string_view> texts, std::span<float> out,
               std::vector<Status>* item_status) override {
    std::unique_lock<std::mutex> lock(mu_);
    const int call = ++calls_;
    max_active_ = std::max(max_active_, ++active_);
    cv_.notify_all();
    if (call == 1 && hold_first_call_) {
      // Held until the second call begins, for at most 10 s: only a caller that embeds two
      // batches at once gets past this early.
      overlapped_ = cv_.wait_for(lock, std::chrono::seconds(10), [this] { return calls_ >= 2; });
    }
    Status status = Status::OK();
    if (outage_calls_.count(call) != 0) {
      status = Status::Unavailable("embedder test", "outage on call " + std::to_string(call));
    } else {
      status = inner_.Embed(texts, out, item_status);
    }
    if (status.ok()) {
      for (size_t i = 0; i < texts.size(); ++i) {
        ++seen_[std::string(texts[i])];
        if (texts[i].find("<reject>") != std::string_view::npos) {
          (*item_status)[i] = Status::InvalidArgument("embedder test", "rejected");
        }
      }
    }
    --active_;
    return status;
  }

  void FailCall(int call) { outage_calls_[call] = true; }
  void HoldFirstCall() { hold_first_call_ = true; }
  // How often each text was embedded (calls that ran).
  std::map<std::string, int> seen() const {
    std::lock_guard<std::mutex> lock(mu_);
    return seen_;
  }
  int calls() const {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_;
  }
  int max_active() const {
    std::lock_guard<std::mutex> lock(mu_);
    return max_active_;
  }
  bool overlapped() const {
    std::lock_guard<std::mutex> lock(mu_);
    return overlapped_;
  }

 private:
  const bool concurrent_;
  embedders::BuiltinEmbedder inner_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<int, bool> outage_calls_;
  std::map<std::string, int> seen_;
  int calls_ = 0;
  int active_ = 0;
  int max_active_ = 0;
  bool hold_first_call_ = false;
  bool overlapped_ = false;
};

class ProcessorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = storage::testing::OpenStore(dir_.path().string());
    ASSERT_NE(store_, nullptr);
    embedder_ = std::make_unique<RecordingEmbedder>();
    ASSERT_TRUE(store_->BindEmbedder(embedders::IdentityOf(embedder_->info())).ok());
  }

  // One document of `chunks` chunks with distinct texts; `reject` of them carry the reject marker.
  void Ingest(int chunks, int reject = 0) {
    storage::DocumentUpdate u;
    u.document.name = "doc";
    u.document.source_path = "/src/doc";
    uint64_t offset = 0;
    for (int i = 0; i < chunks; ++i) {
      format::ChunkRecord c;
      c.text = "chunk number " + std::to_string(i) + " about tides and moons" +
               (i < reject ? " <reject>" : "");
      c.text_hash = format::Xxh3(c.text);
      c.byte_offset = offset;
      offset += c.text.size();
      u.chunks.push_back(std::move(c));
    }
    u.document.size_bytes = offset;
    u.document.content_hash = format::Xxh3("doc" + std::to_string(chunks));
    ASSERT_TRUE(store_->Ingest(std::span<const storage::DocumentUpdate>(&u, 1)).ok());
  }

  ProcessorOptions Options(size_t batch_size) {
    ProcessorOptions o;
    o.batch_size = batch_size;
    return o;
  }

  // Every chunk's state and attempts.
  std::vector<format::ChunkRecord> Chunks() {
    std::vector<format::ChunkRecord> out;
    EXPECT_TRUE(store_
                    ->ForEachChunk([&out](format::ChunkId, const format::ChunkRecord& c) {
                      out.push_back(c);
                      return Status::OK();
                    })
                    .ok());
    return out;
  }

  roxi::testing::TempDir dir_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<RecordingEmbedder> embedder_;
};

TEST_F(ProcessorTest, RunEmbedsEveryChunkExactlyOnce) {
  Ingest(100);
  Processor processor(store_.get(), embedder_.get(), Options(8));
  uint64_t reported = 0;
  uint64_t batches = 0;
  auto run = processor.Run([&](const BatchReport& batch, const format::CountersRecord& counters) {
    ++batches;
    reported += batch.embedded;
    // Reports come in commit order, so the store already holds everything reported so far (and
    // perhaps the next batch).
    EXPECT_GE(counters.embedded, reported);
  });
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->embedded, 100u);
  EXPECT_EQ(run->batches, 13u);  // 12 of 8, one of 4
  EXPECT_EQ(batches, 13u);
  EXPECT_FALSE(run->stopped);
  EXPECT_EQ(store_->GetCounters().embedded, 100u);
  EXPECT_EQ(store_->GetCounters().pending, 0u);
  ASSERT_EQ(embedder_->seen().size(), 100u);
  for (const auto& [text, times] : embedder_->seen()) EXPECT_EQ(times, 1) << text;
  for (const auto& c : Chunks()) EXPECT_EQ(c.state, ChunkState::kEmbedded);
}

TEST_F(ProcessorTest, CallsAnEmbedderOneAtATimeUnlessItAllowsMore) {
  Ingest(64);
  Processor processor(store_.get(), embedder_.get(), Options(8));
  auto run = processor.Run();
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->embedded, 64u);
  EXPECT_EQ(embedder_->max_active(), 1);
}

TEST_F(ProcessorTest, EmbedsTwoBatchesAtOnceWhenTheEmbedderAllowsIt) {
  Ingest(64);
  RecordingEmbedder concurrent(/*concurrent=*/true);
  concurrent.HoldFirstCall();
  Processor processor(store_.get(), &concurrent, Options(8));
  auto run = processor.Run();
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_TRUE(concurrent.overlapped());
  EXPECT_EQ(concurrent.max_active(), 2);
  EXPECT_EQ(run->embedded, 64u);
  EXPECT_EQ(run->batches, 8u);
  for (const auto& [text, times] : concurrent.seen()) EXPECT_EQ(times, 1) << text;
  EXPECT_EQ(store_->GetCounters().pending, 0u);
}

TEST_F(ProcessorTest, ChargesEachRejectionOnceEvenWhenTheQueueWrapsAround) {
  // 3 rejected chunks in a queue shorter than two batches: the next batch wraps around onto the
  // batch being committed, whose chunks must wait for their attempt to be recorded.
  Ingest(10, /*reject=*/3);
  ProcessorOptions options = Options(8);
  options.max_attempts = 3;
  Processor processor(store_.get(), embedder_.get(), options);
  auto run = processor.Run();
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->embedded, 7u);
  EXPECT_EQ(run->failed, 3u);
  EXPECT_EQ(run->rejected, 9u);
  for (const auto& [text, times] : embedder_->seen()) {
    EXPECT_EQ(times, text.find("<reject>") != std::string::npos ? 3 : 1) << text;
  }
  int failed = 0;
  for (const auto& c : Chunks()) {
    if (c.state == ChunkState::kFailed) {
      ++failed;
      EXPECT_EQ(c.attempts, 3u);
    }
  }
  EXPECT_EQ(failed, 3);
  EXPECT_EQ(store_->GetCounters().pending, 0u);
}

TEST_F(ProcessorTest, StopsWithinOneBatchOfTheTarget) {
  Ingest(100);
  ProcessorOptions options = Options(8);
  options.target = 0.5;
  Processor processor(store_.get(), embedder_.get(), options);
  auto run = processor.Run();
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_TRUE(run->reached_target);
  const auto counters = store_->GetCounters();
  EXPECT_GE(counters.embedded, 50u);
  EXPECT_LT(counters.embedded, 50u + 8u);
  EXPECT_EQ(counters.embedded, run->embedded);
}

// Regression test: the last batch was not trimmed, so a run overshot its target by up to a batch.
TEST_F(ProcessorTest, StopsExactlyAtTheTargetWhateverTheBatchSize) {
  Ingest(100);
  ProcessorOptions options = Options(8);
  options.target = 0.45;
  Processor processor(store_.get(), embedder_.get(), options);
  auto run = processor.Run();
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_TRUE(run->reached_target);
  EXPECT_EQ(store_->GetCounters().embedded, 45u);

  // RunBatch, as the daemon drives it, trims the same way, and stops at the target.
  options.target = 0.5;
  Processor daemon_like(store_.get(), embedder_.get(), options);
  auto first = daemon_like.RunBatch();
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->selected, 5u);
  auto none = daemon_like.RunBatch();
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->selected, 0u);
  EXPECT_EQ(store_->GetCounters().embedded, 50u);
}

TEST(ChunksToTargetTest, IsTheFewestChunksThatReachTheTarget) {
  auto counters = [](uint64_t chunks, uint64_t embedded, uint64_t failed) {
    format::CountersRecord c;
    c.chunks = chunks;
    c.embedded = embedded;
    c.failed = failed;
    c.pending = chunks - embedded - failed;
    return c;
  };
  EXPECT_EQ(ChunksToTarget(counters(1000, 0, 0), 0.10), 100u);
  EXPECT_EQ(ChunksToTarget(counters(1001, 0, 0), 0.10), 101u);  // 100 would be 9.99 %
  EXPECT_EQ(ChunksToTarget(counters(1000, 60, 30), 0.10), 10u);  // failed chunks count as done
  EXPECT_EQ(ChunksToTarget(counters(1000, 100, 0), 0.10), 0u);
  EXPECT_EQ(ChunksToTarget(counters(1000, 0, 0), 1.0), 1000u);
  EXPECT_EQ(ChunksToTarget(counters(3, 0, 0), 1.0 / 3.0), 1u);
  EXPECT_EQ(ChunksToTarget(counters(7, 2, 0), 0.5), 2u);
  EXPECT_EQ(ChunksToTarget(counters(0, 0, 0), 0.5), 0u);
  for (uint64_t chunks : {1u, 7u, 99u, 1000u, 12345u}) {
    for (double target : {0.01, 0.1, 0.256, 1.0 / 3.0, 0.5, 0.999, 1.0}) {
      const uint64_t n = ChunksToTarget(counters(chunks, 0, 0), target);
      format::CountersRecord at = counters(chunks, n, 0);
      EXPECT_GE(DoneFraction(at), target) << chunks << " " << target;
      if (n > 0) {
        EXPECT_LT(DoneFraction(counters(chunks, n - 1, 0)), target) << chunks << " " << target;
      }
    }
  }
}

TEST_F(ProcessorTest, StopFinishesTheBatchesInFlightAndStartsNoOther) {
  Ingest(100);
  Processor processor(store_.get(), embedder_.get(), Options(8));
  auto run = processor.Run(
      [&](const BatchReport&, const format::CountersRecord&) { processor.Stop(); });
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_TRUE(run->stopped);
  // The first report stops it; a second batch may already be in flight, and is committed.
  EXPECT_GE(run->batches, 1u);
  EXPECT_LE(run->batches, 2u);
  EXPECT_EQ(store_->GetCounters().embedded, 8 * run->batches);
  EXPECT_EQ(embedder_->calls(), static_cast<int>(run->batches));
}

TEST_F(ProcessorTest, OutageEndsRunAfterCommittingTheBatchInFlight) {
  Ingest(40);
  embedder_->FailCall(3);
  Processor processor(store_.get(), embedder_.get(), Options(8));
  uint64_t reports = 0;
  auto run = processor.Run([&](const BatchReport&, const format::CountersRecord&) { ++reports; });
  ASSERT_TRUE(run.status().IsUnavailable()) << run.status().ToString();
  EXPECT_EQ(reports, 2u);
  EXPECT_EQ(store_->GetCounters().embedded, 16u);
  EXPECT_EQ(store_->GetCounters().pending, 24u);
  for (const auto& c : Chunks()) EXPECT_EQ(c.attempts, 0u);
}

TEST_F(ProcessorTest, OutageCallbackRetriesTheSameBatchWithoutChargingAttempts) {
  Ingest(40);
  embedder_->FailCall(2);
  embedder_->FailCall(3);
  Processor processor(store_.get(), embedder_.get(), Options(8));
  std::vector<std::string> outages;
  auto run = processor.Run({}, [&](const Status& error) {
    outages.push_back(error.ToString());
    return Status::OK();
  });
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  // Call 3 either retried batch 2 or was a third batch started before batch 2's failure was
  // seen (then dropped uncommitted): one or two outages.
  ASSERT_GE(outages.size(), 1u);
  EXPECT_LE(outages.size(), 2u);
  EXPECT_NE(outages[0].find("outage on call 2"), std::string::npos) << outages[0];
  EXPECT_EQ(run->embedded, 40u);
  EXPECT_EQ(run->batches, 5u);
  for (const auto& c : Chunks()) {
    EXPECT_EQ(c.state, ChunkState::kEmbedded);
    EXPECT_EQ(c.attempts, 0u);
  }
}

TEST_F(ProcessorTest, OutageCallbackErrorEndsRun) {
  Ingest(40);
  embedder_->FailCall(1);
  Processor processor(store_.get(), embedder_.get(), Options(8));
  auto run = processor.Run({}, [](const Status&) { return Status::Aborted("test", "give up"); });
  EXPECT_TRUE(run.status().IsAborted()) << run.status().ToString();
  EXPECT_EQ(store_->GetCounters().embedded, 0u);
  EXPECT_EQ(store_->GetCounters().pending, 40u);
}

TEST_F(ProcessorTest, RunBatchCommitsOneBatchAtATime) {
  Ingest(10);
  Processor processor(store_.get(), embedder_.get(), Options(8));
  auto first = processor.RunBatch();
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->selected, 8u);
  EXPECT_EQ(first->embedded, 8u);
  EXPECT_EQ(store_->GetCounters().embedded, 8u);
  auto second = processor.RunBatch();
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->embedded, 2u);
  auto empty = processor.RunBatch();
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->selected, 0u);
}

}  // namespace
}  // namespace roxi::processor
