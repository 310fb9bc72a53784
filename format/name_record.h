// The value of the `names` family, keyed by the document's name bytes (FORMAT.md §3.2): which
// DocumentId holds that name.
//
//   version: u8 = 1 | document_id: fixed64 | xxh3: fixed64
//
// Thread-safety: pure functions and values.
#pragma once

#include <string>
#include <string_view>

#include "format/keys.h"
#include "format/status.h"

namespace roxi::format {

inline constexpr uint8_t kNameRecordV1 = 1;

// Appends the record to *dst. REQUIRES: 1 <= id.value <= kMaxDocumentId.
void EncodeNameRecord(DocumentId id, std::string* dst);
// Corruption on damage or an id outside 1..kMaxDocumentId; NotSupported on an unknown version.
Result<DocumentId> DecodeNameRecord(std::string_view in);

}  // namespace roxi::format
