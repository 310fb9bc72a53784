// Staged ingest (FORMAT.md §3.9): Store::BeginStage, AppendStaged, FinishStage and AbortStage, and
// the bounded steps (Impl::AdvanceStage) that finish a stage after its switch, or after a crash at
// the next read-write open. Each step is one WriteBatch that moves the stage record with the
// chunks it covers, so every instant of a crash leaves a state the next step continues from.
#include <memory>

#include "format/document_record.h"
#include "format/hash.h"
#include "format/ingest_stage_record.h"
#include "format/keys.h"
#include "format/name_record.h"
#include "storage/rocks_status.h"
#include "storage/store.h"
#include "storage/store_impl.h"

namespace roxi::storage {

using format::ChunkId;
using format::ChunkRecord;
using format::ChunkState;
using format::DocumentId;
using format::IngestStageRecord;
using format::StagePhase;

namespace {

// Chunks per step after the switch: bounds each WriteBatch (queue entries, or the deletions of an
// old version's chunks, vectors and index entries) to a few MiB.
constexpr size_t kChunksPerStep = 2048;

void PutStage(const Store::Impl& impl, rocksdb::WriteBatch* batch, DocumentId id,
              const IngestStageRecord& stage) {
  std::string value;
  format::EncodeIngestStageRecord(stage, &value);
  // why: WriteBatch::Put only fails on oversized entries; a stage record is under 5 KiB.
  (void)batch->Put(impl.cf(kMetaFamily), format::EncodeStageKey(id), value);
}

std::string StageWhat(DocumentId id) { return "stage of " + format::DescribeDocument(id); }

}  // namespace

Result<std::optional<IngestStageRecord>> Store::Impl::GetStage(DocumentId id) const {
  const std::string key = format::EncodeStageKey(id);
  auto value = Get(kMetaFamily, key, "stage/" + std::to_string(id.value));
  if (value.status().IsNotFound()) return std::optional<IngestStageRecord>();
  if (!value.ok()) return value.status();
  auto stage = format::DecodeIngestStageRecord(*value);
  if (!stage.ok()) {
    return stage.status().WithContext(Where(kMetaFamily, "stage/" + std::to_string(id.value)));
  }
  return std::optional<IngestStageRecord>(std::move(stage).value());
}

Result<bool> Store::Impl::AdvanceStage(DocumentId id, const IngestStageRecord& stage) {
  write_mu.AssertHeld();
  rocksdb::WriteBatch batch;
  format::CountersRecord next_counters = counters;
  bool over = false;
  switch (stage.phase) {
    case StagePhase::kStaging:
      // Nothing counts or queues staged chunks: dropping the range and the record undoes all.
      (void)batch.DeleteRange(cf(kChunksFamily), format::ChunkKeyRangeBegin(id),
                              format::ChunkKeyRangeEnd(id));
      (void)batch.Delete(cf(kMetaFamily), format::EncodeStageKey(id));
      over = true;
      break;
    case StagePhase::kRetiring: {
      bool complete = false;
      ROXI_RETURN_IF_ERROR(
          RemoveChunks(&batch, id, &next_counters, /*staging_too=*/true, kChunksPerStep, &complete)
              .status());
      // RemoveChunks deletes the stage record with the last chunk.
      over = complete;
      break;
    }
    case StagePhase::kQueueing: {
      const bool can_reuse = embedder.has_value();
      const uint64_t model = can_reuse ? embedder->fingerprint : 0;
      rocksdb::ReadOptions read;
      read.fill_cache = false;
      std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(read, cf(kChunksFamily)));
      const std::string end = format::ChunkKeyRangeEnd(id);
      IngestStageRecord moved = stage;
      size_t taken = 0;
      std::string value;
      if (!can_reuse) {
        // Nothing can be reused: the queue entries follow from the chunk count alone, so the
        // chunks (the whole document's text) are not read back.
        ROXI_ASSIGN_OR_RETURN(std::string document_value,
                              Get(kDocumentsFamily, format::EncodeDocumentKey(id),
                                  format::DescribeDocument(id)));
        auto document = format::DecodeDocumentRecord(document_value);
        if (!document.ok()) {
          return document.status().WithContext(
              Where(kDocumentsFamily, format::DescribeDocument(id)));
        }
        for (; moved.chunks < document->chunk_count && taken < kChunksPerStep;
             ++moved.chunks, ++taken) {
          (void)batch.Put(cf(kPendingFamily),
                          format::EncodeChunkKey(format::MakeChunkId(id, moved.chunks)),
                          rocksdb::Slice());
        }
        next_counters.chunks += taken;
        next_counters.pending += taken;
        over = moved.chunks >= document->chunk_count;
        if (over) {
          (void)batch.Delete(cf(kMetaFamily), format::EncodeStageKey(id));
        } else {
          PutStage(*this, &batch, id, moved);
        }
        break;
      }
      // A document of the most chunks a document may have is queued whole at that count.
      const bool more = stage.chunks <= format::kMaxChunkNumber;
      if (more) it->Seek(format::EncodeChunkKey(format::MakeChunkId(id, stage.chunks)));
      for (; more && it->Valid() && it->key().compare(rocksdb::Slice(end)) < 0 &&
             taken < kChunksPerStep;
           it->Next(), ++taken) {
        const std::string_view key(it->key().data(), it->key().size());
        ROXI_ASSIGN_OR_RETURN(ChunkId chunk_id, format::DecodeChunkKey(key));
        if (format::ChunkNumberOf(chunk_id) != moved.chunks) {
          return Status::Corruption(Where(kChunksFamily, format::DescribeChunk(chunk_id)),
                                    "a staged document's chunks are not numbered in sequence");
        }
        ++moved.chunks;
        ++next_counters.chunks;
        std::optional<std::string> reusable;
        ChunkRecord chunk;
        if (can_reuse) {
          ROXI_ASSIGN_OR_RETURN(chunk, format::DecodeChunkRecord(std::string_view(
                                           it->value().data(), it->value().size())));
          ROXI_ASSIGN_OR_RETURN(reusable, FindVectorForText(model, chunk.text_hash, chunk.text));
        }
        if (!reusable) {
          (void)batch.Put(cf(kPendingFamily), it->key(), rocksdb::Slice());
          ++next_counters.pending;
          continue;
        }
        // As Ingest does: the same text already has a vector, so store a copy, not a queue entry.
        chunk.state = ChunkState::kEmbedded;
        value.clear();
        format::EncodeChunkRecord(chunk, &value);
        (void)batch.Put(cf(kChunksFamily), it->key(), value);
        (void)batch.Put(cf(kVectorsFamily), it->key(), *reusable);
        PutTextVectorEntry(&batch, model, chunk.text_hash, chunk_id);
        ++next_counters.embedded;
        ++next_counters.embeddings_reused;
      }
      ROXI_RETURN_IF_ERROR(FromRocks(it->status(), "scan chunks of " + StageWhat(id)));
      over = taken < kChunksPerStep;
      if (over) {
        (void)batch.Delete(cf(kMetaFamily), format::EncodeStageKey(id));
      } else {
        PutStage(*this, &batch, id, moved);
      }
      break;
    }
  }
  PutCounters(&batch, next_counters);
  ROXI_RETURN_IF_ERROR(Write(&batch, StageWhat(id)));
  counters = next_counters;
  return over;
}

