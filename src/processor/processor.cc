#include "src/processor/processor.h"

#include <cmath>
#include <cstdlib>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "format/hash.h"
#include "format/vector_record.h"
#include "src/common/log.h"
#include "src/common/test_hook.h"
#include "src/processor/embed_plan.h"

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

Result<BatchReport> Processor::RunBatch() {
  const uint64_t start = clock_.MonotonicMicros();
  BatchReport report;
  ROXI_ASSIGN_OR_RETURN(std::vector<storage::PendingChunk> batch,
                        store_->ReadPending(cursor_, options_.batch_size));
  report.selected = batch.size();
  if (batch.empty()) return report;
  cursor_ = batch.back().id;

  const uint32_t dim = embedder_->info().dim;
  // Only text with no vector anywhere in the store, once per batch, goes to the embedder.
  ROXI_ASSIGN_OR_RETURN(EmbedPlan plan, PlanEmbedding(*store_, model_, batch));
  std::vector<float> vectors(plan.inputs.size() * dim);
  std::vector<Status> item_status;
  if (!plan.inputs.empty()) {
    ROXI_RETURN_IF_ERROR(embedder_->Embed(plan.inputs, vectors, &item_status)
                             .WithContext("embed batch of " + std::to_string(plan.inputs.size())));
  }
  if (item_status.size() != plan.inputs.size()) {
    return Status::Internal("embedder " + embedder_->info().id, "returned the wrong number of statuses");
  }

  storage::EmbeddingCommit commit;
  commit.processor = options_.name;
  for (size_t i = 0; i < batch.size(); ++i) {
    const auto& chunk = batch[i];
    if (plan.stored[i]) {
      commit.embedded.push_back({chunk.id, chunk.record.text_hash, std::move(*plan.stored[i]),
                                 /*reused=*/true});
      continue;
    }
    const size_t input = plan.input_of[i];
    const float* row = vectors.data() + input * dim;
    Status item = item_status[input];
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
    e.reused = plan.reused[i];
    format::EncodeVectorRecordFromFloats(model_, e.text_hash, row, dim, &e.vector_value);
    commit.embedded.push_back(std::move(e));
  }
  commit.batch_micros = clock_.MonotonicMicros() - start;

  ROXI_TEST_HOOK("processor:before_commit");
  ROXI_ASSIGN_OR_RETURN(storage::CommitSummary summary, store_->CommitEmbeddings(commit));
  ROXI_TEST_HOOK("processor:after_write");

  // Verify: the committed vectors read back intact, each with the hash of the text it embedded.
  std::unordered_map<ChunkId, uint64_t> text_hash_of;
  for (const auto& e : commit.embedded) text_hash_of.emplace(e.id, e.text_hash);
  ROXI_RETURN_IF_ERROR(VerifyCommitted(summary.embedded, text_hash_of));

  report.embedded = summary.embedded.size();
  report.rejected = summary.rejected;
  report.failed = summary.failed;
  report.stale = summary.stale;
  report.micros = clock_.MonotonicMicros() - start;
  common::LogDebug("batch committed", {{"selected", uint64_t{report.selected}},
                                       {"embedded", uint64_t{report.embedded}},
                                       {"rejected", uint64_t{report.rejected}},
                                       {"stale", uint64_t{report.stale}},
                                       {"ms", static_cast<double>(report.micros) / 1000.0}});
  return report;
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

Result<RunReport> Processor::Run(
    const std::function<void(const BatchReport&, const format::CountersRecord&)>& on_batch) {
  ROXI_RETURN_IF_ERROR(ValidateProcessorOptions(options_));
  RunReport run;
  const uint64_t start = clock_.MonotonicMicros();
  while (!stop_.load()) {
    if (DoneFraction(store_->GetCounters()) >= options_.target && options_.target < 1.0) {
      run.reached_target = true;
      break;
    }
    ROXI_ASSIGN_OR_RETURN(BatchReport batch, RunBatch());
    if (batch.selected == 0) break;
    ++run.batches;
    run.embedded += batch.embedded;
    run.rejected += batch.rejected;
    run.failed += batch.failed;
    if (on_batch) on_batch(batch, store_->GetCounters());
  }
  run.stopped = stop_.load();
  run.micros = clock_.MonotonicMicros() - start;
  return run;
}

}  // namespace roxi::processor
