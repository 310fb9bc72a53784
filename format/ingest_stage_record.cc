#include "format/ingest_stage_record.h"

#include "format/coding.h"
#include "format/dcheck.h"
#include "format/record_frame.h"

namespace roxi::format {

namespace {
constexpr std::string_view kStageWhat = "ingest stage record";
}  // namespace

std::string EncodeStageKey(DocumentId id) {
  std::string key(kMetaStageKeyPrefix);
  key += EncodeDocumentKey(id);
  return key;
}

Result<DocumentId> DecodeStageKey(std::string_view key) {
  if (key.size() != kMetaStageKeySize || !IsStageKey(key)) {
    return Status::Corruption("stage key", "want \"stage/\" and 8 bytes");
  }
  return DecodeDocumentKey(key.substr(kMetaStageKeyPrefix.size()));
}

void EncodeIngestStageRecord(const IngestStageRecord& r, std::string* dst) {
  ROXI_DCHECK(r.chunks <= kMaxChunkNumber + 1);
  ROXI_DCHECK(r.name.empty() || r.phase == StagePhase::kStaging);
  const size_t start = dst->size();
  dst->push_back(static_cast<char>(kIngestStageRecordV1));
  dst->push_back(static_cast<char>(r.phase));
  PutVarint32(dst, r.chunks);
  PutLengthPrefixed(dst, r.name);
  SealRecord(dst, start);
}

Result<IngestStageRecord> DecodeIngestStageRecord(std::string_view in) {
  ROXI_ASSIGN_OR_RETURN(std::string_view body, OpenRecord(in, kStageWhat, kIngestStageRecordV1));
  IngestStageRecord r;
  uint8_t phase = 0;
  std::string_view name;
  if (!GetByte(&body, &phase) || !GetVarint32(&body, &r.chunks) ||
      !GetLengthPrefixed(&body, &name, kMaxDocumentNameBytes)) {
    return BadRecord(kStageWhat, "truncated fields");
  }
  if (!body.empty()) return BadRecord(kStageWhat, std::to_string(body.size()) + " trailing bytes");
  if (phase < 1 || phase > 3)
    return BadRecord(kStageWhat, "unknown phase " + std::to_string(phase));
  r.phase = static_cast<StagePhase>(phase);
  if (r.chunks > kMaxChunkNumber + 1) return BadRecord(kStageWhat, "too many chunks");
  if (r.phase == StagePhase::kStaging) {
    if (!ValidateDocumentName(name).ok()) return BadRecord(kStageWhat, "bad document name");
  } else if (!name.empty()) {
    return BadRecord(kStageWhat, "a name outside the staging phase");
  }
  if (r.phase == StagePhase::kRetiring && r.chunks != 0) {
    return BadRecord(kStageWhat, "a chunk count in the retiring phase");
  }
  r.name = std::string(name);
  return r;
}

}  // namespace roxi::format