Status Store::Impl::FinishInterruptedStages() {
  write_mu.AssertHeld();
  const std::string prefix(format::kMetaStageKeyPrefix);
  std::vector<std::pair<DocumentId, IngestStageRecord>> stages;
  {
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), cf(kMetaFamily)));
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
      const std::string_view key(it->key().data(), it->key().size());
      auto id = format::DecodeStageKey(key);
      if (!id.ok()) return id.status().WithContext(Where(kMetaFamily, "stage/"));
      auto stage =
          format::DecodeIngestStageRecord(std::string_view(it->value().data(), it->value().size()));
      if (!stage.ok()) {
        return stage.status().WithContext(Where(kMetaFamily, "stage/" + std::to_string(id->value)));
      }
      stages.emplace_back(*id, std::move(stage).value());
    }
    ROXI_RETURN_IF_ERROR(FromRocks(it->status(), "scan meta in " + db_dir));
  }
  for (const auto& [id, first] : stages) {
    IngestStageRecord stage = first;
    while (true) {
      ROXI_ASSIGN_OR_RETURN(bool over, AdvanceStage(id, stage));
      if (over) break;
      ROXI_ASSIGN_OR_RETURN(std::optional<IngestStageRecord> now, GetStage(id));
      if (!now) break;
      stage = std::move(*now);
    }
  }
  return Status::OK();
}

Result<DocumentId> Store::BeginStage(std::string_view name) {
  ROXI_RETURN_IF_ERROR(impl_->RequireWritable("stage a document"));
  ROXI_RETURN_IF_ERROR(format::ValidateDocumentName(name));
  MutexLock lock(&impl_->write_mu);
  format::CountersRecord counters = impl_->counters;
  if (counters.next_document_id > format::kMaxDocumentId) {
    return Status::InvalidArgument("ingest", "the store holds the maximum number of documents");
  }
  const DocumentId id{counters.next_document_id++};
  rocksdb::WriteBatch batch;
  PutStage(*impl_, &batch, id, IngestStageRecord{StagePhase::kStaging, 0, std::string(name)});
  impl_->PutCounters(&batch, counters);
  ROXI_RETURN_IF_ERROR(impl_->Write(&batch, StageWhat(id)));
  impl_->counters = counters;
  return id;
}

