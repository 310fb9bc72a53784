// The value of the `vectors` family, keyed by ChunkId (FORMAT.md §3.4): one chunk's embedding.
//
//   version: u8 = 1 | model: fixed64 | text_hash: fixed64 | dim: varint32 | data: f16[dim]
//   | xxh3: fixed64
//
// `model` is the fingerprint of the embedder that produced the vector (EmbedderRecord), and
// `text_hash` the XXH3-64 of the text it embedded, so a vector can be checked against its chunk and
// reused for identical text. `data` holds IEEE binary16 values, little-endian.
//
// Thread-safety: pure functions and values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "format/status.h"

namespace roxi::format {

inline constexpr uint8_t kVectorRecordV1 = 1;
inline constexpr uint32_t kMaxDim = 16384;

struct VectorRecord {
  uint64_t model = 0;
  uint64_t text_hash = 0;
  std::vector<uint16_t> halfs;  // binary16 bits, one per dimension
  bool operator==(const VectorRecord&) const = default;
};

// REQUIRES: 1 <= halfs.size() <= kMaxDim.
void EncodeVectorRecord(const VectorRecord& record, std::string* dst);
// Encodes straight from float32 values (converted with FloatToHalf), without an intermediate record:
// the same bytes as EncodeVectorRecord of the converted halves. `values` has `dim` elements.
// REQUIRES: 1 <= dim <= kMaxDim.
void EncodeVectorRecordFromFloats(uint64_t model, uint64_t text_hash, const float* values,
                                  uint32_t dim, std::string* dst);
// Corruption on damage, or a dim outside 1..kMaxDim or not matching the payload (both checked
// before the halves are allocated); NotSupported on an unknown version.
Result<VectorRecord> DecodeVectorRecord(std::string_view in);

// A decoded vector record that still points into the bytes it was decoded from: what a scan of
// every vector uses, so that it copies the payload once, into its destination, and allocates
// nothing per record.
struct VectorRecordView {
  uint64_t model = 0;
  uint64_t text_hash = 0;
  uint32_t dim = 0;
  std::string_view halfs_le;  // dim binary16 values, little-endian, as stored

  // Writes the dim values to out[0, dim).
  void CopyHalfs(uint16_t* out) const;
};
// As DecodeVectorRecord, with the same checks and statuses; the view is valid while `in` is.
Result<VectorRecordView> DecodeVectorRecordView(std::string_view in);

}  // namespace roxi::format
