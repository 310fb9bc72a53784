// Daemon's re-embed: started from an HTTP handler, driven one batch per turn by the loop thread,
// and finished by moving the processor, the queries and the index to the new embedder.
#include <algorithm>

#include "src/common/log.h"
#include "src/embedders/embedder_identity.h"
#include "src/server/daemon.h"

namespace roxi::server {

Status Daemon::StartReembed(std::unique_ptr<embedders::Embedder> target,
                            std::unique_ptr<embedders::Embedder> target_query, size_t batch_size) {
  auto job = std::make_shared<ReembedJob>();
  job->identity = embedders::IdentityOf(target->info());
  if (!(embedders::IdentityOf(target_query->info()) == job->identity)) {
    return Status::Internal("start re-embed", "the two target embedders differ");
  }
  {
    std::lock_guard lock(mu_);
    if (reembed_) {
      if (reembed_->identity == job->identity) return Status::OK();
      return Status::InvalidArgument("re-embed", "the server is re-embedding with '" +
                                                     reembed_->identity.id + "'");
    }
  }
  processor::ReembedOptions options;
  options.batch_size = batch_size;
  ROXI_RETURN_IF_ERROR(processor::ValidateReembedOptions(options));
  job->target = std::move(target);
  job->query = std::move(target_query);
  job->reembedder =
      std::make_unique<processor::Reembedder>(store_, job->target.get(), options, clock_);
  ROXI_RETURN_IF_ERROR(job->reembedder->Start());
  {
    std::lock_guard lock(mu_);
    reembed_ = std::move(job);
    wake_requested_ = true;
    deep_sleep_requested_ = false;
  }
  wake_cv_.notify_all();
  return Status::OK();
}

Status Daemon::CancelReembed() {
  {
    std::lock_guard lock(mu_);
    reembed_.reset();
  }
  return store_->CancelReembed();
}

Daemon::ReembedTurn Daemon::RunReembedTurn() {
  std::shared_ptr<ReembedJob> job;
  DaemonState state;
  {
    std::lock_guard lock(mu_);
    job = reembed_;
    state = state_;
  }
  if (!job) return ReembedTurn::kNone;
  if (state == DaemonState::kDeepSleep) LeaveDeepSleep();
  auto batch = job->reembedder->RunBatch();
  if (!batch.ok()) {
    const Status& error = batch.status();
    const bool outage = error.IsUnavailable() || error.IsTimedOut();
    (outage ? common::LogWarn : common::LogError)("re-embed batch failed", {{"error", error}});
    {
      std::lock_guard lock(mu_);
      last_error_ = "re-embed: " + error.ToString();
      // A store error is not retried in a loop: the re-embed stays in the store, and a new
      // request resumes it.
      if (!outage && reembed_ == job) reembed_.reset();
    }
    SetState(DaemonState::kBackoff, "re-embed: " + error.ToString());
    WaitFor(outage_backoff_.NextDelayMicros());
    return ReembedTurn::kRan;
  }
  outage_backoff_.Reset();
  last_activity_micros_ = clock_.MonotonicMicros();
  if (batch->swapped) {
    SwapToReembedTarget(job.get());
    return ReembedTurn::kSwapped;
  }
  SetState(DaemonState::kProcessing, "re-embedding");
  return ReembedTurn::kRan;
}

void Daemon::SwapToReembedTarget(ReembedJob* job) {
  {
    std::unique_lock swap_lock(embedder_swap_mu_);
    std::lock_guard query_lock(query_mu_);
    query_embedder_ = std::move(job->query);
    index_.SetEmbedder(job->identity);
  }
  // The loop's Processor still points at the old embedder: the generation bump below makes Loop
  // build a new one before its next batch, and nothing uses the old one in between.
  processing_embedder_ = std::move(job->target);
  {
    std::lock_guard lock(mu_);
    reembed_.reset();
    ++options_generation_;
    wake_requested_ = true;
  }
  common::LogInfo("re-embed swapped", {{"embedder", job->identity.id}});
}

}  // namespace roxi::server
