// The values of meta["stage/<document id>"] (FORMAT.md §3.9): a document too big for one
// WriteBatch is written in bounded batches under a document id of its own, and this record says
// how far that got, so that a crash at any instant is finished or undone at the next open.
//
//   key:              "stage/" | document_id: fixed64 (big-endian)
//   IngestStageRecord: version: u8 = 1 | phase: u8 | chunks: varint32 | name: lenprefixed
//                      | xxh3: fixed64
//
// Phases (what the document id's chunks are, and what the next open does with them):
//   1 staging:  chunks [0, chunks) of a new version of document `name` are written, neither
//               counted nor queued, and the id has no document record: nothing sees them. An open
//               deletes them (the old version, if any, was never touched).
//   2 queueing: the version is switched in (its document and name records exist); chunks
//               [0, chunks) are queued and counted, the rest are not yet. An open queues the rest.
//   3 retiring: a replaced version (its document record is gone, so searches skip its chunks);
//               its remaining chunks are counted as usual. An open removes them. `chunks` is 0.
// `name` is set in phase 1 only (it says which document the stage is for).
//
// Thread-safety: pure functions and values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "format/keys.h"
#include "format/status.h"

namespace roxi::format {

inline constexpr std::string_view kMetaStageKeyPrefix = "stage/";
inline constexpr size_t kMetaStageKeySize = 6 + kIdKeySize;
inline constexpr uint8_t kIngestStageRecordV1 = 1;

enum class StagePhase : uint8_t { kStaging = 1, kQueueing = 2, kRetiring = 3 };

struct IngestStageRecord {
  StagePhase phase = StagePhase::kStaging;
  uint32_t chunks = 0;  // staging: written; queueing: queued; retiring: 0
  std::string name;     // staging only: the document being replaced or created
  bool operator==(const IngestStageRecord&) const = default;
};

std::string EncodeStageKey(DocumentId id);
// Corruption unless "stage/" followed by a valid document key.
Result<DocumentId> DecodeStageKey(std::string_view key);
inline bool IsStageKey(std::string_view key) { return key.starts_with(kMetaStageKeyPrefix); }

// REQUIRES: name is empty or a valid document name (ValidateDocumentName), and empty unless the
// phase is kStaging; chunks <= kMaxChunkNumber + 1, and 0 when retiring.
void EncodeIngestStageRecord(const IngestStageRecord& record, std::string* dst);
// Corruption on damage, an unknown phase, a field over its limit, a field not allowed in its phase
// or trailing bytes; NotSupported on another version.
Result<IngestStageRecord> DecodeIngestStageRecord(std::string_view in);

}  // namespace roxi::format
