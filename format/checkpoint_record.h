// The value of the `checkpoints` family, keyed by the processor's name (FORMAT.md §3.5): the
// progress a processor has committed. It is written in the same WriteBatch as the batch it
// describes, so it never runs ahead of or behind the vectors.
//
//   version: u8 = 1 | batches_committed: varint64 | chunks_embedded: varint64
//   | chunks_failed: varint64 | last_chunk_id: fixed64 | last_batch_size: varint32
//   | last_batch_micros: varint64 | updated_at_micros: varint64 | xxh3: fixed64
//
// Thread-safety: pure functions and values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "format/status.h"

namespace roxi::format {

inline constexpr uint8_t kCheckpointRecordV1 = 1;
inline constexpr size_t kMaxCheckpointNameBytes = 128;

struct CheckpointRecord {
  uint64_t batches_committed = 0;
  uint64_t chunks_embedded = 0;  // by this processor, over its life
  uint64_t chunks_failed = 0;
  uint64_t last_chunk_id = 0;    // highest ChunkId of the last committed batch
  uint32_t last_batch_size = 0;
  uint64_t last_batch_micros = 0;  // wall time of the last batch, select to commit
  uint64_t updated_at_micros = 0;  // Unix time of the last commit
  bool operator==(const CheckpointRecord&) const = default;
};

void EncodeCheckpointRecord(const CheckpointRecord& record, std::string* dst);
// Corruption on damage or trailing bytes; NotSupported on an unknown version.
Result<CheckpointRecord> DecodeCheckpointRecord(std::string_view in);

}  // namespace roxi::format
