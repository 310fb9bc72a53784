#include "format/name_record.h"

#include "format/coding.h"
#include "format/dcheck.h"
#include "format/record_frame.h"

namespace roxi::format {

namespace {
constexpr std::string_view kWhat = "name record";
}

void EncodeNameRecord(DocumentId id, std::string* dst) {
  ROXI_DCHECK(id.value >= 1 && id.value <= kMaxDocumentId);
  const size_t start = dst->size();
  dst->push_back(static_cast<char>(kNameRecordV1));
  PutFixed64(dst, id.value);
  SealRecord(dst, start);
}

Result<DocumentId> DecodeNameRecord(std::string_view in) {
  ROXI_ASSIGN_OR_RETURN(std::string_view body, OpenRecord(in, kWhat, kNameRecordV1));
  DocumentId id;
  if (!GetFixed64(&body, &id.value) || !body.empty()) return BadRecord(kWhat, "bad length");
  if (id.value == 0 || id.value > kMaxDocumentId) return BadRecord(kWhat, "document id out of range");
  return id;
}

}  // namespace roxi::format
