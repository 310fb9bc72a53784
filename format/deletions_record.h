// The value of meta["deletions"] (FORMAT.md §3.8): running totals of what `roxi delete` (and the
// deletions of a watched folder) removed, written in the same WriteBatch as each deletion. The
// health monitor reads it beside the counters: documents may shrink by exactly what was deleted.
//
//   DeletionsRecord: version: u8 = 1 | documents: varint64 | chunks: varint64
//                    | last_deleted_at_micros: varint64 | xxh3: fixed64
//
// A store without the key has deleted nothing (all zero).
//
// Thread-safety: pure functions and values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "format/status.h"

namespace roxi::format {

inline constexpr std::string_view kMetaDeletionsKey = "deletions";
inline constexpr uint8_t kDeletionsRecordV1 = 1;

struct DeletionsRecord {
  uint64_t documents = 0;               // documents deleted over the store's life
  uint64_t chunks = 0;                  // their chunks
  uint64_t last_deleted_at_micros = 0;  // Unix time of the last deletion; 0: never
  bool operator==(const DeletionsRecord&) const = default;
};

void EncodeDeletionsRecord(const DeletionsRecord& record, std::string* dst);
// Corruption on damage or trailing bytes; NotSupported on another version.
Result<DeletionsRecord> DecodeDeletionsRecord(std::string_view in);

}  // namespace roxi::format
