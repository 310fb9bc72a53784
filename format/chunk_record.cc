#include "format/chunk_record.h"

#include "format/coding.h"
#include "format/dcheck.h"
#include "format/hash.h"
#include "format/record_frame.h"

namespace roxi::format {

namespace {
constexpr std::string_view kWhat = "chunk record";
}

std::string_view ChunkStateName(ChunkState state) {
  switch (state) {
    case ChunkState::kPending: return "pending";
    case ChunkState::kEmbedded: return "embedded";
    case ChunkState::kFailed: return "failed";
  }
  return "unknown";
}

void EncodeChunkRecord(const ChunkRecord& r, std::string* dst) {
  ROXI_DCHECK(r.text.size() <= kMaxChunkTextBytes);
  ROXI_DCHECK(r.state == ChunkState::kPending || r.state == ChunkState::kEmbedded ||
              r.state == ChunkState::kFailed);
  const size_t start = dst->size();
  dst->push_back(static_cast<char>(kChunkRecordV1));
  dst->push_back(static_cast<char>(r.state));
  PutVarint32(dst, r.attempts);
  PutVarint64(dst, r.byte_offset);
  PutFixed64(dst, Xxh3(r.text));
  PutLengthPrefixed(dst, r.text);
  PutLengthPrefixed(dst, r.last_error.substr(0, kMaxErrorBytes));
  SealRecord(dst, start);
}

Result<ChunkRecord> DecodeChunkRecord(std::string_view in) {
  ROXI_ASSIGN_OR_RETURN(std::string_view body, OpenRecord(in, kWhat, kChunkRecordV1));
  ChunkRecord r;
  uint8_t state = 0;
  if (!GetByte(&body, &state)) return BadRecord(kWhat, "missing state");
  if (state > static_cast<uint8_t>(ChunkState::kFailed)) {
    return BadRecord(kWhat, "unknown state " + std::to_string(state));
  }
  r.state = static_cast<ChunkState>(state);
  std::string_view text, error;
  if (!GetVarint32(&body, &r.attempts) || !GetVarint64(&body, &r.byte_offset) ||
      !GetFixed64(&body, &r.text_hash)) {
    return BadRecord(kWhat, "truncated fields");
  }
  if (!GetLengthPrefixed(&body, &text, kMaxChunkTextBytes)) return BadRecord(kWhat, "bad text");
  if (!GetLengthPrefixed(&body, &error, kMaxErrorBytes)) return BadRecord(kWhat, "bad last error");
  if (!body.empty()) return BadRecord(kWhat, std::to_string(body.size()) + " trailing bytes");
  if (Xxh3(text) != r.text_hash) return BadRecord(kWhat, "text hash does not match text");
  r.text.assign(text);
  r.last_error.assign(error);
  return r;
}

}  // namespace roxi::format
