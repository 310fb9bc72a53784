#include "format/vector_record.h"

#include <bit>
#include <cstring>

#include "format/coding.h"
#include "format/dcheck.h"
#include "format/float16.h"
#include "format/record_frame.h"

namespace roxi::format {

namespace {
constexpr std::string_view kWhat = "vector record";

void PutHeader(uint64_t model, uint64_t text_hash, uint32_t dim, std::string* dst) {
  ROXI_DCHECK(dim >= 1 && dim <= kMaxDim);
  dst->push_back(static_cast<char>(kVectorRecordV1));
  PutFixed64(dst, model);
  PutFixed64(dst, text_hash);
  PutVarint32(dst, dim);
}
}  // namespace

void EncodeVectorRecord(const VectorRecord& r, std::string* dst) {
  const size_t start = dst->size();
  PutHeader(r.model, r.text_hash, static_cast<uint32_t>(r.halfs.size()), dst);
  for (uint16_t h : r.halfs) PutFixed16(dst, h);
  SealRecord(dst, start);
}

void EncodeVectorRecordFromFloats(uint64_t model, uint64_t text_hash, const float* values,
                                  uint32_t dim, std::string* dst) {
  const size_t start = dst->size();
  PutHeader(model, text_hash, dim, dst);
  for (uint32_t i = 0; i < dim; ++i) PutFixed16(dst, FloatToHalf(values[i]));
  SealRecord(dst, start);
}

Result<VectorRecordView> DecodeVectorRecordView(std::string_view in) {
  ROXI_ASSIGN_OR_RETURN(std::string_view body, OpenRecord(in, kWhat, kVectorRecordV1));
  VectorRecordView v;
  if (!GetFixed64(&body, &v.model) || !GetFixed64(&body, &v.text_hash) ||
      !GetVarint32(&body, &v.dim)) {
    return BadRecord(kWhat, "truncated header");
  }
  // Checked before any allocation.
  if (v.dim == 0 || v.dim > kMaxDim) return BadRecord(kWhat, "dimension " + std::to_string(v.dim));
  if (body.size() != size_t{v.dim} * 2) {
    return BadRecord(kWhat, "payload of " + std::to_string(body.size()) + " bytes for dimension " +
                                std::to_string(v.dim));
  }
  v.halfs_le = body;
  return v;
}

void VectorRecordView::CopyHalfs(uint16_t* out) const {
  if constexpr (std::endian::native == std::endian::little) {
    std::memcpy(out, halfs_le.data(), halfs_le.size());
  } else {
    for (uint32_t i = 0; i < dim; ++i) out[i] = DecodeFixed16(halfs_le.data() + 2 * i);
  }
}

Result<VectorRecord> DecodeVectorRecord(std::string_view in) {
  ROXI_ASSIGN_OR_RETURN(VectorRecordView view, DecodeVectorRecordView(in));
  VectorRecord r;
  r.model = view.model;
  r.text_hash = view.text_hash;
  r.halfs.resize(view.dim);
  view.CopyHalfs(r.halfs.data());
  return r;
}

}  // namespace roxi::format
