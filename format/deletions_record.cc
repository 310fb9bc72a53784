#include "format/deletions_record.h"

#include "format/coding.h"
#include "format/record_frame.h"

namespace roxi::format {

namespace {
constexpr std::string_view kDeletionsWhat = "deletions record";
}  // namespace

void EncodeDeletionsRecord(const DeletionsRecord& r, std::string* dst) {
  const size_t start = dst->size();
  dst->push_back(static_cast<char>(kDeletionsRecordV1));
  PutVarint64(dst, r.documents);
  PutVarint64(dst, r.chunks);
  PutVarint64(dst, r.last_deleted_at_micros);
  SealRecord(dst, start);
}

Result<DeletionsRecord> DecodeDeletionsRecord(std::string_view in) {
  ROXI_ASSIGN_OR_RETURN(std::string_view body, OpenRecord(in, kDeletionsWhat, kDeletionsRecordV1));
  DeletionsRecord r;
  if (!GetVarint64(&body, &r.documents) || !GetVarint64(&body, &r.chunks) ||
      !GetVarint64(&body, &r.last_deleted_at_micros)) {
    return BadRecord(kDeletionsWhat, "truncated fields");
  }
  if (!body.empty()) {
    return BadRecord(kDeletionsWhat, std::to_string(body.size()) + " trailing bytes");
  }
  return r;
}

}  // namespace roxi::format
