#include "format/meta_records.h"

#include "format/coding.h"
#include "format/dcheck.h"
#include "format/hash.h"
#include "format/record_frame.h"
#include "format/vector_record.h"

namespace roxi::format {

namespace {
constexpr std::string_view kStoreWhat = "store info record";
constexpr std::string_view kEmbedderWhat = "embedder record";
constexpr std::string_view kCountersWhat = "counters record";

// embedded + pending + failed == chunks, computed exactly: a plain uint64_t sum wraps around 2^64,
// so a counter that underflowed (pending = 2^64 - 1 after one decrement too many) could make a
// wrong set of counters add up.
bool StateCountsSumToChunks(const CountersRecord& r) {
  return r.embedded <= r.chunks && r.pending <= r.chunks - r.embedded &&
         r.failed == r.chunks - r.embedded - r.pending;
}
}  // namespace

void EncodeStoreInfoRecord(const StoreInfoRecord& r, std::string* dst) {
  ROXI_DCHECK(r.created_by.size() <= kMaxCreatedByBytes);
  const size_t start = dst->size();
  dst->push_back(static_cast<char>(kStoreInfoRecordV1));
  PutVarint32(dst, r.schema_version);
  dst->append(reinterpret_cast<const char*>(r.store_id.data()), r.store_id.size());
  PutVarint64(dst, r.created_at_micros);
  PutLengthPrefixed(dst, r.created_by);
  SealRecord(dst, start);
}

Result<StoreInfoRecord> DecodeStoreInfoRecord(std::string_view in) {
  ROXI_ASSIGN_OR_RETURN(std::string_view body, OpenRecord(in, kStoreWhat, kStoreInfoRecordV1));
  StoreInfoRecord r;
  if (!GetVarint32(&body, &r.schema_version) || body.size() < r.store_id.size()) {
    return BadRecord(kStoreWhat, "truncated fields");
  }
  for (size_t i = 0; i < r.store_id.size(); ++i) r.store_id[i] = static_cast<uint8_t>(body[i]);
  body.remove_prefix(r.store_id.size());
  std::string_view created_by;
  if (!GetVarint64(&body, &r.created_at_micros) ||
      !GetLengthPrefixed(&body, &created_by, kMaxCreatedByBytes)) {
    return BadRecord(kStoreWhat, "truncated fields");
  }
  if (!body.empty()) return BadRecord(kStoreWhat, std::to_string(body.size()) + " trailing bytes");
  r.created_by.assign(created_by);
  return r;
}

void EncodeEmbedderRecord(const EmbedderRecord& r, std::string* dst) {
  ROXI_DCHECK(!r.id.empty() && r.id.size() <= kMaxEmbedderIdBytes);
  ROXI_DCHECK(r.fingerprint == Xxh3(r.id));
  ROXI_DCHECK(r.dim >= 1 && r.dim <= kMaxDim);
  const size_t start = dst->size();
  dst->push_back(static_cast<char>(kEmbedderRecordV1));
  PutLengthPrefixed(dst, r.id);
  PutFixed64(dst, r.fingerprint);
  PutVarint32(dst, r.dim);
  SealRecord(dst, start);
}

Result<EmbedderRecord> DecodeEmbedderRecord(std::string_view in) {
  ROXI_ASSIGN_OR_RETURN(std::string_view body, OpenRecord(in, kEmbedderWhat, kEmbedderRecordV1));
  EmbedderRecord r;
  std::string_view id;
  if (!GetLengthPrefixed(&body, &id, kMaxEmbedderIdBytes) || id.empty()) {
    return BadRecord(kEmbedderWhat, "bad id");
  }
  if (!GetFixed64(&body, &r.fingerprint) || !GetVarint32(&body, &r.dim)) {
    return BadRecord(kEmbedderWhat, "truncated fields");
  }
  if (!body.empty()) return BadRecord(kEmbedderWhat, std::to_string(body.size()) + " trailing bytes");
  if (r.dim == 0 || r.dim > kMaxDim) return BadRecord(kEmbedderWhat, "dimension " + std::to_string(r.dim));
  if (r.fingerprint != Xxh3(id)) return BadRecord(kEmbedderWhat, "fingerprint does not match id");
  r.id.assign(id);
  return r;
}

void EncodeCountersRecord(const CountersRecord& r, std::string* dst) {
  ROXI_DCHECK(r.next_document_id != 0 && StateCountsSumToChunks(r));
  const size_t start = dst->size();
  dst->push_back(static_cast<char>(kCountersRecordV1));
  for (uint64_t v : {r.documents, r.chunks, r.embedded, r.pending, r.failed, r.next_document_id,
                     r.embeddings_reused}) {
    PutVarint64(dst, v);
  }
  SealRecord(dst, start);
}

Result<CountersRecord> DecodeCountersRecord(std::string_view in) {
  ROXI_ASSIGN_OR_RETURN(std::string_view body, OpenRecord(in, kCountersWhat, kCountersRecordV1));
  CountersRecord r;
  for (uint64_t* v : {&r.documents, &r.chunks, &r.embedded, &r.pending, &r.failed,
                      &r.next_document_id, &r.embeddings_reused}) {
    if (!GetVarint64(&body, v)) return BadRecord(kCountersWhat, "truncated fields");
  }
  if (!body.empty()) return BadRecord(kCountersWhat, std::to_string(body.size()) + " trailing bytes");
  if (r.next_document_id == 0) return BadRecord(kCountersWhat, "next document id is 0");
  if (!StateCountsSumToChunks(r)) {
    return BadRecord(kCountersWhat, "embedded + pending + failed != chunks");
  }
  return r;
}

}  // namespace roxi::format
