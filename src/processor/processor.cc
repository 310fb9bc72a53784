#include "src/processor/processor.h"

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <mutex>
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

uint64_t ChunksToTarget(const format::CountersRecord& c, double target) {
  const uint64_t done = c.embedded + c.failed;
  const auto reached = [&](uint64_t more) {
    return c.chunks == 0 ||
           static_cast<double>(done + more) / static_cast<double>(c.chunks) >= target;
  };
  if (reached(0)) return 0;
  // Start from the exact count and settle on the comparison DoneFraction users make, whatever
  // the rounding of target * chunks.
  const double wanted = std::ceil(target * static_cast<double>(c.chunks));
  uint64_t more = wanted > static_cast<double>(done) ? static_cast<uint64_t>(wanted) - done : 1;
  while (more > 1 && reached(more - 1)) --more;
  while (!reached(more) && done + more < c.chunks) ++more;
  return more;
}

size_t Processor::NextBatchLimit(uint64_t in_flight) const {
  if (options_.target >= 1.0) return options_.batch_size;
  const uint64_t needed = ChunksToTarget(store_->GetCounters(), options_.target);
  if (needed <= in_flight) return 0;
  return static_cast<size_t>(std::min<uint64_t>(options_.batch_size, needed - in_flight));
}

Result<std::vector<storage::PendingChunk>> Processor::Select(std::span<const ChunkId> in_flight,
                                                             size_t limit) {
  ROXI_ASSIGN_OR_RETURN(std::vector<storage::PendingChunk> batch,
                        store_->ReadPending(cursor_, limit));
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

  storage::EmbeddingCommit& commit = out.commit;
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
  const size_t limit = NextBatchLimit(0);
  if (limit == 0) return BatchReport{};
  ROXI_ASSIGN_OR_RETURN(std::vector<storage::PendingChunk> batch, Select({}, limit));
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

// One batch between its selection and its report. Its thread embeds it, waits for its turn to
// commit (commits run one at a time, in batch order), then commits and verifies it, unless its
// embedding failed or an earlier batch failed.
struct Processor::Flight {
  uint64_t seq = 0;
  std::vector<ChunkId> ids;  // sorted
  size_t selected = 0;
  std::optional<ChunkId> cursor_before;  // where selection resumes if this batch must be redone
  bool embedded = false;  // guarded by Pipeline::mu: the embed stage is over
  bool done = false;      // guarded by Pipeline::mu
  Result<BatchReport> result = Status::Internal("processor", "batch did not run");  // once done
  std::jthread thread;  // last: joined before the fields above are destroyed
};

// What the threads of one Run share.
struct Processor::Pipeline {
  std::mutex mu;
  std::condition_variable cv;       // any flight's state changed
  uint64_t commit_turn = 0;         // guarded by mu: the seq whose commit may run
  bool broken = false;              // guarded by mu: a batch failed; later ones do not commit
};

void Processor::RunFlight(Pipeline* pipeline, Flight* flight,
                          std::vector<storage::PendingChunk> batch, uint64_t start_micros) {
  Result<EmbeddedBatch> embedded = Status::Internal("processor", "embed did not run");
  try {
    embedded = Embed(batch, start_micros);
  } catch (const std::exception& e) {
    embedded = Status::Internal("processor", std::string("embed failed: ") + e.what());
  } catch (...) {
    embedded = Status::Internal("processor", "embed failed");
  }
  batch.clear();
  batch.shrink_to_fit();
  bool commit = false;
  {
    std::unique_lock<std::mutex> lock(pipeline->mu);
    flight->embedded = true;
    pipeline->cv.notify_all();
    pipeline->cv.wait(lock, [&] { return pipeline->commit_turn == flight->seq; });
    if (!embedded.ok()) pipeline->broken = true;
    commit = !pipeline->broken;
  }
  Result<BatchReport> result =
      Status::Aborted("processor", "batch not committed: an earlier batch failed");
  if (!embedded.ok()) {
    result = embedded.status();
  } else if (commit) {
    try {
      result = CommitAndVerify(*embedded);
    } catch (const std::exception& e) {
      result = Status::Internal("processor", std::string("commit failed: ") + e.what());
    } catch (...) {
      result = Status::Internal("processor", "commit failed");
    }
  }
  std::lock_guard<std::mutex> lock(pipeline->mu);
  if (!result.ok()) pipeline->broken = true;
  flight->result = std::move(result);
  flight->done = true;
  ++pipeline->commit_turn;
  pipeline->cv.notify_all();
}

Result<RunReport> Processor::Run(const BatchCallback& on_batch, const OutageCallback& on_outage) {
  ROXI_RETURN_IF_ERROR(ValidateProcessorOptions(options_));
  RunReport run;
  const uint64_t start = clock_.MonotonicMicros();
  // Two batches in flight: with an embedder that takes concurrent calls, both may be embedding
  // (the second fills the server while the first's last requests are out); otherwise one embeds
  // while the other commits.
  constexpr size_t kMaxFlights = 2;
  const bool concurrent = embedder_->AllowsConcurrentEmbed();
  Pipeline pipeline;
  std::deque<std::unique_ptr<Flight>> flights;  // in batch order
  uint64_t next_seq = 0;

  // Reports the finished flights at the front, in order. On a failed one, waits for the others
  // (which do not commit), rewinds selection to the failed batch and returns its error.
  const auto report_finished = [&]() -> Status {
    while (!flights.empty()) {
      Flight& front = *flights.front();
      {
        std::lock_guard<std::mutex> lock(pipeline.mu);
        if (!front.done) return Status::OK();
      }
      front.thread.join();
      if (!front.result.ok()) {
        Status error = front.result.status();
        cursor_ = front.cursor_before;
        flights.clear();  // joins the rest
        std::lock_guard<std::mutex> lock(pipeline.mu);
        pipeline.broken = false;
        return error;
      }
      const BatchReport batch = *front.result;
      flights.pop_front();
      ++run.batches;
      run.embedded += batch.embedded;
      run.rejected += batch.rejected;
      run.failed += batch.failed;
      if (on_batch) on_batch(batch, store_->GetCounters());
    }
    return Status::OK();
  };
  // Blocks until the front flight is done or, when `or_room`, a new one may start.
  const auto wait = [&](bool or_room) {
    std::unique_lock<std::mutex> lock(pipeline.mu);
    pipeline.cv.wait(lock, [&] {
      if (flights.empty() || flights.front()->done) return true;
      if (!or_room || flights.size() >= kMaxFlights) return false;
      return concurrent || flights.back()->embedded;
    });
  };

  while (true) {
    if (Status s = report_finished(); !s.ok()) {
      if (!on_outage || !(s.IsUnavailable() || s.IsTimedOut()) || stop_.load()) return s;
      ROXI_RETURN_IF_ERROR(on_outage(s));
      continue;
    }
    if (stop_.load()) {
      if (flights.empty()) break;
      wait(/*or_room=*/false);
      continue;
    }
    bool room = flights.size() < kMaxFlights;
    if (room && !concurrent && !flights.empty()) {
      std::lock_guard<std::mutex> lock(pipeline.mu);
      room = flights.back()->embedded;
    }
    if (!room) {
      wait(/*or_room=*/true);
      continue;
    }
    uint64_t selected_in_flight = 0;
    for (const auto& f : flights) selected_in_flight += f->selected;
    // The batches in flight count as done: the next one takes only what the target still needs.
    const size_t limit = NextBatchLimit(selected_in_flight);
    if (limit == 0) {
      if (flights.empty()) {
        run.reached_target = true;
        break;
      }
      wait(/*or_room=*/false);
      continue;
    }
    const uint64_t batch_start = clock_.MonotonicMicros();
    const std::optional<ChunkId> cursor_before = cursor_;
    std::vector<ChunkId> in_flight;
    for (const auto& f : flights) in_flight.insert(in_flight.end(), f->ids.begin(), f->ids.end());
    std::sort(in_flight.begin(), in_flight.end());
    Result<std::vector<storage::PendingChunk>> selected = Select(in_flight, limit);
    if (!selected.ok()) {
      // Settle the batches in flight first; an earlier batch's error comes first.
      while (!flights.empty()) {
        wait(/*or_room=*/false);
        ROXI_RETURN_IF_ERROR(report_finished());
      }
      return selected.status();
    }
    if (selected->empty()) {
      if (flights.empty()) break;  // nothing pending
      wait(/*or_room=*/false);     // their rejected chunks may be pending again
      continue;
    }
    auto flight = std::make_unique<Flight>();
    flight->seq = next_seq++;
    flight->selected = selected->size();
    flight->cursor_before = cursor_before;
    for (const auto& chunk : *selected) flight->ids.push_back(chunk.id);
    std::sort(flight->ids.begin(), flight->ids.end());
    Flight* f = flight.get();
    flights.push_back(std::move(flight));
    f->thread = std::jthread([this, &pipeline, f, batch = std::move(selected).value(),
                              batch_start]() mutable {
      RunFlight(&pipeline, f, std::move(batch), batch_start);
    });
  }
  run.stopped = stop_.load();
  run.micros = clock_.MonotonicMicros() - start;
  return run;
}

}  // namespace roxi::processor
