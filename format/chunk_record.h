// The value of the `chunks` family, keyed by ChunkId (FORMAT.md §3.3): a chunk's text, where it sits
// in its document, and its embedding state.
//
//   version: u8 = 1 | state: u8 | attempts: varint32 | byte_offset: varint64 | text_hash: fixed64
//   | text: lenprefixed | last_error: lenprefixed | xxh3: fixed64
//
// Invariant: text_hash == XXH3-64(text); the decoder checks it. The chunk covers bytes
// [byte_offset, byte_offset + text.size()) of its document.
//
// Thread-safety: pure functions and values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "format/status.h"

namespace roxi::format {

inline constexpr uint8_t kChunkRecordV1 = 1;
inline constexpr uint32_t kMaxChunkTextBytes = 1 << 20;
inline constexpr uint32_t kMaxErrorBytes = 4096;

enum class ChunkState : uint8_t {
  kPending = 0,   // queued in `pending`, no vector yet
  kEmbedded = 1,  // has exactly one vector in `vectors`
  kFailed = 2,    // gave up after `attempts`; last_error says why
};
std::string_view ChunkStateName(ChunkState state);

struct ChunkRecord {
  ChunkState state = ChunkState::kPending;
  uint32_t attempts = 0;
  uint64_t byte_offset = 0;
  uint64_t text_hash = 0;
  std::string text;
  std::string last_error;
  bool operator==(const ChunkRecord&) const = default;
};

// Appends the record to *dst. The stored text_hash is always XXH3-64(text): the record's text_hash
// field is ignored. last_error is cut to its first kMaxErrorBytes bytes.
// REQUIRES: text.size() <= kMaxChunkTextBytes and state is one of the three.
void EncodeChunkRecord(const ChunkRecord& record, std::string* dst);
// Corruption on damage, an unknown state, a text or error over its limit, trailing bytes or a
// text_hash that does not match the text; NotSupported on an unknown version.
Result<ChunkRecord> DecodeChunkRecord(std::string_view in);

}  // namespace roxi::format
