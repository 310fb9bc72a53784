// Store::Ingest and Store::RequeueFailed: the writes that put chunks into the queue, or, for text
// that already has a vector, straight into the embedded state with a copy of it.
#include <set>

#include "format/hash.h"
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

namespace {

Status ValidateUpdate(const DocumentUpdate& update) {
  const std::string& name = update.document.name;
  ROXI_RETURN_IF_ERROR(format::ValidateDocumentName(name));
  if (update.document.source_path.size() > format::kMaxSourcePathBytes) {
    return Status::InvalidArgument("document " + name, "source path too long");
  }
  if (update.chunks.size() > size_t{format::kMaxChunkNumber} + 1) {
    return Status::InvalidArgument("document " + name,
                                   std::to_string(update.chunks.size()) + " chunks, more than " +
                                       std::to_string(format::kMaxChunkNumber + 1));
  }
  for (size_t i = 0; i < update.chunks.size(); ++i) {
    if (update.chunks[i].text.size() > format::kMaxChunkTextBytes) {
      return Status::InvalidArgument("document " + name, "chunk " + std::to_string(i) +
                                                             " larger than " +
                                                             std::to_string(format::kMaxChunkTextBytes) +
                                                             " bytes");
    }
  }
  return Status::OK();
}

}  // namespace

Result<IngestSummary> Store::Ingest(std::span<const DocumentUpdate> updates) {
  ROXI_RETURN_IF_ERROR(impl_->RequireWritable("ingest"));
  for (const auto& update : updates) ROXI_RETURN_IF_ERROR(ValidateUpdate(update));

  MutexLock lock(&impl_->write_mu);
  format::CountersRecord counters = impl_->counters;
  rocksdb::WriteBatch batch;
  IngestSummary summary;
  std::set<std::string_view> names_in_batch;
  std::string value;
  // Vectors can be reused, and index entries exist, only once an embedder is recorded.
  const bool can_reuse = impl_->embedder.has_value();
  const uint64_t model = can_reuse ? impl_->embedder->fingerprint : 0;

  for (const auto& update : updates) {
    const std::string& name = update.document.name;
    if (!names_in_batch.insert(name).second) {
      return Status::InvalidArgument("ingest", "document '" + name + "' given twice in one batch");
    }
    IngestSummary::Entry entry;
    auto existing = LookupName(name);
    if (existing.ok()) {
      entry.id = *existing;
      ROXI_RETURN_IF_ERROR(GetDocument(entry.id).status());
      // Remove every old chunk with its vector and queue entry; new chunks reuse the same ids and
      // are put below, later in the same batch, so they win. Staging vectors stay: the swap of a
      // re-embed drops those whose text changed.
      ROXI_RETURN_IF_ERROR(
          impl_->RemoveChunks(&batch, entry.id, &counters, /*staging_too=*/false).status());
      --counters.documents;
    } else if (existing.status().IsNotFound()) {
      if (counters.next_document_id > format::kMaxDocumentId) {
        return Status::InvalidArgument("ingest", "the store holds the maximum number of documents");
      }
      entry.id = DocumentId{counters.next_document_id++};
      entry.created = true;
      value.clear();
      format::EncodeNameRecord(entry.id, &value);
      (void)batch.Put(impl_->cf(kNamesFamily), name, value);
    } else {
      return existing.status();
    }

    for (size_t i = 0; i < update.chunks.size(); ++i) {
      ChunkRecord chunk = update.chunks[i];
      chunk.state = ChunkState::kPending;
      chunk.attempts = 0;
      chunk.last_error.clear();
      const ChunkId chunk_id = format::MakeChunkId(entry.id, static_cast<uint32_t>(i));
      const std::string key = format::EncodeChunkKey(chunk_id);
      std::optional<std::string> reusable;
      if (can_reuse) {
        chunk.text_hash = format::Xxh3(chunk.text);
        ROXI_ASSIGN_OR_RETURN(reusable,
                              impl_->FindVectorForText(model, chunk.text_hash, chunk.text));
      }
      if (reusable) {
        // The same text already has a vector of this embedder: store a copy (a vector record
        // names the model and text, never the chunk) instead of queueing the chunk.
        chunk.state = ChunkState::kEmbedded;
        (void)batch.Put(impl_->cf(kVectorsFamily), key, *reusable);
        impl_->PutTextVectorEntry(&batch, model, chunk.text_hash, chunk_id);
        ++entry.reused;
      } else {
        (void)batch.Put(impl_->cf(kPendingFamily), key, rocksdb::Slice());
      }
      value.clear();
      format::EncodeChunkRecord(chunk, &value);
      (void)batch.Put(impl_->cf(kChunksFamily), key, value);
    }
    entry.chunks = static_cast<uint32_t>(update.chunks.size());
    counters.chunks += entry.chunks;
    counters.pending += entry.chunks - entry.reused;
    counters.embedded += entry.reused;
    counters.embeddings_reused += entry.reused;
    ++counters.documents;

    format::DocumentRecord document = update.document;
    document.chunk_count = entry.chunks;
    value.clear();
    format::EncodeDocumentRecord(document, &value);
    (void)batch.Put(impl_->cf(kDocumentsFamily), format::EncodeDocumentKey(entry.id), value);
    summary.documents.push_back(entry);
  }

  impl_->PutCounters(&batch, counters);
  ROXI_RETURN_IF_ERROR(impl_->Write(&batch, "ingest"));
  impl_->counters = counters;
  return summary;
}

Result<uint64_t> Store::RequeueFailed() {
  ROXI_RETURN_IF_ERROR(impl_->RequireWritable("requeue failed chunks"));
  MutexLock lock(&impl_->write_mu);
  format::CountersRecord counters = impl_->counters;
  rocksdb::WriteBatch batch;
  uint64_t requeued = 0;
  std::string value;
  Status scan = ForEachChunk([&](ChunkId id, const ChunkRecord& record) -> Status {
    if (record.state != ChunkState::kFailed) return Status::OK();
    ChunkRecord chunk = record;
    chunk.state = ChunkState::kPending;
    chunk.attempts = 0;
    const std::string key = format::EncodeChunkKey(id);
    value.clear();
    format::EncodeChunkRecord(chunk, &value);
    (void)batch.Put(impl_->cf(kChunksFamily), key, value);
    (void)batch.Put(impl_->cf(kPendingFamily), key, rocksdb::Slice());
    ++requeued;
    return Status::OK();
  });
  ROXI_RETURN_IF_ERROR(scan);
  if (requeued == 0) return uint64_t{0};
  counters.failed -= requeued;
  counters.pending += requeued;
  impl_->PutCounters(&batch, counters);
  ROXI_RETURN_IF_ERROR(impl_->Write(&batch, "requeue failed chunks"));
  impl_->counters = counters;
  return requeued;
}

}  // namespace roxi::storage
