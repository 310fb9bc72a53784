#include "format/checkpoint_record.h"

#include "format/coding.h"
#include "format/record_frame.h"

namespace roxi::format {

namespace {
constexpr std::string_view kWhat = "checkpoint record";
}

void EncodeCheckpointRecord(const CheckpointRecord& r, std::string* dst) {
  const size_t start = dst->size();
  dst->push_back(static_cast<char>(kCheckpointRecordV1));
  PutVarint64(dst, r.batches_committed);
  PutVarint64(dst, r.chunks_embedded);
  PutVarint64(dst, r.chunks_failed);
  PutFixed64(dst, r.last_chunk_id);
  PutVarint32(dst, r.last_batch_size);
  PutVarint64(dst, r.last_batch_micros);
  PutVarint64(dst, r.updated_at_micros);
  SealRecord(dst, start);
}

Result<CheckpointRecord> DecodeCheckpointRecord(std::string_view in) {
  ROXI_ASSIGN_OR_RETURN(std::string_view body, OpenRecord(in, kWhat, kCheckpointRecordV1));
  CheckpointRecord r;
  if (!GetVarint64(&body, &r.batches_committed) || !GetVarint64(&body, &r.chunks_embedded) ||
      !GetVarint64(&body, &r.chunks_failed) || !GetFixed64(&body, &r.last_chunk_id) ||
      !GetVarint32(&body, &r.last_batch_size) || !GetVarint64(&body, &r.last_batch_micros) ||
      !GetVarint64(&body, &r.updated_at_micros)) {
    return BadRecord(kWhat, "truncated fields");
  }
  if (!body.empty()) return BadRecord(kWhat, std::to_string(body.size()) + " trailing bytes");
  return r;
}

}  // namespace roxi::format
