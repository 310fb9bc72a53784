// Store::DeleteDocuments, Store::GetDeletions, Store::ListNames, Store::SummarizeDocument and the
// chunk removal Ingest shares with deletion (Impl::RemoveChunks): the document lifecycle's end.
#include <set>

#include "format/ingest_stage_record.h"
#include "format/keys.h"
#include "format/name_record.h"
#include "storage/rocks_status.h"
#include "storage/store.h"
#include "storage/store_impl.h"

namespace roxi::storage {

using format::ChunkId;
using format::ChunkState;
using format::DocumentId;

Result<uint32_t> Store::Impl::RemoveChunks(rocksdb::WriteBatch* batch, DocumentId id,
                                           format::CountersRecord* counters, bool staging_too,
                                           size_t limit, bool* complete) const {
  write_mu.AssertHeld();
  // A document still being queued (FORMAT.md §3.9) holds chunks not yet counted: they leave
  // without touching the counters, and the stage record goes with them.
  ROXI_ASSIGN_OR_RETURN(std::optional<format::IngestStageRecord> stage, GetStage(id));
  uint32_t counted_below = UINT32_MAX;
  if (stage && stage->phase == format::StagePhase::kQueueing) counted_below = stage->chunks;
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), cf(kChunksFamily)));
  const std::string begin = format::ChunkKeyRangeBegin(id);
  const std::string end = format::ChunkKeyRangeEnd(id);
  uint32_t removed = 0;
  for (it->Seek(begin);
       it->Valid() && it->key().compare(rocksdb::Slice(end)) < 0 && removed < limit; it->Next()) {
    const std::string_view key(it->key().data(), it->key().size());
    ROXI_ASSIGN_OR_RETURN(ChunkId chunk_id, format::DecodeChunkKey(key));
    auto chunk =
        format::DecodeChunkRecord(std::string_view(it->value().data(), it->value().size()));
    if (!chunk.ok()) {
      return chunk.status().WithContext(Where(kChunksFamily, format::DescribeChunk(chunk_id)));
    }
    if (format::ChunkNumberOf(chunk_id) < counted_below) {
      --counters->chunks;
      switch (chunk->state) {
        case ChunkState::kPending:
          --counters->pending;
          break;
        case ChunkState::kEmbedded:
          --counters->embedded;
          break;
        case ChunkState::kFailed:
          --counters->failed;
          break;
      }
    }
    if (chunk->state == ChunkState::kEmbedded) {
      ROXI_RETURN_IF_ERROR(DeleteTextVectorEntryOf(batch, chunk_id));
    }
    (void)batch->Delete(cf(kChunksFamily), it->key());
    (void)batch->Delete(cf(kVectorsFamily), it->key());
    (void)batch->Delete(cf(kPendingFamily), it->key());
    ++removed;
  }
  ROXI_RETURN_IF_ERROR(
      FromRocks(it->status(), "scan chunks of document " + std::to_string(id.value)));
  const bool done = !(it->Valid() && it->key().compare(rocksdb::Slice(end)) < 0);
  if (complete != nullptr) *complete = done;
  if (!done) return removed;
  if (stage) (void)batch->Delete(cf(kMetaFamily), format::EncodeStageKey(id));
  // Staging vectors are only written for existing chunks, but one whose chunk went away between the
  // scan above and the staging commit would stay behind; the range covers every chunk number.
  if (staging_too && reembed) {
    (void)batch->DeleteRange(slot(StagingVectorFamily()), begin, end);
  }
  return removed;
}

Result<DeleteSummary> Store::DeleteDocuments(std::span<const std::string> names) {
  ROXI_RETURN_IF_ERROR(impl_->RequireWritable("delete documents"));
  MutexLock lock(&impl_->write_mu);
  format::CountersRecord counters = impl_->counters;
  format::DeletionsRecord deletions = impl_->deletions;
  rocksdb::WriteBatch batch;
  DeleteSummary summary;
  std::set<std::string_view> seen;
  for (const std::string& name : names) {
    if (!seen.insert(name).second) continue;
    auto id = LookupName(name);
    if (!id.ok()) {
      if (id.status().IsNotFound()) {
        return Status::NotFound("document '" + name + "'", "no such document in the store");
      }
      return id.status();
    }
    // The record must be readable: a damaged one is reported, not silently dropped.
    ROXI_RETURN_IF_ERROR(GetDocument(*id).status());
    ROXI_ASSIGN_OR_RETURN(uint32_t chunks,
                          impl_->RemoveChunks(&batch, *id, &counters, /*staging_too=*/true));
    (void)batch.Delete(impl_->cf(kNamesFamily), name);
    (void)batch.Delete(impl_->cf(kDocumentsFamily), format::EncodeDocumentKey(*id));
    --counters.documents;
    ++deletions.documents;
    deletions.chunks += chunks;
    summary.chunks += chunks;
    summary.documents.push_back({name, *id, chunks});
  }
  if (summary.documents.empty()) return summary;
  deletions.last_deleted_at_micros = WallClockMicros();
  impl_->PutCounters(&batch, counters);
  std::string value;
  format::EncodeDeletionsRecord(deletions, &value);
  (void)batch.Put(impl_->cf(kMetaFamily), format::kMetaDeletionsKey, value);
  ROXI_RETURN_IF_ERROR(impl_->Write(&batch, "delete documents"));
  impl_->counters = counters;
  impl_->deletions = deletions;
  return summary;
}

