// Store's re-embed: staging vectors of a target embedder in the inactive vector family, and the
// swap that makes them the active set (FORMAT.md §2.6, §3.7).
#include <rocksdb/write_batch.h>

#include <memory>
#include <unordered_set>

#include "format/hash.h"
#include "format/keys.h"
#include "format/vector_record.h"
#include "storage/rocks_status.h"
#include "storage/store.h"
#include "storage/store_impl.h"

namespace roxi::storage {

using format::ChunkId;
using format::ChunkRecord;
using format::ChunkState;

namespace {


// Every key a vector family can hold lies in [kAllKeysBegin, kAllKeysEnd): chunk keys are 8 bytes,
// and the end is past any 8-byte key (and any longer key a damaged store might hold, up to 8 0xff).
const std::string& AllKeysBegin() {
  static const std::string begin;
  return begin;
}
const std::string& AllKeysEnd() {
  static const std::string end(9, '\xff');
  return end;
}

Family PhysicalFamily(format::VectorFamily family) {
  return family == format::VectorFamily::kVectors ? kVectorsFamily : kVectorsBFamily;
}
format::VectorFamily RecordedFamily(Family family) {
  return family == kVectorsFamily ? format::VectorFamily::kVectors : format::VectorFamily::kVectorsB;
}

std::string_view View(const rocksdb::Slice& s) { return {s.data(), s.size()}; }

// Whether `value` is a staging vector of `target` that embeds `text_hash`.
bool StagingMatches(std::string_view value, const format::EmbedderRecord& target,
                    uint64_t text_hash) {
  auto v = format::DecodeVectorRecord(value);
  return v.ok() && v->model == target.fingerprint && v->halfs.size() == target.dim &&
         v->text_hash == text_hash;
}

Status ValidateTarget(const format::EmbedderRecord& target) {
  if (target.id.empty() || target.id.size() > format::kMaxEmbedderIdBytes ||
      target.fingerprint != format::Xxh3(target.id) || target.dim == 0 ||
      target.dim > format::kMaxDim) {
    return Status::InvalidArgument("re-embed target '" + target.id + "'",
                                   "not a valid embedder identity");
  }
  return Status::OK();
}

// Merge-joins the chunks with the staging family: counts the embedded chunks that have a staging
// vector of `target` for their text (swap->vectors) and those that lack one (swap->missing), and
// adds to *batch a deletion of every other staging vector (swap->dropped_staging) and the
// text_vectors key of every kept one, for when it becomes active. Every writer
// waits for write_mu, so the two scans see one state of the store. REQUIRES: impl.write_mu held.
Status CheckStaging(const Store::Impl& impl, Family staging, const format::EmbedderRecord& target,
                    rocksdb::WriteBatch* batch, ReembedSwap* swap) {
  impl.write_mu.AssertHeld();
  std::unique_ptr<rocksdb::Iterator> chunks(
      impl.db->NewIterator(rocksdb::ReadOptions(), impl.slot(kChunksFamily)));
  std::unique_ptr<rocksdb::Iterator> staged(
      impl.db->NewIterator(rocksdb::ReadOptions(), impl.slot(staging)));
  chunks->SeekToFirst();
  staged->SeekToFirst();
  while (chunks->Valid() || staged->Valid()) {
    const int order = !chunks->Valid()   ? 1
                      : !staged->Valid() ? -1
                                         : chunks->key().compare(staged->key());
    if (order > 0) {  // a staging vector whose chunk is gone
      (void)batch->Delete(impl.slot(staging), staged->key());
      ++swap->dropped_staging;
      staged->Next();
      continue;
    }
    auto record = format::DecodeChunkRecord(View(chunks->value()));
    if (!record.ok()) return record.status().WithContext("swap vectors: chunks");
    const bool embedded = record->state == ChunkState::kEmbedded;
    if (order < 0) {  // a chunk without a staging vector
      if (embedded) ++swap->missing;
    } else {
      if (embedded && StagingMatches(View(staged->value()), target, record->text_hash)) {
        ++swap->vectors;
        // The index follows the family that becomes active (FORMAT.md §2.7).
        auto id = format::DecodeChunkKey(View(staged->key()));
        if (!id.ok()) return id.status().WithContext("swap vectors");
        impl.PutTextVectorEntry(batch, target.fingerprint, record->text_hash, *id);
      } else {
        if (embedded) ++swap->missing;
        (void)batch->Delete(impl.slot(staging), staged->key());
        ++swap->dropped_staging;
      }
      staged->Next();
    }
    chunks->Next();
  }
  ROXI_RETURN_IF_ERROR(FromRocks(chunks->status(), "scan chunks"));
  return FromRocks(staged->status(), std::string("scan ") + FamilyName(staging));
}

}  // namespace

Status Store::Impl::LoadVectorMeta() {
  write_mu.AssertHeld();
  auto family_value = Get(kMetaFamily, format::kMetaVectorFamilyKey, format::kMetaVectorFamilyKey);
  Family active = kVectorsFamily;
  if (family_value.ok()) {
    auto record = format::DecodeVectorFamilyRecord(*family_value);
    if (!record.ok()) {
      return record.status().WithContext("store " + db_dir + ": meta[vector_family]");
    }
    active = PhysicalFamily(record->active);
  } else if (!family_value.status().IsNotFound()) {
    return family_value.status();
  }
  if (families[active] == nullptr) {
    return Status::Corruption("store " + db_dir, std::string("meta[vector_family] names ") +
                                                     FamilyName(active) + ", which does not exist");
  }
  auto reembed_value = Get(kMetaFamily, format::kMetaReembedKey, format::kMetaReembedKey);
  if (reembed_value.ok()) {
    auto record = format::DecodeReembedRecord(*reembed_value);
    if (!record.ok()) return record.status().WithContext("store " + db_dir + ": meta[reembed]");
    reembed = *record;
  } else if (reembed_value.status().IsNotFound()) {
    reembed.reset();
  } else {
    return reembed_value.status();
  }
  active_vectors.store(active);
  return Status::OK();
}

bool Store::Impl::HoldsActiveModel(std::string_view vector_value) const {
  write_mu.AssertHeld();
  auto v = format::DecodeVectorRecord(vector_value);
  return v.ok() && (!embedder || v->model == embedder->fingerprint);
}

Result<format::ReembedRecord> Store::GetReembed() const {
  MutexLock lock(&impl_->write_mu);
  if (!impl_->reembed) return Status::NotFound("re-embed", "none in progress in " + impl_->db_dir);
  return *impl_->reembed;
}

Status Store::StartReembed(const format::EmbedderRecord& target) {
  ROXI_RETURN_IF_ERROR(impl_->RequireWritable("start re-embed"));
  ROXI_RETURN_IF_ERROR(ValidateTarget(target));
  MutexLock lock(&impl_->write_mu);
  if (!impl_->embedder) {
    return Status::InvalidArgument("re-embed", "store " + impl_->options.data_dir +
                                                   " has no embedder yet: run 'roxi process' with "
                                                   "the embedder you want");
  }
  if (*impl_->embedder == target) {
    return Status::InvalidArgument("re-embed", "store " + impl_->options.data_dir +
                                                   " already uses '" + target.id +
                                                   "': nothing to re-embed");
  }
  if (impl_->reembed) {
    if (impl_->reembed->target == target) return Status::OK();
    return Status::InvalidArgument(
        "re-embed", "store " + impl_->options.data_dir + " is being re-embedded with '" +
                        impl_->reembed->target.id + "', not '" + target.id +
                        "': finish it with the same embedder options, or drop it with "
                        "'roxi reembed --cancel'");
  }
  format::ReembedRecord record;
  record.target = target;
  record.started_at_micros = WallClockMicros();
  rocksdb::WriteBatch batch;
  // A staging family holds nothing outside a re-embed; clearing it anyway costs one tombstone.
  (void)batch.DeleteRange(impl_->slot(impl_->StagingVectorFamily()), AllKeysBegin(), AllKeysEnd());
  std::string value;
  format::EncodeReembedRecord(record, &value);
  (void)batch.Put(impl_->cf(kMetaFamily), format::kMetaReembedKey, value);
  ROXI_RETURN_IF_ERROR(impl_->Write(&batch, "start re-embed"));
  impl_->reembed = record;
  return Status::OK();
}

Status Store::CancelReembed() {
  ROXI_RETURN_IF_ERROR(impl_->RequireWritable("cancel re-embed"));
  Family staging;
  {
    MutexLock lock(&impl_->write_mu);
    if (!impl_->reembed) return Status::NotFound("re-embed", "none in progress in " + impl_->db_dir);
    staging = impl_->StagingVectorFamily();
    rocksdb::WriteBatch batch;
    (void)batch.DeleteRange(impl_->slot(staging), AllKeysBegin(), AllKeysEnd());
    (void)batch.Delete(impl_->cf(kMetaFamily), format::kMetaReembedKey);
    ROXI_RETURN_IF_ERROR(impl_->Write(&batch, "cancel re-embed"));
    impl_->reembed.reset();
  }
  const rocksdb::Slice begin(AllKeysBegin()), end(AllKeysEnd());
  return FromRocks(
      impl_->db->CompactRange(rocksdb::CompactRangeOptions(), impl_->slot(staging), &begin, &end),
      std::string("compact ") + FamilyName(staging));
}

Result<ReembedWork> Store::ReadReembedWork(std::optional<ChunkId> after, size_t limit,
                                           size_t max_scanned) const {
  format::EmbedderRecord target;
  Family staging;
  {
    MutexLock lock(&impl_->write_mu);
    if (!impl_->reembed) return Status::NotFound("re-embed", "none in progress in " + impl_->db_dir);
    target = impl_->reembed->target;
    staging = impl_->StagingVectorFamily();
  }
  // One snapshot for both iterators, so a chunk and its staging vector are seen as of one moment.
  const rocksdb::Snapshot* snapshot = impl_->db->GetSnapshot();
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot;
  ReembedWork work;
  Status status = [&]() -> Status {
    std::unique_ptr<rocksdb::Iterator> chunks(impl_->db->NewIterator(ro, impl_->slot(kChunksFamily)));
    std::unique_ptr<rocksdb::Iterator> staged(impl_->db->NewIterator(ro, impl_->slot(staging)));
    if (after) {
      chunks->Seek(format::EncodeChunkKey(ChunkId{after->value + 1}));
    } else {
      chunks->SeekToFirst();
    }
    size_t scanned = 0;
    for (; chunks->Valid(); chunks->Next()) {
      if (work.chunks.size() == limit || scanned == max_scanned) break;
      ++scanned;
      ROXI_ASSIGN_OR_RETURN(ChunkId id, format::DecodeChunkKey(View(chunks->key())));
      work.scanned_to = id;
      auto record = format::DecodeChunkRecord(View(chunks->value()));
      if (!record.ok()) {
        return record.status().WithContext(Impl::Where(kChunksFamily, format::DescribeChunk(id)));
      }
      if (record->state != ChunkState::kEmbedded) continue;
      staged->Seek(chunks->key());
      if (staged->Valid() && staged->key() == chunks->key() &&
          StagingMatches(View(staged->value()), target, record->text_hash)) {
        continue;
      }
      ROXI_RETURN_IF_ERROR(FromRocks(staged->status(), std::string("scan ") + FamilyName(staging)));
      work.chunks.push_back(PendingChunk{id, std::move(record).value()});
    }
    ROXI_RETURN_IF_ERROR(FromRocks(chunks->status(), "scan chunks"));
    work.reached_end = !chunks->Valid();
    return Status::OK();
  }();
  impl_->db->ReleaseSnapshot(snapshot);
  ROXI_RETURN_IF_ERROR(status);
  return work;
}

Result<StagingCommitSummary> Store::CommitStaging(const StagingCommit& commit) {
  ROXI_RETURN_IF_ERROR(impl_->RequireWritable("commit staging vectors"));
  std::vector<ChunkId> ids;
  ids.reserve(commit.staged.size());
  for (const auto& e : commit.staged) ids.push_back(e.id);

  MutexLock lock(&impl_->write_mu);
  if (!impl_->reembed) return Status::InvalidArgument("commit staging vectors", "no re-embed in progress");
  format::ReembedRecord record = *impl_->reembed;
  for (const auto& e : commit.staged) {
    auto v = format::DecodeVectorRecord(e.vector_value);
    if (!v.ok() || v->model != record.target.fingerprint || v->halfs.size() != record.target.dim) {
      return Status::InvalidArgument("commit staging vectors",
                                     format::DescribeChunk(e.id) + ": not a vector of '" +
                                         record.target.id + "'");
    }
  }
  // Read under the lock: an ingest may have replaced these chunks since they were read.
  std::vector<Result<ChunkRecord>> current = MultiGetChunks(ids);
  rocksdb::ColumnFamilyHandle* staging = impl_->slot(impl_->StagingVectorFamily());
  rocksdb::WriteBatch batch;
  StagingCommitSummary summary;
  std::unordered_set<ChunkId> seen;
  for (size_t i = 0; i < commit.staged.size(); ++i) {
    const EmbeddedChunk& e = commit.staged[i];
    const Result<ChunkRecord>& chunk = current[i];
    if (!seen.insert(e.id).second || !chunk.ok() || chunk->state != ChunkState::kEmbedded ||
        chunk->text_hash != e.text_hash) {
      ++summary.stale;
      continue;
    }
    (void)batch.Put(staging, format::EncodeChunkKey(e.id), e.vector_value);
    summary.staged.push_back(e.id);
  }
  record.staged += summary.staged.size();
  if (commit.cursor) record.cursor = commit.cursor->value;
  std::string value;
  format::EncodeReembedRecord(record, &value);
  (void)batch.Put(impl_->cf(kMetaFamily), format::kMetaReembedKey, value);
  ROXI_RETURN_IF_ERROR(impl_->Write(&batch, "commit staging vectors"));
  impl_->reembed = record;
  return summary;
}

Result<ReembedSwap> Store::TrySwapVectors() {
  ROXI_RETURN_IF_ERROR(impl_->RequireWritable("swap vectors"));
  ReembedSwap swap;
  Family old_active;
  {
    MutexLock lock(&impl_->write_mu);
    if (!impl_->reembed) return Status::NotFound("re-embed", "none in progress in " + impl_->db_dir);
    const format::EmbedderRecord target = impl_->reembed->target;
    old_active = impl_->ActiveVectorFamily();
    const Family staging = impl_->StagingVectorFamily();
    rocksdb::WriteBatch batch;
    ROXI_RETURN_IF_ERROR(CheckStaging(*impl_, staging, target, &batch, &swap));
    if (swap.missing > 0) return swap;

    (void)batch.DeleteRange(impl_->slot(old_active), AllKeysBegin(), AllKeysEnd());
    if (impl_->embedder) {
      // Every text_vectors key of the old model: its 8-byte prefix, then anything.
      const std::string begin = format::TextVectorKeyPrefix(impl_->embedder->fingerprint, 0)
                                    .substr(0, 8);
      const std::string end = begin + std::string(format::kTextVectorKeySize, '\xff');
      (void)batch.DeleteRange(impl_->slot(kTextVectorsFamily), begin, end);
    }
    std::string value;
    format::EncodeVectorFamilyRecord({RecordedFamily(staging)}, &value);
    (void)batch.Put(impl_->cf(kMetaFamily), format::kMetaVectorFamilyKey, value);
    value.clear();
    format::EncodeEmbedderRecord(target, &value);
    (void)batch.Put(impl_->cf(kMetaFamily), format::kMetaEmbedderKey, value);
    (void)batch.Delete(impl_->cf(kMetaFamily), format::kMetaReembedKey);
    ROXI_RETURN_IF_ERROR(impl_->Write(&batch, "swap vectors"));
    impl_->embedder = target;
    impl_->reembed.reset();
    impl_->active_vectors.store(staging);
    swap.swapped = true;
  }
  // The old vectors are already unreadable (a range tombstone in the swap); compacting removes
  // their bytes from disk too.
  const rocksdb::Slice begin(AllKeysBegin()), end(AllKeysEnd());
  ROXI_RETURN_IF_ERROR(FromRocks(
      impl_->db->CompactRange(rocksdb::CompactRangeOptions(), impl_->slot(old_active), &begin, &end),
      std::string("compact ") + FamilyName(old_active)));
  return swap;
}

Status Store::ForEachStagingVector(
    const std::function<Status(ChunkId, const format::VectorRecord&)>& fn) const {
  Family staging;
  {
    MutexLock lock(&impl_->write_mu);
    staging = impl_->StagingVectorFamily();
  }
  if (impl_->slot(staging) == nullptr) return Status::OK();  // read-only open of an older store
  std::unique_ptr<rocksdb::Iterator> it(
      impl_->db->NewIterator(rocksdb::ReadOptions(), impl_->slot(staging)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    ROXI_ASSIGN_OR_RETURN(ChunkId id, format::DecodeChunkKey(View(it->key())));
    auto record = format::DecodeVectorRecord(View(it->value()));
    if (!record.ok()) {
      return record.status().WithContext(Impl::Where(staging, format::DescribeChunk(id)));
    }
    ROXI_RETURN_IF_ERROR(fn(id, *record));
  }
  return FromRocks(it->status(), std::string("scan ") + FamilyName(staging));
}

}  // namespace roxi::storage
