#include "format/vector_record.h"

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

Result<VectorRecord> DecodeVectorRecord(std::string_view in) {
  ROXI_ASSIGN_OR_RETURN(std::string_view body, OpenRecord(in, kWhat, kVectorRecordV1));
  VectorRecord r;
  uint32_t dim = 0;
  if (!GetFixed64(&body, &r.model) || !GetFixed64(&body, &r.text_hash) ||
      !GetVarint32(&body, &dim)) {
    return BadRecord(kWhat, "truncated header");
  }
  // Checked before any allocation.
  if (dim == 0 || dim > kMaxDim) return BadRecord(kWhat, "dimension " + std::to_string(dim));
  if (body.size() != size_t{dim} * 2) {
    return BadRecord(kWhat, "payload of " + std::to_string(body.size()) + " bytes for dimension " +
                                std::to_string(dim));
  }
  r.halfs.resize(dim);
  for (uint32_t i = 0; i < dim; ++i) r.halfs[i] = DecodeFixed16(body.data() + 2 * i);
  return r;
}

}  // namespace roxi::format