format::DeletionsRecord Store::GetDeletions() const {
  MutexLock lock(&impl_->write_mu);
  return impl_->deletions;
}

Result<std::vector<std::string>> Store::ListNames(std::string_view prefix, std::string_view after,
                                                  size_t limit) const {
  std::vector<std::string> names;
  if (limit == 0) return names;
  std::unique_ptr<rocksdb::Iterator> it(
      impl_->db->NewIterator(rocksdb::ReadOptions(), impl_->cf(kNamesFamily)));
  const std::string start =
      after.empty() || after < prefix ? std::string(prefix) : std::string(after);
  for (it->Seek(start); it->Valid() && names.size() < limit; it->Next()) {
    const std::string_view name(it->key().data(), it->key().size());
    if (!name.starts_with(prefix)) break;
    if (!after.empty() && name <= after) continue;
    names.emplace_back(name);
  }
  ROXI_RETURN_IF_ERROR(FromRocks(it->status(), "list names"));
  return names;
}

Result<DocumentSummary> Store::SummarizeDocument(std::string_view name) const {
  DocumentSummary out;
  ROXI_ASSIGN_OR_RETURN(out.id, LookupName(name));
  ROXI_ASSIGN_OR_RETURN(out.record, GetDocument(out.id));
  std::unique_ptr<rocksdb::Iterator> it(
      impl_->db->NewIterator(rocksdb::ReadOptions(), impl_->cf(kChunksFamily)));
  const std::string end = format::ChunkKeyRangeEnd(out.id);
  for (it->Seek(format::ChunkKeyRangeBegin(out.id));
       it->Valid() && it->key().compare(rocksdb::Slice(end)) < 0; it->Next()) {
    auto chunk =
        format::DecodeChunkRecord(std::string_view(it->value().data(), it->value().size()));
    if (!chunk.ok()) {
      const std::string_view key(it->key().data(), it->key().size());
      auto chunk_id = format::DecodeChunkKey(key);
      return chunk.status().WithContext(Impl::Where(
          kChunksFamily, chunk_id.ok() ? format::DescribeChunk(*chunk_id) : std::string("?")));
    }
    switch (chunk->state) {
      case ChunkState::kPending:
        ++out.pending;
        break;
      case ChunkState::kEmbedded:
        ++out.embedded;
        break;
      case ChunkState::kFailed:
        ++out.failed;
        break;
    }
  }
  ROXI_RETURN_IF_ERROR(FromRocks(it->status(), "scan chunks of " + std::string(name)));
  return out;
}

Status Store::Impl::LoadDeletions() {
  write_mu.AssertHeld();
  auto value = Get(kMetaFamily, format::kMetaDeletionsKey, format::kMetaDeletionsKey);
  if (!value.ok()) {
    if (!value.status().IsNotFound()) return value.status();
    deletions = format::DeletionsRecord{};
    return Status::OK();
  }
  auto record = format::DecodeDeletionsRecord(*value);
  if (!record.ok()) {
    return record.status().WithContext(Where(kMetaFamily, format::kMetaDeletionsKey));
  }
  deletions = *record;
  return Status::OK();
}

Status Store::Impl::UpgradeSchemaNumber(uint32_t version) {
  write_mu.AssertHeld();
  format::StoreInfoRecord upgraded = info;
  upgraded.schema_version = version;
  std::string value;
  format::EncodeStoreInfoRecord(upgraded, &value);
  rocksdb::WriteBatch batch;
  (void)batch.Put(cf(kMetaFamily), format::kMetaStoreKey, value);
  ROXI_RETURN_IF_ERROR(Write(&batch, "upgrade store to schema " + std::to_string(version)));
  info = upgraded;
  return Status::OK();
}

}  // namespace roxi::storage
