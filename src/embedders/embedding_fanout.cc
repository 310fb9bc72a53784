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

namespace {

// The state the workers of one Run share.
class Call {
 public:
  Call(const EmbeddingEndpoint& endpoint, std::span<const std::string_view> inputs, uint32_t dim,
       std::vector<float>* vectors, std::vector<Status>* input_status,
       const std::vector<InputRange>& batches)
      : endpoint_(endpoint),
        inputs_(inputs),
        dim_(dim),
        vectors_(vectors),
        input_status_(input_status),
        queue_(batches.begin(), batches.end()) {}

  // A worker's life: take batches until none are queued or running, or the call failed.
  void Work(HttpClient* client, std::mt19937_64* rng) {
    try {
      InputRange batch;
      while (Next(&batch)) {
        Process(batch, client, rng);
        Finish();
      }
    } catch (const std::exception& e) {
      Fail(Status::Internal(endpoint_.name(), std::string("worker failed: ") + e.what()));
    } catch (...) {
      Fail(Status::Internal(endpoint_.name(), "worker failed"));
    }
  }

  Status result() {
    MutexLock lock(&mu_);
    return failure_;
  }

 private:
  // Waits for a batch to take, or for the end: nothing queued and nothing running (no batch can
  // be split any more), or a failure.
  // The analysis cannot follow a condition variable waiting on mu_.native(); it is held wherever
  // guarded fields are touched below.
  bool Next(InputRange* batch) ROXI_NO_THREAD_SAFETY_ANALYSIS {
    std::unique_lock<std::mutex> lock(mu_.native());
    cv_.wait(lock, [this] { return cancel_.load() || !queue_.empty() || running_ == 0; });
    if (cancel_.load() || queue_.empty()) return false;
    *batch = queue_.front();
    queue_.pop_front();
    ++running_;
    return true;
  }

  void Finish() ROXI_EXCLUDES(mu_) {
    {
      MutexLock lock(&mu_);
      --running_;
    }
    cv_.notify_all();
  }

  void Push(InputRange batch) ROXI_EXCLUDES(mu_) {
    {
      MutexLock lock(&mu_);
      queue_.push_back(batch);
    }
    cv_.notify_all();
  }

  void Fail(Status status) ROXI_EXCLUDES(mu_) {
    {
      MutexLock lock(&mu_);
      if (failure_.ok()) failure_ = std::move(status);
      queue_.clear();
      cancel_.store(true);
    }
    cv_.notify_all();
  }

  void Process(InputRange batch, HttpClient* client, std::mt19937_64* rng) {
    const std::span<const std::string_view> texts =
        inputs_.subspan(batch.begin, batch.end - batch.begin);
    std::vector<float> out;
    SendOutcome outcome = endpoint_.Send(client, texts, dim_, &out, rng, &cancel_);
    switch (outcome.kind) {
      case SendOutcome::Kind::kEmbedded:
        ROXI_DCHECK(out.size() == texts.size() * dim_);
        // Invariant: batches never overlap, so workers write disjoint rows without a lock.
        std::copy(out.begin(), out.end(), vectors_->begin() + batch.begin * dim_);
        return;
      case SendOutcome::Kind::kRejected:
        if (texts.size() == 1) {
          (*input_status_)[batch.begin] = std::move(outcome.status);
          return;
        }
        Push({batch.begin, batch.begin + texts.size() / 2});
        Push({batch.begin + texts.size() / 2, batch.end});
        return;
      case SendOutcome::Kind::kFailed:
        Fail(std::move(outcome.status));
        return;
    }
  }

  const EmbeddingEndpoint& endpoint_;
  const std::span<const std::string_view> inputs_;
  const uint32_t dim_;
  std::vector<float>* const vectors_;
  std::vector<Status>* const input_status_;

  Mutex mu_;
  std::condition_variable cv_;
  std::deque<InputRange> queue_ ROXI_GUARDED_BY(mu_);
  size_t running_ ROXI_GUARDED_BY(mu_) = 0;
  Status failure_ ROXI_GUARDED_BY(mu_);
  std::atomic<bool> cancel_{false};
};

}  // namespace

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
    : endpoint_(endpoint), clients_(clients), rngs_(rngs) {
  ROXI_DCHECK(!clients_.empty() && rngs_.size() == clients_.size());
}

Status EmbeddingFanout::Run(std::span<const std::string_view> inputs,
                            const std::vector<InputRange>& batches, uint32_t dim,
                            std::vector<float>* vectors, std::vector<Status>* input_status) {
  ROXI_DCHECK(dim >= 1);
  vectors->assign(inputs.size() * dim, 0.0f);
  input_status->assign(inputs.size(), Status::OK());
  if (batches.empty()) return Status::OK();
  Call call(endpoint_, inputs, dim, vectors, input_status, batches);
  const size_t workers = std::min(clients_.size(), batches.size());
  if (workers == 1) {
    call.Work(&clients_[0], &rngs_[0]);
    return call.result();
  }
  {
    std::vector<std::jthread> threads;
    threads.reserve(workers);
    for (size_t w = 0; w < workers; ++w) {
      threads.emplace_back([&call, this, w] { call.Work(&clients_[w], &rngs_[w]); });
    }
  }  // joined here
  return call.result();
}

}  // namespace roxi::embedders
