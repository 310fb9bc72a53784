// The `text_vectors` family (FORMAT.md §2.7): which chunks hold a vector for a given text, so that
// identical text is embedded once. It is maintained in the same WriteBatch as the vectors it
// indexes (store_ingest.cc, store_commit.cc), so it never disagrees with `vectors` after a crash.
#include <memory>

#include "format/chunk_record.h"
#include "format/hash.h"
#include "format/vector_record.h"
#include "storage/rocks_status.h"
#include "storage/store.h"
#include "storage/store_impl.h"

namespace roxi::storage {

using format::ChunkId;

Result<std::optional<std::string>> Store::Impl::FindVectorForText(uint64_t model,
                                                                  uint64_t text_hash,
                                                                  std::string_view text) const {
  rocksdb::ColumnFamilyHandle* index = cf(kTextVectorsFamily);
  if (index == nullptr) return std::optional<std::string>();
  const std::string prefix = format::TextVectorKeyPrefix(model, text_hash);
  rocksdb::ReadOptions read;
  read.prefix_same_as_start = false;
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(read, index));
  // A handful of entries per text at most in practice; bound the walk anyway so a text copied a
  // million times cannot make one lookup slow when the first entries are dangling.
  int examined = 0;
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix) && examined < 8;
       it->Next(), ++examined) {
    auto key = format::DecodeTextVectorKey(std::string_view(it->key().data(), it->key().size()));
    if (!key.ok()) continue;
    std::string value;
    rocksdb::Status s = db->Get(rocksdb::ReadOptions(), cf(kVectorsFamily),
                                format::EncodeChunkKey(key->chunk), &value);
    if (s.IsNotFound()) continue;
    if (!s.ok())
      return FromRocks(s, "get " + Where(kVectorsFamily, format::DescribeChunk(key->chunk)));
    auto record = format::DecodeVectorRecord(value);
    if (!record.ok() || record->model != model || record->text_hash != text_hash) continue;
    std::string chunk_value;
    s = db->Get(rocksdb::ReadOptions(), cf(kChunksFamily), format::EncodeChunkKey(key->chunk),
                &chunk_value);
    if (!s.ok() && !s.IsNotFound()) {
      return FromRocks(s, "get " + Where(kChunksFamily, format::DescribeChunk(key->chunk)));
    }
    if (!s.ok()) continue;
    auto chunk = format::DecodeChunkRecord(chunk_value);
    if (!chunk.ok() || chunk->text != text) continue;
    return std::optional<std::string>(std::move(value));
  }
  ROXI_RETURN_IF_ERROR(FromRocks(it->status(), "scan text_vectors in " + db_dir));
  return std::optional<std::string>();
}

void Store::Impl::PutTextVectorEntry(rocksdb::WriteBatch* batch, uint64_t model, uint64_t text_hash,
                                     ChunkId id) const {
  // why: WriteBatch::Put only fails on oversized entries; these keys are 24 bytes.
  (void)batch->Put(cf(kTextVectorsFamily), format::EncodeTextVectorKey({model, text_hash, id}),
                   rocksdb::Slice());
}

Status Store::Impl::DeleteTextVectorEntryOf(rocksdb::WriteBatch* batch, ChunkId id) const {
  std::string value;
  rocksdb::Status s =
      db->Get(rocksdb::ReadOptions(), cf(kVectorsFamily), format::EncodeChunkKey(id), &value);
  if (s.IsNotFound()) return Status::OK();
  if (!s.ok()) return FromRocks(s, "get " + Where(kVectorsFamily, format::DescribeChunk(id)));
  auto record = format::DecodeVectorRecord(value);
  if (!record.ok()) return Status::OK();
  (void)batch->Delete(cf(kTextVectorsFamily),
                      format::EncodeTextVectorKey({record->model, record->text_hash, id}));
  return Status::OK();
}

Status Store::Impl::UpgradeToTextVectorIndex() {
  write_mu.AssertHeld();
  constexpr size_t kEntriesPerBatch = 65536;
  rocksdb::WriteBatch batch;
  size_t in_batch = 0;
  std::unique_ptr<rocksdb::Iterator> it(
      db->NewIterator(rocksdb::ReadOptions(), cf(kVectorsFamily)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const std::string_view key(it->key().data(), it->key().size());
    auto id = format::DecodeChunkKey(key);
    auto record =
        format::DecodeVectorRecord(std::string_view(it->value().data(), it->value().size()));
    // Damaged entries are left for verify to name; they get no index entry.
    if (!id.ok() || !record.ok()) continue;
    PutTextVectorEntry(&batch, record->model, record->text_hash, *id);
    if (++in_batch == kEntriesPerBatch) {
      ROXI_RETURN_IF_ERROR(Write(&batch, "upgrade store to schema 2"));
      batch.Clear();
      in_batch = 0;
    }
  }
  ROXI_RETURN_IF_ERROR(FromRocks(it->status(), "scan vectors in " + db_dir));
  format::StoreInfoRecord upgraded = info;
  upgraded.schema_version = 2;
  std::string value;
  format::EncodeStoreInfoRecord(upgraded, &value);
  (void)batch.Put(cf(kMetaFamily), format::kMetaStoreKey, value);
  ROXI_RETURN_IF_ERROR(Write(&batch, "upgrade store to schema 2"));
  info = upgraded;
  return Status::OK();
}

Result<std::vector<std::optional<std::string>>> Store::FindReusableVectors(
    uint64_t model, std::span<const std::string_view> texts) const {
  std::vector<std::optional<std::string>> out(texts.size());
  for (size_t i = 0; i < texts.size(); ++i) {
    ROXI_ASSIGN_OR_RETURN(out[i],
                          impl_->FindVectorForText(model, format::Xxh3(texts[i]), texts[i]));
  }
  return out;
}

}  // namespace roxi::storage
