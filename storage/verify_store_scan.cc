// Store::CheckInto: one pass over every family on a single consistent view, reporting each
// problem with its key. chunks, vectors and pending share the ChunkId key order, so they are
// merge-joined with three iterators; documents are held as (id, chunk_count, name hash), 20 bytes
// each, to check names and chunk counts against them. The text_vectors index is sorted by text, not
// by chunk, so it is checked by point lookups both ways (each vector has its key; each key's vector
// matches it) rather than by holding either side in memory.
#include <rocksdb/db.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>

#include "format/checkpoint_record.h"
#include "format/chunk_record.h"
#include "format/coding.h"
#include "format/document_record.h"
#include "format/hash.h"
#include "format/hex.h"
#include "format/ingest_stage_record.h"
#include "format/keys.h"
#include "format/name_record.h"
#include "format/reembed_record.h"
#include "format/vector_record.h"
#include "storage/live_files.h"
#include "storage/rocks_status.h"
#include "storage/store.h"
#include "storage/store_impl.h"
#include "storage/verify_report.h"

namespace roxi::storage {

namespace {

using format::ChunkId;
using format::ChunkState;

// A raw key as it appears in a problem: its first 64 bytes in hex.
std::string Hex(std::string_view bytes) { return format::HexEncode(bytes.substr(0, 64)); }

std::string ChunkWhere(Family family, uint64_t id) {
  return Store::Impl::Where(family, format::DescribeChunk(ChunkId{id}));
}

// An iterator over one id-keyed family that skips (and reports) keys that do not decode.
class IdCursor {
 public:
  IdCursor(const Store::Impl& impl, const rocksdb::ReadOptions& ro, Family family, bool chunk_keys,
           VerifyReport* report)
      : it_(impl.db->NewIterator(ro, impl.slot(family))),
        family_(family),
        chunk_keys_(chunk_keys),
        report_(report) {
    it_->SeekToFirst();
    Settle();
  }
  const std::optional<uint64_t>& id() const { return id_; }
  std::string_view value() const { return {it_->value().data(), it_->value().size()}; }
  void Next() {
    it_->Next();
    Settle();
  }
  Status status() const {
    return FromRocks(it_->status(), std::string("scan ") + FamilyName(family_));
  }

 private:
  void Settle() {
    id_.reset();
    for (; it_->Valid(); it_->Next()) {
      const std::string_view key(it_->key().data(), it_->key().size());
      Status s = chunk_keys_ ? format::DecodeChunkKey(key).status()
                             : format::DecodeDocumentKey(key).status();
      if (s.ok()) {
        id_ = format::DecodeBigEndian64(key.data());
        return;
      }
      report_->Add("key", Store::Impl::Where(family_, "0x" + Hex(key)), std::string(s.message()));
    }
  }

  std::unique_ptr<rocksdb::Iterator> it_;
  Family family_;
  bool chunk_keys_;
  VerifyReport* report_;
  std::optional<uint64_t> id_;
};

struct DocumentEntry {
  uint64_t id = 0;
  uint64_t name_hash = 0;
  uint32_t chunk_count = 0;
  uint32_t chunks_seen = 0;
  bool named = false;
};

struct ScanState {
  const Store::Impl& impl;
  rocksdb::ReadOptions ro;
  VerifyReport* report;
  std::optional<format::EmbedderRecord> embedder;
  uint32_t schema_version = 0;
  std::optional<format::ReembedRecord> reembed;
  Family active_vectors = kVectorsFamily;  // as meta[vector_family] says in this view
  std::vector<DocumentEntry> documents;  // ascending id
  // Stages in progress by document id (FORMAT.md §3.9): what their chunks may look like.
  std::map<uint64_t, format::IngestStageRecord> stages;

  Family staging_vectors() const {
    return active_vectors == kVectorsFamily ? kVectorsBFamily : kVectorsFamily;
  }

