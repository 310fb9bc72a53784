// The value of the `documents` family, keyed by DocumentId (FORMAT.md §3.1):
//
//   version: u8 = 1 or 2 | name: lenprefixed | source_path: lenprefixed | content_hash: fixed64
//   | size_bytes: varint64 | chunk_count: varint32 | ingested_at_micros: varint64
//   | source_mtime_micros: varint64 | [v2: metadata (document_metadata.h)] | xxh3: fixed64
//
// A document without metadata is written as version 1, one with metadata as version 2, so each
// record has exactly one encoding; a version 2 record with no metadata field is damage.
//
// Invariants: name is 1..kMaxDocumentNameBytes bytes, source_path at most kMaxSourcePathBytes,
// chunk_count at most kMaxChunkNumber + 1 (the chunks are numbers 0..chunk_count - 1).
//
// Thread-safety: pure functions and values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "format/document_metadata.h"
#include "format/status.h"

namespace roxi::format {

inline constexpr uint8_t kDocumentRecordV1 = 1;
inline constexpr uint8_t kDocumentRecordV2 = 2;
inline constexpr uint32_t kMaxSourcePathBytes = 4096;

struct DocumentRecord {
  std::string name;             // the unique name: a path as given, or a user-chosen id
  std::string source_path;      // absolute path it was read from; empty for standard input
  uint64_t content_hash = 0;    // XXH3-64 of the document's bytes
  uint64_t size_bytes = 0;
  uint32_t chunk_count = 0;
  uint64_t ingested_at_micros = 0;   // Unix time
  uint64_t source_mtime_micros = 0;  // 0 when unknown
  DocumentMetadata metadata;         // canonical (document_metadata.h); empty: none
  bool operator==(const DocumentRecord&) const = default;
};

// Appends the record to *dst. REQUIRES: the invariants above (callers validate names and paths
// first, see ValidateDocumentName) and canonical metadata (CanonicalizeMetadata).
void EncodeDocumentRecord(const DocumentRecord& record, std::string* dst);
// Corruption on damage, an invariant broken or trailing bytes; NotSupported on an unknown version.
Result<DocumentRecord> DecodeDocumentRecord(std::string_view in);

}  // namespace roxi::format
