// The values of the `meta` keys that a re-embed uses (FORMAT.md §3.7):
//
//   "reembed"       -> ReembedRecord:      a re-embed in progress: its target embedder, when it
//                                          started, how far its current pass has come
//   "vector_family" -> VectorFamilyRecord: which of the families `vectors` and `vectors_b` holds
//                                          the vectors searches use (the other one stages)
//
//   ReembedRecord:      version: u8 = 1 | target_id: lenprefixed | target_fingerprint: fixed64
//                       | target_dim: varint32 | started_at_micros: varint64 | cursor: fixed64
//                       | staged: varint64 | xxh3: fixed64
//   VectorFamilyRecord: version: u8 = 1 | active: u8 (0 = vectors, 1 = vectors_b) | xxh3: fixed64
//
// Thread-safety: pure functions and values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "format/meta_records.h"
#include "format/status.h"

namespace roxi::format {

inline constexpr std::string_view kMetaReembedKey = "reembed";
inline constexpr std::string_view kMetaVectorFamilyKey = "vector_family";

inline constexpr uint8_t kReembedRecordV1 = 1;
inline constexpr uint8_t kVectorFamilyRecordV1 = 1;

struct ReembedRecord {
  EmbedderRecord target;           // the embedder the store moves to
  uint64_t started_at_micros = 0;  // Unix time the re-embed was started
  uint64_t cursor = 0;             // ChunkId of the last chunk the current pass covered; 0: none
  uint64_t staged = 0;             // staging vectors written so far (progress; may overcount)
  bool operator==(const ReembedRecord&) const = default;
};

// Which physical vector family is active.
enum class VectorFamily : uint8_t { kVectors = 0, kVectorsB = 1 };

struct VectorFamilyRecord {
  VectorFamily active = VectorFamily::kVectors;
  bool operator==(const VectorFamilyRecord&) const = default;
};

// REQUIRES: target satisfies EncodeEmbedderRecord's requirements.
void EncodeReembedRecord(const ReembedRecord& record, std::string* dst);
// Corruption on damage, trailing bytes or a target that EmbedderRecord would reject (empty or
// over-long id, dim outside 1..kMaxDim, fingerprint != XXH3-64(id)); NotSupported on another version.
Result<ReembedRecord> DecodeReembedRecord(std::string_view in);

void EncodeVectorFamilyRecord(const VectorFamilyRecord& record, std::string* dst);
// Corruption on damage, trailing bytes or an `active` byte other than 0 or 1; NotSupported on
// another version.
Result<VectorFamilyRecord> DecodeVectorFamilyRecord(std::string_view in);

}  // namespace roxi::format