Status Store::AppendStaged(DocumentId stage, std::span<const ChunkRecord> chunks) {
  ROXI_RETURN_IF_ERROR(impl_->RequireWritable("stage a document"));
  for (const ChunkRecord& chunk : chunks) {
    if (chunk.text.size() > format::kMaxChunkTextBytes) {
      return Status::InvalidArgument(
          StageWhat(stage),
          "a chunk larger than " + std::to_string(format::kMaxChunkTextBytes) + " bytes");
    }
  }
  MutexLock lock(&impl_->write_mu);
  ROXI_ASSIGN_OR_RETURN(std::optional<IngestStageRecord> record, impl_->GetStage(stage));
  if (!record || record->phase != StagePhase::kStaging) {
    return Status::InvalidArgument(StageWhat(stage), "no such document being staged");
  }
  if (chunks.size() > size_t{format::kMaxChunkNumber} + 1 - record->chunks) {
    return Status::InvalidArgument(
        "document " + record->name,
        "more than " + std::to_string(format::kMaxChunkNumber + 1) + " chunks");
  }
  rocksdb::WriteBatch batch;
  std::string value;
  for (const ChunkRecord& given : chunks) {
    ChunkRecord chunk;
    chunk.byte_offset = given.byte_offset;
    chunk.text = given.text;
    value.clear();
    format::EncodeChunkRecord(chunk, &value);
    (void)batch.Put(impl_->cf(kChunksFamily),
                    format::EncodeChunkKey(format::MakeChunkId(stage, record->chunks++)), value);
  }
  PutStage(*impl_, &batch, stage, *record);
  return impl_->Write(&batch, StageWhat(stage));
}

Result<IngestSummary::Entry> Store::FinishStage(DocumentId stage,
                                                const format::DocumentRecord& document) {
  ROXI_RETURN_IF_ERROR(impl_->RequireWritable("stage a document"));
  IngestSummary::Entry entry;
  entry.id = stage;
  std::optional<DocumentId> replaced;
  {
    MutexLock lock(&impl_->write_mu);
    ROXI_ASSIGN_OR_RETURN(std::optional<IngestStageRecord> record, impl_->GetStage(stage));
    if (!record || record->phase != StagePhase::kStaging) {
      return Status::InvalidArgument(StageWhat(stage), "no such document being staged");
    }
    if (record->name != document.name) {
      return Status::InvalidArgument(
          StageWhat(stage), "staged for '" + record->name + "', not '" + document.name + "'");
    }
    format::CountersRecord counters = impl_->counters;
    rocksdb::WriteBatch batch;
    std::string value;
    // Read under the lock: whatever the name points at now is what this version replaces.
    auto existing = LookupName(document.name);
    if (existing.ok()) {
      replaced = *existing;
      // Retiring removes chunks as counted ones: an old version still being queued (a writer
      // that switched it in moments ago) is queued to its end first.
      while (true) {
        ROXI_ASSIGN_OR_RETURN(std::optional<IngestStageRecord> old, impl_->GetStage(*existing));
        if (!old || old->phase != StagePhase::kQueueing) break;
        ROXI_RETURN_IF_ERROR(impl_->AdvanceStage(*existing, *old).status());
      }
      (void)batch.Delete(impl_->cf(kDocumentsFamily), format::EncodeDocumentKey(*existing));
      PutStage(*impl_, &batch, *existing, IngestStageRecord{StagePhase::kRetiring, 0, ""});
    } else if (existing.status().IsNotFound()) {
      entry.created = true;
      ++counters.documents;
    } else {
      return existing.status();
    }
    format::EncodeNameRecord(stage, &value);
    (void)batch.Put(impl_->cf(kNamesFamily), document.name, value);
    format::DocumentRecord switched = document;
    switched.chunk_count = record->chunks;
    value.clear();
    format::EncodeDocumentRecord(switched, &value);
    (void)batch.Put(impl_->cf(kDocumentsFamily), format::EncodeDocumentKey(stage), value);
    PutStage(*impl_, &batch, stage, IngestStageRecord{StagePhase::kQueueing, 0, ""});
    impl_->PutCounters(&batch, counters);
    ROXI_RETURN_IF_ERROR(impl_->Write(&batch, "switch in " + StageWhat(stage)));
    impl_->counters = counters;
    entry.chunks = record->chunks;
  }
  // The lock is released between steps, so searches, the processor and other writers go on.
  const uint64_t reused_before = GetCounters().embeddings_reused;
  for (const DocumentId id : {stage, replaced.value_or(DocumentId{0})}) {
    if (id.value == 0) continue;
    while (true) {
      MutexLock lock(&impl_->write_mu);
      ROXI_ASSIGN_OR_RETURN(std::optional<IngestStageRecord> now, impl_->GetStage(id));
      if (!now) break;
      ROXI_ASSIGN_OR_RETURN(bool over, impl_->AdvanceStage(id, *now));
      if (over) break;
    }
  }
  // Another writer's reuse in between would be counted here too; the figure is a report only.
  entry.reused = static_cast<uint32_t>(GetCounters().embeddings_reused - reused_before);
  return entry;
}

Status Store::AbortStage(DocumentId stage) {
  ROXI_RETURN_IF_ERROR(impl_->RequireWritable("stage a document"));
  MutexLock lock(&impl_->write_mu);
  ROXI_ASSIGN_OR_RETURN(std::optional<IngestStageRecord> record, impl_->GetStage(stage));
  if (!record) return Status::OK();
  if (record->phase != StagePhase::kStaging) {
    return Status::InvalidArgument(StageWhat(stage), "already switched in");
  }
  return impl_->AdvanceStage(stage, *record).status();
}

}  // namespace roxi::storage
