#include "src/processor/reembedder.h"

#include <cmath>
#include <string_view>
#include <vector>

#include "format/vector_record.h"
#include "src/common/log.h"
#include "src/common/test_hook.h"
#include "src/processor/embed_plan.h"
#include "src/embedders/embedder_identity.h"

namespace roxi::processor {

Status ValidateReembedOptions(const ReembedOptions& options) {
  if (options.batch_size == 0 || options.batch_size > 65536) {
    return Status::InvalidArgument("batch size " + std::to_string(options.batch_size),
                                   "want 1 to 65536");
  }
  if (options.max_scanned < options.batch_size) {
    return Status::InvalidArgument("re-embed scan limit", "want at least the batch size");
  }
  return Status::OK();
}

Result<ReembedProgress> GetReembedProgress(const storage::Store& store) {
  ROXI_ASSIGN_OR_RETURN(format::ReembedRecord record, store.GetReembed());
  ReembedProgress progress;
  progress.total = store.GetCounters().embedded;
  progress.done = std::min(record.staged, progress.total);
  return progress;
}

Reembedder::Reembedder(storage::Store* store, embedders::Embedder* target, ReembedOptions options,
                       const common::Clock& clock)
    : store_(store),
      target_(target),
      options_(options),
      clock_(clock),
      identity_(embedders::IdentityOf(target->info())) {}

Status Reembedder::Start() {
  ROXI_RETURN_IF_ERROR(ValidateReembedOptions(options_));
  ROXI_RETURN_IF_ERROR(store_->StartReembed(identity_));
  ROXI_ASSIGN_OR_RETURN(format::ReembedRecord record, store_->GetReembed());
  if (record.cursor != 0) cursor_ = format::ChunkId{record.cursor};
  common::LogInfo("re-embed started", {{"target", identity_.id},
                                       {"resumed_after", record.cursor == 0
                                                             ? std::string("start")
                                                             : format::DescribeChunk(*cursor_)}});
  return Status::OK();
}

Result<ReembedBatchReport> Reembedder::RunBatch() {
  const uint64_t start = clock_.MonotonicMicros();
  ReembedBatchReport report;
  ROXI_ASSIGN_OR_RETURN(storage::ReembedWork work,
                        store_->ReadReembedWork(cursor_, options_.batch_size, options_.max_scanned));
  report.selected = work.chunks.size();

  const uint32_t dim = identity_.dim;
  storage::StagingCommit commit;
  if (!work.chunks.empty()) {
    // Repeated text in the batch is sent once (the staging family has no text index, so only
    // the batch itself is searched for copies).
    ROXI_ASSIGN_OR_RETURN(EmbedPlan plan,
                          PlanEmbedding(*store_, identity_.fingerprint, work.chunks));
    std::vector<float> vectors(plan.inputs.size() * dim);
    std::vector<Status> item_status;
    if (!plan.inputs.empty()) {
      ROXI_RETURN_IF_ERROR(
          target_->Embed(plan.inputs, vectors, &item_status)
              .WithContext("re-embed batch of " + std::to_string(plan.inputs.size())));
    }
    if (item_status.size() != plan.inputs.size()) {
      return Status::Internal("embedder " + identity_.id, "returned the wrong number of statuses");
    }
    for (size_t i = 0; i < work.chunks.size(); ++i) {
      const auto& chunk = work.chunks[i];
      if (plan.stored[i]) {
        commit.staged.push_back({chunk.id, chunk.record.text_hash, std::move(*plan.stored[i]),
                                 /*reused=*/true});
        continue;
      }
      const float* row = vectors.data() + plan.input_of[i] * dim;
      Status item = item_status[plan.input_of[i]];
      for (uint32_t d = 0; item.ok() && d < dim; ++d) {
        if (!std::isfinite(row[d])) {
          item = Status::Internal("embedder " + identity_.id, "produced a non-finite value");
        }
      }
      if (!item.ok()) {
        ++report.rejected;
        last_rejection_ = format::DescribeChunk(chunk.id) + ": " + item.ToString();
        common::LogWarn("re-embed: chunk rejected", {{"chunk", format::DescribeChunk(chunk.id)},
                                                     {"error", item}});
        continue;
      }
      storage::EmbeddedChunk e;
      e.id = chunk.id;
      e.text_hash = chunk.record.text_hash;
      format::EncodeVectorRecordFromFloats(identity_.fingerprint, e.text_hash, row, dim,
                                           &e.vector_value);
      commit.staged.push_back(std::move(e));
    }
  }
  commit.cursor = work.scanned_to;
  if (!commit.staged.empty() || work.scanned_to != cursor_) {
    ROXI_TEST_HOOK("reembed:before_commit");
    ROXI_ASSIGN_OR_RETURN(storage::StagingCommitSummary summary, store_->CommitStaging(commit));
    ROXI_TEST_HOOK("reembed:after_commit");
    report.staged = summary.staged.size();
    report.stale = summary.stale;
  }
  cursor_ = work.scanned_to;
  staged_this_pass_ += report.staged;
  rejected_this_pass_ += report.rejected;

  if (work.reached_end) {
    report.pass_ended = true;
    ROXI_TEST_HOOK("reembed:before_swap");
    ROXI_ASSIGN_OR_RETURN(storage::ReembedSwap swap, store_->TrySwapVectors());
    report.swapped = swap.swapped;
    report.missing = swap.missing;
    if (swap.swapped) {
      common::LogInfo("re-embed complete", {{"embedder", identity_.id},
                                            {"vectors", swap.vectors},
                                            {"dropped_staging", swap.dropped_staging}});
    } else {
      common::LogInfo("re-embed pass ended", {{"missing", swap.missing},
                                              {"staged", staged_this_pass_}});
      if (staged_this_pass_ == 0 && rejected_this_pass_ > 0) {
        return Status::Unavailable("re-embed with " + identity_.id,
                               std::to_string(rejected_this_pass_) +
                                   " chunk(s) rejected by the new embedder, so the re-embed cannot "
                                   "complete (" + last_rejection_ +
                                   "); fix or remove them and run it again, or cancel it");
      }
      cursor_.reset();
      staged_this_pass_ = 0;
      rejected_this_pass_ = 0;
    }
  }
  report.micros = clock_.MonotonicMicros() - start;
  return report;
}

Result<ReembedRunReport> Reembedder::Run(
    const std::function<void(const ReembedBatchReport&)>& on_batch) {
  ReembedRunReport run;
  const uint64_t start = clock_.MonotonicMicros();
  while (!stop_.load()) {
    ROXI_ASSIGN_OR_RETURN(ReembedBatchReport batch, RunBatch());
    ++run.batches;
    run.staged += batch.staged;
    run.rejected += batch.rejected;
    if (batch.pass_ended) ++run.passes;
    if (on_batch) on_batch(batch);
    if (batch.swapped) {
      run.swapped = true;
      run.vectors = store_->GetCounters().embedded;
      break;
    }
  }
  run.stopped = !run.swapped && stop_.load();
  run.micros = clock_.MonotonicMicros() - start;
  return run;
}

}  // namespace roxi::processor
