// Ingester's path for a document larger than one batch: it is chunked as it is read and staged in
// the store in bounded batches, then switched in with one WriteBatch (Store::BeginStage,
// FORMAT.md §3.9), so neither the document nor its chunks are ever held whole.
#include <memory>

#include "src/common/log.h"
#include "src/common/test_hook.h"
#include "src/ingest/document_reader.h"
#include "src/ingest/ingester.h"
#include "src/text/chunk_stream.h"

namespace roxi::ingest {

Result<bool> Ingester::SameContent(const DocumentReader& reader,
                                   const format::DocumentRecord& stored) {
  // Only a file can be read twice; standard input and request bodies are compared after staging.
  if (reader.size_at_open() == 0 || stored.size_bytes != reader.size_at_open()) return false;
  ROXI_ASSIGN_OR_RETURN(std::unique_ptr<DocumentReader> again,
                        DocumentReader::OpenFile(reader.name(), options_.max_document_bytes));
  while (true) {
    auto block = again->Next();
    // A read error now will meet the staging pass too, which reports it.
    if (!block.ok()) return false;
    if (block->empty()) break;
  }
  return again->content_hash() == stored.content_hash;
}

Status Ingester::IngestLargeDocument(DocumentReader* reader, std::string name,
                                     std::string source_path, std::string start,
                                     Status* read_error) {
  // Documents batched so far commit first, so the run's order of commits is its input order.
  ROXI_RETURN_IF_ERROR(Flush());
  std::optional<format::DocumentRecord> stored;
  // Front matter is read from the document's first bytes, which the reader keeps.
  format::DocumentMetadata metadata =
      MetadataFor(source_path.empty() ? name : source_path, reader->Head());
  auto existing = store_->LookupName(name);
  if (existing.ok()) {
    ROXI_ASSIGN_OR_RETURN(stored, store_->GetDocument(*existing));
    bool same = stored->metadata == metadata;
    if (same) {
      ROXI_ASSIGN_OR_RETURN(same, SameContent(*reader, *stored));
    }
    if (same) {
      ++report_.unchanged;
      report_.bytes_read += stored->size_bytes;
      return Status::OK();
    }
  } else if (!existing.status().IsNotFound()) {
    return existing.status();
  }
  return StageDocument(reader, std::move(metadata), std::move(name), std::move(source_path),
                       std::move(start), std::move(stored), read_error);
}

Status Ingester::StageDocument(DocumentReader* reader, format::DocumentMetadata metadata,
                               std::string name, std::string source_path,
                               std::string start, std::optional<format::DocumentRecord> stored,
                               Status* read_error) {
  ROXI_ASSIGN_OR_RETURN(format::DocumentId stage, store_->BeginStage(name));
  std::vector<format::ChunkRecord> batch;
  uint64_t batch_bytes = 0;
  uint64_t staged_chunks = 0;
  const auto commit = [&]() -> Status {
    if (batch.empty()) return Status::OK();
    ROXI_RETURN_IF_ERROR(store_->AppendStaged(stage, batch));
    staged_chunks += batch.size();
    common::LogDebug("staged chunks committed",
                     {{"document", name}, {"chunks", staged_chunks}, {"bytes", reader->offset()}});
    batch.clear();
    batch_bytes = 0;
    ROXI_TEST_HOOK("ingest:after_stage_batch");
    return Status::OK();
  };
  text::ChunkStream chunks(*chunker_, [&](const text::ChunkSpan& span, std::string_view text) {
    format::ChunkRecord chunk;
    chunk.byte_offset = span.byte_offset;
    chunk.text = std::string(text);
    batch_bytes += chunk.text.size();
    batch.push_back(std::move(chunk));
    return batch_bytes >= options_.batch_bytes ? commit() : Status::OK();
  });
  // Whatever stops the stream before the switch drops the stage: nothing of it is kept.
  const auto abandon = [&](Status error) -> Status {
    Status aborted = store_->AbortStage(stage);
    if (!aborted.ok()) {
      // The next read-write open drops it (Store::Open).
      common::LogWarn("staged document left for the next open to drop",
                      {{"document", name}, {"reason", aborted.ToString()}});
    }
    return error;
  };
  Status s = chunks.Append(start);
  start.clear();
  start.shrink_to_fit();
  while (s.ok()) {
    auto block = reader->Next();
    if (!block.ok()) {
      *read_error = block.status();
      return abandon(Status::OK());
    }
    if (block->empty()) break;
    s = chunks.Append(*block);
  }
  if (s.ok()) s = chunks.Finish();
  if (s.ok()) s = commit();
  if (!s.ok()) return abandon(s);

  const uint64_t size = reader->offset();
  report_.bytes_read += size;
  if (stored && stored->content_hash == reader->content_hash() && stored->size_bytes == size &&
      stored->metadata == metadata) {
    ++report_.unchanged;
    return abandon(Status::OK());
  }
  format::DocumentRecord document;
  document.name = name;
  document.source_path = std::move(source_path);
  document.content_hash = reader->content_hash();
  document.size_bytes = size;
  document.ingested_at_micros = clock_.NowMicros();
  document.source_mtime_micros = reader->mtime_micros();
  document.metadata = std::move(metadata);
  ROXI_TEST_HOOK("ingest:before_switch");
  auto entry = store_->FinishStage(stage, document);
  if (!entry.ok()) return abandon(entry.status());
  if (entry->created) {
    ++report_.created;
  } else {
    ++report_.replaced;
  }
  report_.chunks_queued += entry->chunks - entry->reused;
  report_.chunks_reused += entry->reused;
  common::LogInfo("large document ingested",
                  {{"document", name}, {"bytes", size}, {"chunks", uint64_t{entry->chunks}}});
  return Status::OK();
}

}  // namespace roxi::ingest
