#include "format/document_record.h"

#include "format/coding.h"
#include "format/dcheck.h"
#include "format/keys.h"
#include "format/record_frame.h"

namespace roxi::format {

namespace {
constexpr std::string_view kWhat = "document record";
}

void EncodeDocumentRecord(const DocumentRecord& r, std::string* dst) {
  ROXI_DCHECK(!r.name.empty() && r.name.size() <= kMaxDocumentNameBytes);
  ROXI_DCHECK(r.source_path.size() <= kMaxSourcePathBytes);
  ROXI_DCHECK(r.chunk_count <= kMaxChunkNumber + 1);
  const size_t start = dst->size();
  const bool has_metadata = !r.metadata.empty();
  dst->push_back(static_cast<char>(has_metadata ? kDocumentRecordV2 : kDocumentRecordV1));
  PutLengthPrefixed(dst, r.name);
  PutLengthPrefixed(dst, r.source_path);
  PutFixed64(dst, r.content_hash);
  PutVarint64(dst, r.size_bytes);
  PutVarint32(dst, r.chunk_count);
  PutVarint64(dst, r.ingested_at_micros);
  PutVarint64(dst, r.source_mtime_micros);
  if (has_metadata) EncodeMetadata(r.metadata, dst);
  SealRecord(dst, start);
}

Result<DocumentRecord> DecodeDocumentRecord(std::string_view in) {
  const uint8_t version = !in.empty() && static_cast<uint8_t>(in[0]) == kDocumentRecordV2
                              ? kDocumentRecordV2
                              : kDocumentRecordV1;
  ROXI_ASSIGN_OR_RETURN(std::string_view body, OpenRecord(in, kWhat, version));
  DocumentRecord r;
  std::string_view name, path;
  if (!GetLengthPrefixed(&body, &name, kMaxDocumentNameBytes) || name.empty()) {
    return BadRecord(kWhat, "bad name");
  }
  if (!GetLengthPrefixed(&body, &path, kMaxSourcePathBytes)) return BadRecord(kWhat, "bad source path");
  if (!GetFixed64(&body, &r.content_hash) || !GetVarint64(&body, &r.size_bytes) ||
      !GetVarint32(&body, &r.chunk_count) || !GetVarint64(&body, &r.ingested_at_micros) ||
      !GetVarint64(&body, &r.source_mtime_micros)) {
    return BadRecord(kWhat, "truncated fields");
  }
  if (r.chunk_count > kMaxChunkNumber + 1) return BadRecord(kWhat, "chunk count out of range");
  if (version == kDocumentRecordV2) {
    ROXI_ASSIGN_OR_RETURN(r.metadata, DecodeMetadata(&body, kWhat));
    if (r.metadata.empty()) return BadRecord(kWhat, "version 2 without metadata");
  }
  if (!body.empty()) return BadRecord(kWhat, std::to_string(body.size()) + " trailing bytes");
  r.name.assign(name);
  r.source_path.assign(path);
  return r;
}

}  // namespace roxi::format