  DocumentEntry* FindDocument(uint64_t id) {
    auto it = std::lower_bound(documents.begin(), documents.end(), id,
                               [](const DocumentEntry& d, uint64_t v) { return d.id < v; });
    return it != documents.end() && it->id == id ? &*it : nullptr;
  }
};

// Missing and truncated live files come first in the report: every other symptom of a lost file
// (chunks without their vectors, short counts) follows from them.
void CheckLiveFiles(const Store::Impl& impl, bool secondary, VerifyReport* report) {
  for (const auto& p : FindLiveFileProblems(impl.db.get(), impl.db_dir, secondary)) {
    report->Add("rocksdb", p.file, "live file " + p.detail);
  }
}

Status ScanMeta(ScanState* st) {
  std::unique_ptr<rocksdb::Iterator> it(st->impl.db->NewIterator(st->ro, st->impl.cf(kMetaFamily)));
  bool has_store = false;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const std::string key = it->key().ToString();
    const std::string_view value(it->value().data(), it->value().size());
    const std::string where = Store::Impl::Where(kMetaFamily, key);
    if (key == format::kMetaStoreKey) {
      has_store = true;
      if (auto r = format::DecodeStoreInfoRecord(value); !r.ok()) {
        st->report->Add("record", where, std::string(r.status().message()));
      } else {
        st->schema_version = r->schema_version;
      }
    } else if (key == format::kMetaEmbedderKey) {
      auto r = format::DecodeEmbedderRecord(value);
      if (r.ok()) {
        st->embedder = *r;
        st->report->embedder_id = r->id;
      } else {
        st->report->Add("record", where, std::string(r.status().message()));
      }
    } else if (key == format::kMetaReembedKey) {
      auto r = format::DecodeReembedRecord(value);
      if (r.ok()) {
        st->reembed = *r;
        st->report->reembed_target_id = r->target.id;
      } else {
        st->report->Add("record", where, std::string(r.status().message()));
      }
    } else if (key == format::kMetaVectorFamilyKey) {
      auto r = format::DecodeVectorFamilyRecord(value);
      if (r.ok()) {
        st->active_vectors =
            r->active == format::VectorFamily::kVectors ? kVectorsFamily : kVectorsBFamily;
      } else {
        st->report->Add("record", where, std::string(r.status().message()));
      }
    } else if (key == format::kMetaDeletionsKey) {
      if (auto r = format::DecodeDeletionsRecord(value); !r.ok()) {
        st->report->Add("record", where, std::string(r.status().message()));
      }
    } else if (format::IsStageKey(key)) {
      auto id = format::DecodeStageKey(key);
      auto r = format::DecodeIngestStageRecord(value);
      if (!id.ok()) {
        st->report->Add("key", Store::Impl::Where(kMetaFamily, "0x" + Hex(key)),
                        std::string(id.status().message()));
      } else if (!r.ok()) {
        st->report->Add("record",
                        Store::Impl::Where(kMetaFamily, "stage/" + std::to_string(id->value)),
                        std::string(r.status().message()));
      } else {
        ++st->report->census.stages;
        st->stages.emplace(id->value, std::move(r).value());
      }
    } else if (key == format::kMetaCountersKey) {
      auto r = format::DecodeCountersRecord(value);
      if (r.ok()) {
        st->report->counters = *r;
      } else {
        st->report->Add("record", where, std::string(r.status().message()));
      }
    } else {
      st->report->Add("record", where, "unknown meta key");
    }
  }
  if (!has_store) st->report->Add("record", Store::Impl::Where(kMetaFamily, "store"), "missing");
  if (st->impl.slot(st->active_vectors) == nullptr) {
    st->report->Add("record", Store::Impl::Where(kMetaFamily, format::kMetaVectorFamilyKey),
                    std::string("names ") + FamilyName(st->active_vectors) +
                        ", which does not exist");
    st->active_vectors = kVectorsFamily;
  }
  if (!st->report->counters && it->status().ok()) {
    st->report->Add("record", Store::Impl::Where(kMetaFamily, "counters"), "missing or damaged");
  }
  return FromRocks(it->status(), "scan meta");
}

Status ScanDocuments(ScanState* st) {
  IdCursor cur(st->impl, st->ro, kDocumentsFamily, /*chunk_keys=*/false, st->report);
  for (; cur.id(); cur.Next()) {
    const uint64_t id = *cur.id();
    auto r = format::DecodeDocumentRecord(cur.value());
    if (!r.ok()) {
      st->report->Add("record",
                      Store::Impl::Where(kDocumentsFamily, format::DescribeDocument({id})),
                      std::string(r.status().message()));
      continue;
    }
    ++st->report->census.documents;
    st->documents.push_back({id, format::Xxh3(r->name), r->chunk_count, 0, false});
  }
  return cur.status();
}

Status ScanNames(ScanState* st) {
  std::unique_ptr<rocksdb::Iterator> it(
      st->impl.db->NewIterator(st->ro, st->impl.cf(kNamesFamily)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const std::string_view key(it->key().data(), it->key().size());
    const std::string where = Store::Impl::Where(kNamesFamily, key);
    ++st->report->census.names;
    if (Status s = format::ValidateDocumentName(key); !s.ok()) {
      st->report->Add("key", where, std::string(s.message()));
      continue;
    }
    auto id = format::DecodeNameRecord(std::string_view(it->value().data(), it->value().size()));
    if (!id.ok()) {
      st->report->Add("record", where, std::string(id.status().message()));
      continue;
    }
    DocumentEntry* doc = st->FindDocument(id->value);
    if (doc == nullptr) {
      st->report->Add("name", where,
                      "points at " + format::DescribeDocument(*id) + ", which is missing");
    } else if (doc->name_hash != format::Xxh3(key)) {
      st->report->Add("name", where,
                      "points at " + format::DescribeDocument(*id) + ", which has another name");
    } else if (doc->named) {
      st->report->Add("name", where, format::DescribeDocument(*id) + " has two names");
    } else {
      doc->named = true;
    }
  }
  return FromRocks(it->status(), "scan names");
}

Status ScanCheckpoints(ScanState* st) {
  std::unique_ptr<rocksdb::Iterator> it(
      st->impl.db->NewIterator(st->ro, st->impl.cf(kCheckpointsFamily)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    ++st->report->census.checkpoints;
    const std::string key = it->key().ToString();
    auto r =
        format::DecodeCheckpointRecord(std::string_view(it->value().data(), it->value().size()));
    if (key.empty() || key.size() > format::kMaxCheckpointNameBytes) {
      st->report->Add("key", Store::Impl::Where(kCheckpointsFamily, "0x" + Hex(key)),
                      "bad processor name");
    } else if (!r.ok()) {
      st->report->Add("record", Store::Impl::Where(kCheckpointsFamily, key),
                      std::string(r.status().message()));
    }
  }
  return FromRocks(it->status(), "scan checkpoints");
}

// A valid vector has its key in the text_vectors index (FORMAT.md §2.6).
void CheckTextVectorEntry(ScanState* st, uint64_t id, const format::VectorRecord& vector) {
  rocksdb::ColumnFamilyHandle* index = st->impl.cf(kTextVectorsFamily);
  if (index == nullptr) return;  // a schema 1 store read as it is; ScanTextVectors says so
  std::string value;
  rocksdb::Status s = st->impl.db->Get(
      st->ro, index, format::EncodeTextVectorKey({vector.model, vector.text_hash, ChunkId{id}}),
      &value);
  if (s.IsNotFound()) {
    st->report->Add("index", ChunkWhere(st->active_vectors, id), "has no text_vectors entry");
  } else if (!s.ok()) {
    st->report->Add("rocksdb", ChunkWhere(kTextVectorsFamily, id), DescribeRocks(s));
  }
}

// Every text_vectors key names a chunk whose vector has that model and text hash.
Status ScanTextVectors(ScanState* st) {
  rocksdb::ColumnFamilyHandle* index = st->impl.cf(kTextVectorsFamily);
  if (index == nullptr) {
    if (st->schema_version >= 2) {
      st->report->Add("rocksdb", FamilyName(kTextVectorsFamily), "family missing");
    }
    return Status::OK();
  }
  std::unique_ptr<rocksdb::Iterator> it(st->impl.db->NewIterator(st->ro, index));
  std::string value;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    ++st->report->census.text_vector_entries;
    const std::string_view raw(it->key().data(), it->key().size());
    auto key = format::DecodeTextVectorKey(raw);
    if (!key.ok()) {
      st->report->Add("key", Store::Impl::Where(kTextVectorsFamily, "0x" + Hex(raw)),
                      std::string(key.status().message()));
      continue;
    }
    const std::string where =
        Store::Impl::Where(kTextVectorsFamily, format::DescribeChunk(key->chunk));
    if (!it->value().empty()) st->report->Add("record", where, "value is not empty");
    rocksdb::Status s = st->impl.db->Get(st->ro, st->impl.slot(st->active_vectors),
                                         format::EncodeChunkKey(key->chunk), &value);
    if (s.IsNotFound()) {
      st->report->Add("index", where, "points at a chunk with no vector");
      continue;
    }
    if (!s.ok()) return FromRocks(s, "get " + ChunkWhere(st->active_vectors, key->chunk.value));
    auto vector = format::DecodeVectorRecord(value);
    // A damaged vector is reported by the chunk join.
    if (vector.ok() && (vector->model != key->model || vector->text_hash != key->text_hash)) {
      st->report->Add("index", where, "the chunk's vector has another model or text");
    }
  }
  return FromRocks(it->status(), "scan text_vectors");
}

// One ChunkId present in at least one of chunks, vectors and pending.
void CheckChunk(ScanState* st, uint64_t id, const std::optional<std::string_view>& chunk_value,
                const std::optional<std::string_view>& vector_value, bool queued) {
  VerifyReport* report = st->report;
  StoreCensus& census = report->census;
  std::optional<format::VectorRecord> vector;
  if (vector_value) {
    ++census.vectors;
    auto v = format::DecodeVectorRecord(*vector_value);
    if (!v.ok()) {
      report->Add("record", ChunkWhere(st->active_vectors, id), std::string(v.status().message()));
    } else if (!st->embedder) {
      report->Add("vector", ChunkWhere(st->active_vectors, id), "the store records no embedder");
    } else if (v->model != st->embedder->fingerprint || v->halfs.size() != st->embedder->dim) {
      report->Add("vector", ChunkWhere(st->active_vectors, id),
                  "model or dimension " + std::to_string(v->halfs.size()) +
                      " does not match the embedder '" + st->embedder->id + "'");
    } else {
      vector = std::move(v).value();
      CheckTextVectorEntry(st, id, *vector);
    }
  }
  if (queued) ++census.pending_entries;
  if (!chunk_value) {
    if (vector_value) report->Add("vector", ChunkWhere(st->active_vectors, id), "its chunk is missing");
    if (queued) report->Add("pending", ChunkWhere(kPendingFamily, id), "its chunk is missing");
    return;
  }
  const std::string where = ChunkWhere(kChunksFamily, id);
  DocumentEntry* doc = st->FindDocument(id >> 24);
  // A chunk of a stage (FORMAT.md §3.9) that is not yet counted: staged, or switched in but not
  // yet queued. It has nothing but its record.
  const format::IngestStageRecord* stage = nullptr;
  if (auto it = st->stages.find(id >> 24); it != st->stages.end()) stage = &it->second;
  const bool uncounted = stage != nullptr && (stage->phase == format::StagePhase::kStaging ||
                                              (stage->phase == format::StagePhase::kQueueing &&
                                               (id & format::kMaxChunkNumber) >= stage->chunks));
  if (uncounted) {
    ++census.staged_chunks;
    if (doc != nullptr) ++doc->chunks_seen;
    if (stage->phase == format::StagePhase::kStaging && doc != nullptr) {
      report->Add("chunk", where, "staged, but its document id already has a record");
    }
    auto chunk = format::DecodeChunkRecord(*chunk_value);
    if (!chunk.ok()) {
      report->Add("record", where, std::string(chunk.status().message()));
    } else if (chunk->state != ChunkState::kPending || queued || vector_value) {
      report->Add("chunk", where, "staged, but not a bare pending chunk");
    }
    return;
  }
  ++census.chunks;
  if (doc == nullptr) {
    if (stage == nullptr || stage->phase != format::StagePhase::kRetiring) {
      report->Add("chunk", where, "its document is missing");
    }
  } else {
    ++doc->chunks_seen;
    if ((id & format::kMaxChunkNumber) >= doc->chunk_count) {
      report->Add("chunk", where,
                  "numbered beyond its document's " + std::to_string(doc->chunk_count) + " chunks");
    }
  }
  auto chunk = format::DecodeChunkRecord(*chunk_value);
  if (!chunk.ok()) {
    report->Add("record", where, std::string(chunk.status().message()));
    return;
  }
  switch (chunk->state) {
    case ChunkState::kPending:
      ++census.chunks_pending;
      if (!queued) report->Add("chunk", where, "pending but not in the queue");
      if (vector_value) report->Add("chunk", where, "pending but has a vector");
      break;
    case ChunkState::kEmbedded:
      ++census.chunks_embedded;
      if (!vector_value) report->Add("chunk", where, "embedded but has no vector");
      if (queued) report->Add("chunk", where, "embedded but still in the queue");
      if (vector && vector->text_hash != chunk->text_hash) {
        report->Add("vector", ChunkWhere(st->active_vectors, id), "embeds other text than its chunk");
      }
      break;
    case ChunkState::kFailed:
      ++census.chunks_failed;
      if (vector_value) report->Add("chunk", where, "failed but has a vector");
      if (queued) report->Add("chunk", where, "failed but still in the queue");
      break;
  }
}

Status JoinChunks(ScanState* st) {
  IdCursor chunks(st->impl, st->ro, kChunksFamily, true, st->report);
  IdCursor vectors(st->impl, st->ro, st->active_vectors, true, st->report);
  IdCursor pending(st->impl, st->ro, kPendingFamily, true, st->report);
  while (chunks.id() || vectors.id() || pending.id()) {
    uint64_t id = UINT64_MAX;
    for (const IdCursor* c : {&chunks, &vectors, &pending}) {
      if (c->id()) id = std::min(id, *c->id());
    }
    std::optional<std::string_view> chunk_value, vector_value;
    bool queued = false;
    if (chunks.id() == id) chunk_value = chunks.value();
    if (vectors.id() == id) vector_value = vectors.value();
    if (pending.id() == id) {
      queued = true;
      if (!pending.value().empty()) {
        st->report->Add("record", ChunkWhere(kPendingFamily, id), "value is not empty");
      }
    }
    CheckChunk(st, id, chunk_value, vector_value, queued);
    for (IdCursor* c : {&chunks, &vectors, &pending}) {
      if (c->id() == id) c->Next();
    }
  }
  ROXI_RETURN_IF_ERROR(chunks.status());
  ROXI_RETURN_IF_ERROR(vectors.status());
  return pending.status();
}

// The staging family holds vectors only while a re-embed runs, each of its target model (its chunk
// may have changed or gone since: such vectors are stale, and the swap deletes them).
Status ScanStaging(ScanState* st) {
  const Family family = st->staging_vectors();
  if (st->impl.slot(family) == nullptr) return Status::OK();  // an older store, read-only
  IdCursor staged(st->impl, st->ro, family, true, st->report);
  for (; staged.id(); staged.Next()) {
    const std::string where = ChunkWhere(family, *staged.id());
    ++st->report->census.staging_vectors;
    if (!st->reembed) {
      st->report->Add("vector", where, "a staging vector, but no re-embed is in progress");
      continue;
    }
    auto v = format::DecodeVectorRecord(staged.value());
    if (!v.ok()) {
      st->report->Add("record", where, std::string(v.status().message()));
    } else if (v->model != st->reembed->target.fingerprint ||
               v->halfs.size() != st->reembed->target.dim) {
      st->report->Add("vector", where,
                      "model or dimension " + std::to_string(v->halfs.size()) +
                          " does not match the re-embed target '" + st->reembed->target.id + "'");
    }
  }
  return staged.status();
}

void CheckDocumentsAndCounters(ScanState* st) {
  VerifyReport* report = st->report;
  for (const DocumentEntry& d : st->documents) {
    const std::string where =
        Store::Impl::Where(kDocumentsFamily, format::DescribeDocument({d.id}));
    if (!d.named) report->Add("document", where, "has no entry in names");
    if (d.chunks_seen != d.chunk_count) {
      report->Add("document", where,
                  "records " + std::to_string(d.chunk_count) + " chunks but has " +
                      std::to_string(d.chunks_seen));
    }
  }
  if (!report->counters) return;
  const format::CountersRecord& c = *report->counters;
  const StoreCensus& n = report->census;
  const std::string where = Store::Impl::Where(kMetaFamily, "counters");
  auto compare = [&](const char* field, uint64_t recorded, uint64_t found) {
    if (recorded != found) {
      report->Add("counters", where,
                  std::string(field) + " is " + std::to_string(recorded) + " but the store holds " +
                      std::to_string(found));
    }
  };
  compare("documents", c.documents, n.documents);
  compare("chunks", c.chunks, n.chunks);
  compare("embedded", c.embedded, n.vectors);
  compare("pending", c.pending, n.pending_entries);
  compare("failed", c.failed, n.chunks_failed);
  if (!st->documents.empty() && c.next_document_id <= st->documents.back().id) {
    report->Add("counters", where,
                "next_document_id " + std::to_string(c.next_document_id) +
                    " is not above the highest document id");
  }
}

}  // namespace

Status Store::CheckInto(const StoreCheckOptions& options, VerifyReport* report) const {
  report->store_checked = true;
  ScanState st{*impl_, rocksdb::ReadOptions(), report,         std::nullopt,
               0,      std::nullopt,           kVectorsFamily, {},
               {}};
  st.ro.fill_cache = false;  // a full scan would only evict what searches keep hot
  st.ro.verify_checksums = true;
  const rocksdb::Snapshot* snapshot = read_only() ? nullptr : impl_->db->GetSnapshot();
  st.ro.snapshot = snapshot;
  auto release = [&]() {
    if (snapshot != nullptr) impl_->db->ReleaseSnapshot(snapshot);
  };
  CheckLiveFiles(*impl_, read_only(), report);
  if (options.rocksdb_checksums) {
    rocksdb::Status s = impl_->db->VerifyChecksum(st.ro);
    if (!s.ok()) report->Add("rocksdb", impl_->db_dir, DescribeRocks(s));
  }
  Status s = ScanMeta(&st);
  if (options.scan_records) {
    if (s.ok()) s = ScanDocuments(&st);
    if (s.ok()) s = ScanNames(&st);
    if (s.ok()) s = ScanCheckpoints(&st);
    if (s.ok()) s = JoinChunks(&st);
    if (s.ok()) s = ScanStaging(&st);
    if (s.ok()) s = ScanTextVectors(&st);
  }
  release();
  if (!s.ok()) {
    // A block that fails its checksum mid-scan is damage to report, not a reason to stop.
    if (!s.IsCorruption()) return s;
    report->Add("rocksdb", impl_->db_dir, std::string(s.message()));
    return Status::OK();
  }
  if (options.scan_records) CheckDocumentsAndCounters(&st);
  return Status::OK();
}

}  // namespace roxi::storage
