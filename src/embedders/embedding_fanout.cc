#include "src/embedders/embedding_fanout.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <thread>

#include "format/dcheck.h"
#include "format/thread_annotations.h"

namespace roxi::embedders {

// One Run in progress.
struct EmbeddingFanout::Call {
  std::span<const std::string_view> inputs;
  uint32_t dim = 0;
  std::vector<float>* vectors = nullptr;
  std::vector<Status>* input_status = nullptr;
  // Tasks of this call queued or running; the call is over at 0. Guarded by the fanout's mu_.
  size_t outstanding = 0;
  // The first batch failure. Guarded by the fanout's mu_.
  Status failure;
  // Set on the first failure: running requests give up before their next attempt.
  std::atomic<bool> cancel{false};
};

std::vector<InputRange> PlanBatches(std::span<const std::string_view> inputs, size_t max_inputs,
                                    size_t max_bytes) {
  ROXI_DCHECK(max_inputs >= 1);
  std::vector<InputRange> batches;
  size_t begin = 0;
  size_t bytes = 0;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const bool full =
        i - begin == max_inputs || (i > begin && bytes + inputs[i].size() > max_bytes);
    if (full) {
      batches.push_back({begin, i});
      begin = i;
      bytes = 0;
    }
    bytes += inputs[i].size();
  }
  if (begin < inputs.size()) batches.push_back({begin, inputs.size()});
  return batches;
}

EmbeddingFanout::EmbeddingFanout(const EmbeddingEndpoint& endpoint, std::span<HttpClient> clients,
                                 std::span<std::mt19937_64> rngs)
    : endpoint_(endpoint) {
  ROXI_DCHECK(!clients.empty() && rngs.size() == clients.size());
  workers_.reserve(clients.size());
  for (size_t w = 0; w < clients.size(); ++w) {
    workers_.emplace_back([this, client = &clients[w], rng = &rngs[w]] { Work(client, rng); });
  }
}

EmbeddingFanout::~EmbeddingFanout() {
  {
    MutexLock lock(&mu_);
    stopping_ = true;
  }
  work_cv_.notify_all();
  workers_.clear();  // joins
}

Status EmbeddingFanout::Run(std::span<const std::string_view> inputs,
                            const std::vector<InputRange>& batches, uint32_t dim,
                            std::vector<float>* vectors, std::vector<Status>* input_status)
    ROXI_NO_THREAD_SAFETY_ANALYSIS {
  ROXI_DCHECK(dim >= 1);
  vectors->assign(inputs.size() * dim, 0.0f);
  input_status->assign(inputs.size(), Status::OK());
  if (batches.empty()) return Status::OK();
  Call call;
  call.inputs = inputs;
  call.dim = dim;
  call.vectors = vectors;
  call.input_status = input_status;
  {
    MutexLock lock(&mu_);
    for (const InputRange& batch : batches) queue_.push_back({&call, batch});
    call.outstanding = batches.size();
  }
  work_cv_.notify_all();
  // The analysis cannot follow a condition variable waiting on mu_.native(); mu_ is held wherever
  // guarded fields are touched.
  std::unique_lock<std::mutex> lock(mu_.native());
  done_cv_.wait(lock, [&call] { return call.outstanding == 0; });
  return call.failure;
}

void EmbeddingFanout::Work(HttpClient* client, std::mt19937_64* rng)
    ROXI_NO_THREAD_SAFETY_ANALYSIS {
  while (true) {
    Task task;
    {
      std::unique_lock<std::mutex> lock(mu_.native());
      work_cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping
      task = queue_.front();
      queue_.pop_front();
    }
    std::vector<InputRange> halves;
    Status failure;
    if (!task.call->cancel.load()) {
      try {
        Process(task, client, rng, &halves, &failure);
      } catch (const std::exception& e) {
        failure = Status::Internal(endpoint_.name(), std::string("worker failed: ") + e.what());
      } catch (...) {
        failure = Status::Internal(endpoint_.name(), "worker failed");
      }
    }
    Call* const call = task.call;
    bool over = false;
    {
      MutexLock lock(&mu_);
      if (!failure.ok()) {
        if (call->failure.ok()) call->failure = std::move(failure);
        call->cancel.store(true);
        const size_t before = queue_.size();
        std::erase_if(queue_, [call](const Task& t) { return t.call == call; });
        call->outstanding -= before - queue_.size();
      } else if (!halves.empty() && !call->cancel.load()) {
        // At the front: this call's remaining work goes before later calls'.
        for (auto it = halves.rbegin(); it != halves.rend(); ++it) queue_.push_front({call, *it});
        call->outstanding += halves.size();
      }
      // Invariant: after this, `call` may be gone once outstanding is 0 (its Run returns).
      over = --call->outstanding == 0;
    }
    if (!halves.empty()) work_cv_.notify_all();
    if (over) done_cv_.notify_all();
  }
}

void EmbeddingFanout::Process(const Task& task, HttpClient* client, std::mt19937_64* rng,
                              std::vector<InputRange>* halves, Status* failure) {
  const Call& call = *task.call;
  const InputRange batch = task.batch;
  const std::span<const std::string_view> texts =
      call.inputs.subspan(batch.begin, batch.end - batch.begin);
  std::vector<float> out;
  SendOutcome outcome = endpoint_.Send(client, texts, call.dim, &out, rng, &call.cancel);
  switch (outcome.kind) {
    case SendOutcome::Kind::kEmbedded:
      ROXI_DCHECK(out.size() == texts.size() * call.dim);
      // Invariant: batches never overlap, so workers write disjoint rows without a lock.
      std::copy(out.begin(), out.end(), call.vectors->begin() + batch.begin * call.dim);
      return;
    case SendOutcome::Kind::kRejected:
      if (texts.size() == 1) {
        (*call.input_status)[batch.begin] = std::move(outcome.status);
        return;
      }
      halves->push_back({batch.begin, batch.begin + texts.size() / 2});
      halves->push_back({batch.begin + texts.size() / 2, batch.end});
      return;
    case SendOutcome::Kind::kFailed:
      *failure = std::move(outcome.status);
      return;
  }
}

}  // namespace roxi::embedders
