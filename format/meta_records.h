// The values of the `meta` family (FORMAT.md §3.6). Its keys are fixed ASCII strings:
//
//   "store"    -> StoreInfoRecord: what this store is and which schema it was written with
//   "embedder" -> EmbedderRecord:  the embedder every vector in the store comes from
//   "counters" -> CountersRecord:  running totals, updated in the same WriteBatch as the change
//
//   StoreInfoRecord: version: u8 = 1 | schema_version: varint32 | store_id: 16 bytes
//                    | created_at_micros: varint64 | created_by: lenprefixed | xxh3: fixed64
//   EmbedderRecord:  version: u8 = 1 | id: lenprefixed | fingerprint: fixed64 | dim: varint32
//                    | xxh3: fixed64
//   CountersRecord:  version: u8 = 1 | documents | chunks | embedded | pending | failed
//                    | next_document_id | embeddings_reused (each varint64) | xxh3: fixed64
//
// Thread-safety: pure functions and values.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "format/status.h"

namespace roxi::format {

// The schema this roxi writes. A store of a newer schema is refused, naming both. 2 added the
// families `text_vectors` and `vectors_b` and the meta keys `vector_family` and `reembed`; 3 the
// meta key `deletions` (FORMAT.md §5.1).
inline constexpr uint32_t kSchemaVersion = 4;

inline constexpr std::string_view kMetaStoreKey = "store";
inline constexpr std::string_view kMetaEmbedderKey = "embedder";
inline constexpr std::string_view kMetaCountersKey = "counters";

inline constexpr uint8_t kStoreInfoRecordV1 = 1;
inline constexpr uint8_t kEmbedderRecordV1 = 1;
inline constexpr uint8_t kCountersRecordV1 = 1;
inline constexpr uint32_t kMaxEmbedderIdBytes = 1024;
inline constexpr uint32_t kMaxCreatedByBytes = 256;

struct StoreInfoRecord {
  uint32_t schema_version = kSchemaVersion;
  std::array<uint8_t, 16> store_id{};  // random, fixed at creation; names backups
  uint64_t created_at_micros = 0;
  std::string created_by;  // "roxi <version>"
  bool operator==(const StoreInfoRecord&) const = default;
};

struct EmbedderRecord {
  std::string id;            // human-readable, e.g. "builtin:hash-v1:384"
  uint64_t fingerprint = 0;  // XXH3-64 of id: the `model` field of every vector record
  uint32_t dim = 0;
  bool operator==(const EmbedderRecord&) const = default;
};

struct CountersRecord {
  uint64_t documents = 0;
  uint64_t chunks = 0;
  uint64_t embedded = 0;
  uint64_t pending = 0;
  uint64_t failed = 0;
  uint64_t next_document_id = 1;
  uint64_t embeddings_reused = 0;
  bool operator==(const CountersRecord&) const = default;
};

// Each Encode appends its record to *dst. Each Decode returns Corruption on damage, a field over
// its limit or trailing bytes, and NotSupported on an unknown record version.

// REQUIRES: created_by.size() <= kMaxCreatedByBytes.
void EncodeStoreInfoRecord(const StoreInfoRecord& record, std::string* dst);
// Accepts any schema_version: refusing a newer schema is the caller's decision (FORMAT.md §5.2).
Result<StoreInfoRecord> DecodeStoreInfoRecord(std::string_view in);

// REQUIRES: id is 1..kMaxEmbedderIdBytes bytes, fingerprint == XXH3-64(id), 1 <= dim <= kMaxDim.
void EncodeEmbedderRecord(const EmbedderRecord& record, std::string* dst);
// Also Corruption if the id is empty, dim is outside 1..kMaxDim or fingerprint != XXH3-64(id).
Result<EmbedderRecord> DecodeEmbedderRecord(std::string_view in);

// REQUIRES: next_document_id != 0 and embedded + pending + failed == chunks.
void EncodeCountersRecord(const CountersRecord& record, std::string* dst);
// Also Corruption if next_document_id is 0 or embedded + pending + failed != chunks, the sum taken
// exactly (without wrapping around 2^64).
Result<CountersRecord> DecodeCountersRecord(std::string_view in);

}  // namespace roxi::format
