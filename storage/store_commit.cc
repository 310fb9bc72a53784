// Store::CommitEmbeddings: one processed batch, committed as one WriteBatch.
#include <algorithm>
#include <unordered_set>

#include "format/keys.h"
#include "format/vector_record.h"
#include "storage/rocks_status.h"
#include "storage/store.h"
#include "storage/store_impl.h"

namespace roxi::storage {

using format::ChunkId;
using format::ChunkRecord;
using format::ChunkState;

Result<CommitSummary> Store::CommitEmbeddings(const EmbeddingCommit& commit) {
  ROXI_RETURN_IF_ERROR(impl_->RequireWritable("commit embeddings"));
  if (commit.processor.empty() || commit.processor.size() > format::kMaxCheckpointNameBytes) {
    return Status::InvalidArgument("commit embeddings", "bad processor name");
  }
  std::vector<ChunkId> ids;
  ids.reserve(commit.embedded.size() + commit.rejected.size());
  for (const auto& e : commit.embedded) ids.push_back(e.id);
  for (const auto& r : commit.rejected) ids.push_back(r.id);

  MutexLock lock(&impl_->write_mu);
  // Read under the lock: a concurrent ingest may have replaced these chunks since they were read.
  std::vector<Result<ChunkRecord>> current = MultiGetChunks(ids);

  format::CheckpointRecord checkpoint;
  if (auto it = impl_->checkpoints.find(commit.processor); it != impl_->checkpoints.end()) {
    checkpoint = it->second;
  } else {
    auto stored = impl_->Get(kCheckpointsFamily, commit.processor, commit.processor);
    if (stored.ok()) {
      ROXI_ASSIGN_OR_RETURN(checkpoint, format::DecodeCheckpointRecord(*stored));
    } else if (!stored.status().IsNotFound()) {
      return stored.status();
    }
  }

  format::CountersRecord counters = impl_->counters;
  rocksdb::WriteBatch batch;
  CommitSummary summary;
  std::unordered_set<ChunkId> seen;
  std::string value;
  uint64_t last_chunk_id = 0;

  // Returns the chunk record to update, or nullptr when the entry is stale.
  auto live_chunk = [&](size_t index, ChunkId id, uint64_t text_hash) -> ChunkRecord* {
    Result<ChunkRecord>& chunk = current[index];
    if (!seen.insert(id).second || !chunk.ok() || chunk->state != ChunkState::kPending ||
        chunk->text_hash != text_hash) {
      ++summary.stale;
      return nullptr;
    }
    return &chunk.value();
  };

  for (size_t i = 0; i < commit.embedded.size(); ++i) {
    const EmbeddedChunk& e = commit.embedded[i];
    ChunkRecord* chunk = live_chunk(i, e.id, e.text_hash);
    if (chunk == nullptr) continue;
    // A vector of the embedder a re-embed just replaced must not enter the new active family.
    if (!impl_->HoldsActiveModel(e.vector_value)) {
      ++summary.stale;
      continue;
    }
    // The index entry names the model the vector itself records.
    auto vector = format::DecodeVectorRecord(e.vector_value);
    if (!vector.ok() || vector->text_hash != e.text_hash) {
      return Status::InvalidArgument("commit embeddings",
                                     "bad vector for " + format::DescribeChunk(e.id));
    }
    const uint64_t model = vector->model;
    chunk->state = ChunkState::kEmbedded;
    chunk->last_error.clear();
    const std::string key = format::EncodeChunkKey(e.id);
    value.clear();
    format::EncodeChunkRecord(*chunk, &value);
    (void)batch.Put(impl_->cf(kChunksFamily), key, value);
    (void)batch.Put(impl_->cf(kVectorsFamily), key, e.vector_value);
    impl_->PutTextVectorEntry(&batch, model, e.text_hash, e.id);
    (void)batch.Delete(impl_->cf(kPendingFamily), key);
    --counters.pending;
    ++counters.embedded;
    if (e.reused) {
      ++counters.embeddings_reused;
      ++summary.reused;
    }
    summary.embedded.push_back(e.id);
    last_chunk_id = std::max(last_chunk_id, e.id.value);
  }
  for (size_t i = 0; i < commit.rejected.size(); ++i) {
    const RejectedChunk& r = commit.rejected[i];
    ChunkRecord* chunk = live_chunk(commit.embedded.size() + i, r.id, r.text_hash);
    if (chunk == nullptr) continue;
    ++chunk->attempts;
    chunk->last_error = r.error.substr(0, format::kMaxErrorBytes);
    const std::string key = format::EncodeChunkKey(r.id);
    if (r.give_up) {
      chunk->state = ChunkState::kFailed;
      (void)batch.Delete(impl_->cf(kPendingFamily), key);
      --counters.pending;
      ++counters.failed;
      ++summary.failed;
    }
    value.clear();
    format::EncodeChunkRecord(*chunk, &value);
    (void)batch.Put(impl_->cf(kChunksFamily), key, value);
    ++summary.rejected;
    last_chunk_id = std::max(last_chunk_id, r.id.value);
  }

  ++checkpoint.batches_committed;
  checkpoint.chunks_embedded += summary.embedded.size();
  checkpoint.chunks_failed += summary.failed;
  if (last_chunk_id != 0) checkpoint.last_chunk_id = last_chunk_id;
  checkpoint.last_batch_size = static_cast<uint32_t>(ids.size());
  checkpoint.last_batch_micros = commit.batch_micros;
  checkpoint.updated_at_micros = WallClockMicros();
  value.clear();
  format::EncodeCheckpointRecord(checkpoint, &value);
  (void)batch.Put(impl_->cf(kCheckpointsFamily), commit.processor, value);
  impl_->PutCounters(&batch, counters);

  ROXI_RETURN_IF_ERROR(impl_->Write(&batch, "commit embeddings"));
  impl_->counters = counters;
  impl_->checkpoints[commit.processor] = checkpoint;
  return summary;
}

}  // namespace roxi::storage
