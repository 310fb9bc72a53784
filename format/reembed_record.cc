#include "format/reembed_record.h"

#include "format/coding.h"
#include "format/dcheck.h"
#include "format/hash.h"
#include "format/record_frame.h"
#include "format/vector_record.h"

namespace roxi::format {

namespace {
constexpr std::string_view kReembedWhat = "reembed record";
constexpr std::string_view kVectorFamilyWhat = "vector family record";
}  // namespace

void EncodeReembedRecord(const ReembedRecord& r, std::string* dst) {
  ROXI_DCHECK(!r.target.id.empty() && r.target.id.size() <= kMaxEmbedderIdBytes);
  ROXI_DCHECK(r.target.fingerprint == Xxh3(r.target.id));
  ROXI_DCHECK(r.target.dim >= 1 && r.target.dim <= kMaxDim);
  const size_t start = dst->size();
  dst->push_back(static_cast<char>(kReembedRecordV1));
  PutLengthPrefixed(dst, r.target.id);
  PutFixed64(dst, r.target.fingerprint);
  PutVarint32(dst, r.target.dim);
  PutVarint64(dst, r.started_at_micros);
  PutFixed64(dst, r.cursor);
  PutVarint64(dst, r.staged);
  SealRecord(dst, start);
}

Result<ReembedRecord> DecodeReembedRecord(std::string_view in) {
  ROXI_ASSIGN_OR_RETURN(std::string_view body, OpenRecord(in, kReembedWhat, kReembedRecordV1));
  ReembedRecord r;
  std::string_view id;
  if (!GetLengthPrefixed(&body, &id, kMaxEmbedderIdBytes) || id.empty()) {
    return BadRecord(kReembedWhat, "bad target id");
  }
  if (!GetFixed64(&body, &r.target.fingerprint) || !GetVarint32(&body, &r.target.dim) ||
      !GetVarint64(&body, &r.started_at_micros) || !GetFixed64(&body, &r.cursor) ||
      !GetVarint64(&body, &r.staged)) {
    return BadRecord(kReembedWhat, "truncated fields");
  }
  if (!body.empty()) return BadRecord(kReembedWhat, std::to_string(body.size()) + " trailing bytes");
  if (r.target.dim == 0 || r.target.dim > kMaxDim) {
    return BadRecord(kReembedWhat, "target dimension " + std::to_string(r.target.dim));
  }
  if (r.target.fingerprint != Xxh3(id)) {
    return BadRecord(kReembedWhat, "target fingerprint does not match id");
  }
  r.target.id.assign(id);
  return r;
}

void EncodeVectorFamilyRecord(const VectorFamilyRecord& r, std::string* dst) {
  const size_t start = dst->size();
  dst->push_back(static_cast<char>(kVectorFamilyRecordV1));
  dst->push_back(static_cast<char>(r.active));
  SealRecord(dst, start);
}

Result<VectorFamilyRecord> DecodeVectorFamilyRecord(std::string_view in) {
  ROXI_ASSIGN_OR_RETURN(std::string_view body,
                        OpenRecord(in, kVectorFamilyWhat, kVectorFamilyRecordV1));
  if (body.empty()) return BadRecord(kVectorFamilyWhat, "truncated fields");
  const auto active = static_cast<uint8_t>(body[0]);
  body.remove_prefix(1);
  if (!body.empty()) {
    return BadRecord(kVectorFamilyWhat, std::to_string(body.size()) + " trailing bytes");
  }
  if (active > 1) return BadRecord(kVectorFamilyWhat, "active family " + std::to_string(active));
  VectorFamilyRecord r;
  r.active = static_cast<VectorFamily>(active);
  return r;
}

}  // namespace roxi::format
