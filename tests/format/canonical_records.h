// The canonical example of each record: the values frozen in tests/format/testdata/<name>_v1.hex
// and shown as hex in FORMAT.md §3. Every field is non-zero and multi-byte varints appear where the
// grammar allows them, so a change to any field's encoding changes the frozen bytes.
//
// These values are part of the frozen test data: never edit them; add a new example instead.
#pragma once

#include <cstdint>
#include <string>

#include "format/checkpoint_record.h"
#include "format/chunk_record.h"
#include "format/deletions_record.h"
#include "format/document_record.h"
#include "format/hash.h"
#include "format/ingest_stage_record.h"
#include "format/keys.h"
#include "format/meta_records.h"
#include "format/name_record.h"
#include "format/reembed_record.h"
#include "format/vector_record.h"

namespace roxi::format::testing {

// 2026-01-01T00:00:00Z and 2025-12-31T00:00:00Z in Unix microseconds.
inline constexpr uint64_t kExampleNowMicros = 1767225600000000;
inline constexpr uint64_t kExampleMtimeMicros = 1767139200000000;

inline DocumentRecord CanonicalDocumentRecord() {
  DocumentRecord r;
  r.name = "notes/roxi.md";
  r.source_path = "/home/ada/notes/roxi.md";
  r.content_hash = 0x0123456789abcdef;
  r.size_bytes = 5321;
  r.chunk_count = 3;
  r.ingested_at_micros = kExampleNowMicros;
  r.source_mtime_micros = kExampleMtimeMicros;
  return r;
}

// Version 2: the same document with metadata, a key with two values among it.
inline DocumentRecord CanonicalDocumentRecordV2() {
  DocumentRecord r = CanonicalDocumentRecord();
  r.metadata = {{"tags", "edge"}, {"tags", "search"}, {"title", "Roxi notes"}};
  return r;
}

inline DocumentId CanonicalNameRecord() { return DocumentId{42}; }

inline ChunkRecord CanonicalChunkRecord() {
  ChunkRecord r;
  r.state = ChunkState::kFailed;
  r.attempts = 3;
  r.byte_offset = 4096;
  r.text = "Chunks are embedded in batches.";
  r.text_hash = Xxh3(r.text);
  r.last_error = "embedder: timed out";
  return r;
}

inline VectorRecord CanonicalVectorRecord() {
  VectorRecord r;
  r.model = Xxh3("builtin:hash-v1:4");
  r.text_hash = Xxh3("Chunks are embedded in batches.");
  // 1.0, -0.5, the half nearest 1/3, and the smallest subnormal 2^-24.
  r.halfs = {0x3c00, 0xb800, 0x3555, 0x0001};
  return r;
}

inline CheckpointRecord CanonicalCheckpointRecord() {
  CheckpointRecord r;
  r.batches_committed = 17;
  r.chunks_embedded = 1000;
  r.chunks_failed = 2;
  r.last_chunk_id = MakeChunkId(DocumentId{42}, 7).value;
  r.last_batch_size = 64;
  r.last_batch_micros = 250000;
  r.updated_at_micros = kExampleNowMicros;
  return r;
}

inline StoreInfoRecord CanonicalStoreInfoRecord() {
  StoreInfoRecord r;
  r.schema_version = 1;
  for (size_t i = 0; i < r.store_id.size(); ++i) r.store_id[i] = static_cast<uint8_t>(0x11 * i);
  r.created_at_micros = kExampleNowMicros;
  r.created_by = "roxi 0.1.0";
  return r;
}

inline EmbedderRecord CanonicalEmbedderRecord() {
  EmbedderRecord r;
  r.id = "builtin:hash-v1:384";
  r.fingerprint = Xxh3(r.id);
  r.dim = 384;
  return r;
}

inline CountersRecord CanonicalCountersRecord() {
  CountersRecord r;
  r.documents = 3;
  r.chunks = 200;
  r.embedded = 150;
  r.pending = 48;
  r.failed = 2;
  r.next_document_id = 4;
  r.embeddings_reused = 130;
  return r;
}

inline DeletionsRecord CanonicalDeletionsRecord() {
  DeletionsRecord r;
  r.documents = 12;
  r.chunks = 340;
  r.last_deleted_at_micros = 1767225600000000;  // 2026-01-01T00:00:00Z
  return r;
}

inline IngestStageRecord CanonicalIngestStageRecord() {
  IngestStageRecord r;
  r.phase = StagePhase::kStaging;
  r.chunks = 219;
  r.name = "/srv/books/all.txt";
  return r;
}

inline ReembedRecord CanonicalReembedRecord() {
  ReembedRecord r;
  r.target.id = "static:words.vec:sif:300";
  r.target.fingerprint = Xxh3(r.target.id);
  r.target.dim = 300;
  r.started_at_micros = kExampleNowMicros;
  r.cursor = MakeChunkId(DocumentId{42}, 7).value;
  r.staged = 1000;
  return r;
}

inline VectorFamilyRecord CanonicalVectorFamilyRecord() {
  VectorFamilyRecord r;
  r.active = VectorFamily::kVectorsB;
  return r;
}

}  // namespace roxi::format::testing
