#include "src/processor/processor.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <memory>
#include <thread>
#include <cstdlib>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "format/hash.h"
#include "format/vector_record.h"
#include "src/common/log.h"
#include "src/common/test_hook.h"

namespace roxi::processor {

using format::ChunkId;

Status ValidateProcessorOptions(const ProcessorOptions& options) {
  if (options.batch_size == 0 || options.batch_size > 65536) {
    return Status::InvalidArgument("batch size " + std::to_string(options.batch_size),
                                   "want 1 to 65536");
  }
  if (!(options.target > 0.0 && options.target <= 1.0)) {
    return Status::InvalidArgument("target", "want a fraction in (0%, 100%]");
  }
  if (options.max_attempts == 0) return Status::InvalidArgument("max attempts", "want at least 1");
  if (options.name.empty() || options.name.size() > format::kMaxCheckpointNameBytes) {
    return Status::InvalidArgument("processor name", "want 1 to 128 bytes");
  }
  return Status::OK();
}

Result<double> ParseTarget(std::string_view text) {
  const Status bad = Status::InvalidArgument(
      "--target " + std::string(text), "want a percentage such as 50% or a fraction in (0, 1]");
  if (text.empty()) return bad;
  const bool percent = text.back() == '%';
  const std::string number(percent ? text.substr(0, text.size() - 1) : text);
  char* end = nullptr;
  double value = std::strtod(number.c_str(), &end);
  if (number.empty() || end != number.c_str() + number.size()) return bad;
  if (percent) value /= 100.0;
  if (!(value > 0.0 && value <= 1.0)) return bad;
  return value;
}

double DoneFraction(const format::CountersRecord& c) {
  if (c.chunks == 0) return 1.0;
  return static_cast<double>(c.embedded + c.failed) / static_cast<double>(c.chunks);
}

Processor::Processor(storage::Store* store, embedders::Embedder* embedder,
                     ProcessorOptions options, const common::Clock& clock)
    : store_(store),
      embedder_(embedder),
      options_(std::move(options)),
      clock_(clock),
      model_(format::Xxh3(embedder->info().id)) {}

Result<std::vector<storage::PendingChunk>> Processor::Select(std::span<const ChunkId> in_flight) {
  ROXI_ASSIGN_OR_RETURN(std::vector<storage::PendingChunk> batch,
                        store_->ReadPending(cursor_, options_.batch_size));
  if (!in_flight.empty()) {
    // The queue wraps around: once every other pending chunk is taken, the batch being committed
    // comes round again. Those chunks wait for their commit (embedded, or attempt recorded).
    std::erase_if(batch, [in_flight](const storage::PendingChunk& chunk) {
      return std::binary_search(in_flight.begin(), in_flight.end(), chunk.id);
    });
  }
  if (!batch.empty()) cursor_ = batch.back().id;
  return batch;
}

Result<Processor::EmbeddedBatch> Processor::Embed(const std::vector<storage::PendingChunk>& batch,
                                                  uint64_t start_micros) {
  EmbeddedBatch out;
  out.start_micros = start_micros;
  out.report.selected = batch.size();
  const uint32_t dim = embedder_->info().dim;
  std::vector<std::string_view> texts;
  texts.reserve(batch.size());
  for (const auto& chunk : batch) texts.emplace_back(chunk.record.text);
  std::vector<float> vectors(batch.size() * dim);
  std::vector<Status> item_status;
  ROXI_RETURN_IF_ERROR(embedder_->Embed(texts, vectors, &item_status)
                           .WithContext("embed batch of " + std::to_string(batch.size())));
  if (item_status.size() != batch.size()) {
    return Status::Internal("embedder " + embedder_->info().id, "returned the wrong number of statuses");
  }

  storage::EmbeddingCommit& commit = out.commit;
  commit.processor = options_.name;
  for (size_t i = 0; i < batch.size(); ++i) {
    const auto& chunk = batch[i];
    const float* row = vectors.data() + i * dim;
    Status item = std::move(item_status[i]);
    if (item.ok()) {
      for (uint32_t d = 0; d < dim; ++d) {
        if (!std::isfinite(row[d])) {
          item = Status::Internal("embedder " + embedder_->info().id, "produced a non-finite value");
          break;
        }
      }
    }
    if (!item.ok()) {
      const bool give_up = chunk.record.attempts + 1 >= options_.max_attempts;
      common::LogWarn("chunk rejected", {{"chunk", format::DescribeChunk(chunk.id)},
                                         {"attempt", chunk.record.attempts + 1},
                                         {"give_up", give_up ? "yes" : "no"},
                                         {"error", item}});
      commit.rejected.push_back({chunk.id, chunk.record.text_hash, item.ToString(), give_up});
      continue;
    }
    storage::EmbeddedChunk e;
    e.id = chunk.id;
    e.text_hash = chunk.record.text_hash;
    format::EncodeVectorRecordFromFloats(model_, e.text_hash, row, dim, &e.vector_value);
    commit.embedded.push_back(std::move(e));
  }
  commit.batch_micros = clock_.MonotonicMicros() - start_micros;
  return out;
}

Result<BatchReport> Processor::CommitAndVerify(const EmbeddedBatch& batch) const {
  ROXI_TEST_HOOK("processor:before_commit");
  ROXI_ASSIGN_OR_RETURN(storage::CommitSummary summary, store_->CommitEmbeddings(batch.commit));
  ROXI_TEST_HOOK("processor:after_write");

  // Verify: the committed vectors read back intact, each with the hash of the text it embedded.
  std::unordered_map<ChunkId, uint64_t> text_hash_of;
  for (const auto& e : batch.commit.embedded) text_hash_of.emplace(e.id, e.text_hash);
  ROXI_RETURN_IF_ERROR(VerifyCommitted(summary.embedded, text_hash_of));

  BatchReport report = batch.report;
  report.embedded = summary.embedded.size();
  report.rejected = summary.rejected;
  report.failed = summary.failed;
  report.stale = summary.stale;
  report.micros = clock_.MonotonicMicros() - batch.start_micros;
  common::LogDebug("batch committed", {{"selected", uint64_t{report.selected}},
                                       {"embedded", uint64_t{report.embedded}},
                                       {"rejected", uint64_t{report.rejected}},
                                       {"stale", uint64_t{report.stale}},
                                       {"ms", static_cast<double>(report.micros) / 1000.0}});
  return report;
}

Result<BatchReport> Processor::RunBatch() {
  const uint64_t start = clock_.MonotonicMicros();
  ROXI_ASSIGN_OR_RETURN(std::vector<storage::PendingChunk> batch, Select({}));
  if (batch.empty()) return BatchReport{};
  ROXI_ASSIGN_OR_RETURN(EmbeddedBatch embedded, Embed(batch, start));
  return CommitAndVerify(embedded);
}

Status Processor::VerifyCommitted(
    std::span<const ChunkId> ids, const std::unordered_map<ChunkId, uint64_t>& text_hash_of) const {
  const uint32_t dim = embedder_->info().dim;
  auto vectors = store_->MultiGetVectors(ids);
  for (size_t i = 0; i < ids.size(); ++i) {
    const std::string where = "verify " + format::DescribeChunk(ids[i]);
    if (!vectors[i].ok()) return vectors[i].status().WithContext(where);
    const format::VectorRecord& v = *vectors[i];
    if (v.model != model_ || v.halfs.size() != dim || v.text_hash != text_hash_of.at(ids[i])) {
      return Status::Corruption(where, "vector read back does not match what was written");
    }
  }
  return Status::OK();
}

namespace {

// One batch's commit, running on its own thread while the next batch is embedded.
struct CommitInFlight {
  std::vector<ChunkId> ids;  // sorted
  uint64_t selected = 0;
  Result<BatchReport> result = Status::Internal("processor", "commit did not run");
  std::jthread thread;  // last: joined before the fields above are destroyed
};

}  // namespace

Result<RunReport> Processor::Run(const BatchCallback& on_batch, const OutageCallback& on_outage) {
  ROXI_RETURN_IF_ERROR(ValidateProcessorOptions(options_));
  RunReport run;
  const uint64_t start = clock_.MonotonicMicros();
  std::unique_ptr<CommitInFlight> committing;
  // Waits for the commit under way, if any, and reports it.
  const auto finish_commit = [&]() -> Status {
    if (!committing) return Status::OK();
    committing->thread.join();
    Result<BatchReport> batch = std::move(committing->result);
    committing.reset();
    if (!batch.ok()) return batch.status();
    ++run.batches;
    run.embedded += batch->embedded;
    run.rejected += batch->rejected;
    run.failed += batch->failed;
    if (on_batch) on_batch(*batch, store_->GetCounters());
    return Status::OK();
  };
  // An error of a later stage is reported only after the earlier batch's commit is settled, and
  // that commit's own error comes first.
  const auto fail = [&](const Status& error) -> Status {
    Status earlier = finish_commit();
    return earlier.ok() ? error : earlier;
  };

  while (!stop_.load()) {
    if (options_.target < 1.0) {
      // Counts the batch being committed as done, so the run stops within one batch of the target.
      const format::CountersRecord c = store_->GetCounters();
      const uint64_t in_flight = committing ? committing->selected : 0;
      const double projected =
          c.chunks == 0 ? 1.0
                        : static_cast<double>(c.embedded + c.failed + in_flight) /
                              static_cast<double>(c.chunks);
      if (projected >= options_.target) {
        if (!committing) {
          run.reached_target = true;
          break;
        }
        ROXI_RETURN_IF_ERROR(finish_commit());
        continue;
      }
    }
    const uint64_t batch_start = clock_.MonotonicMicros();
    const std::optional<ChunkId> cursor_before = cursor_;
    Result<std::vector<storage::PendingChunk>> selected =
        Select(committing ? std::span<const ChunkId>(committing->ids) : std::span<const ChunkId>());
    if (!selected.ok()) return fail(selected.status());
    if (selected->empty()) {
      if (!committing) break;  // nothing pending
      ROXI_RETURN_IF_ERROR(finish_commit());  // its rejected chunks may be pending again
      continue;
    }
    Result<EmbeddedBatch> embedded = Embed(*selected, batch_start);
    if (!embedded.ok()) {
      cursor_ = cursor_before;  // the same chunks come first when the batch is tried again
      ROXI_RETURN_IF_ERROR(finish_commit());
      const Status& error = embedded.status();
      if (!on_outage || !(error.IsUnavailable() || error.IsTimedOut())) return error;
      ROXI_RETURN_IF_ERROR(on_outage(error));
      continue;
    }
    // Invariant: commits run one at a time, in batch order.
    ROXI_RETURN_IF_ERROR(finish_commit());
    auto next = std::make_unique<CommitInFlight>();
    next->selected = selected->size();
    for (const auto& chunk : *selected) next->ids.push_back(chunk.id);
    std::sort(next->ids.begin(), next->ids.end());
    next->thread = std::jthread([this, c = next.get(), batch = std::move(embedded).value()] {
      try {
        c->result = CommitAndVerify(batch);
      } catch (const std::exception& e) {
        c->result = Status::Internal("processor", std::string("commit failed: ") + e.what());
      } catch (...) {
        c->result = Status::Internal("processor", "commit failed");
      }
    });
    committing = std::move(next);
  }
  ROXI_RETURN_IF_ERROR(finish_commit());
  run.stopped = stop_.load();
  run.micros = clock_.MonotonicMicros() - start;
  return run;
}

}  // namespace roxi::processor
