// Store::Impl: the RocksDB handles behind a Store and the helpers its .cc files share. Internal to
// storage/ (it names rocksdb types).
//
// Thread-safety: see Store. write_mu serialises every commit; counters and checkpoint caches are
// guarded by it.
#pragma once

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <array>
#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "format/meta_records.h"
#include "format/reembed_record.h"
#include "format/thread_annotations.h"
#include "storage/store.h"

namespace roxi::storage {

// Column families in the order they are opened; the index is the handle's slot.
enum Family : size_t {
  kDefaultFamily = 0,  // unused by roxi, but RocksDB always has it
  kDocumentsFamily,
  kNamesFamily,
  kChunksFamily,
  kVectorsFamily,
  kPendingFamily,
  kCheckpointsFamily,
  kMetaFamily,
  // The second vector family: `vectors` and `vectors_b` take turns being the active family (the
  // vectors searches use) and the staging family (a re-embed's new vectors), FORMAT.md §2.6.
  kVectorsBFamily,
  kFamilyCount,
};
const char* FamilyName(Family family);

struct Store::Impl {
  // Declared first so that it is destroyed last: column family handles die before the database.
  std::unique_ptr<rocksdb::DB> db;
  std::array<rocksdb::ColumnFamilyHandle*, kFamilyCount> families{};
  StoreOptions options;
  std::string db_dir;
  std::string secondary_dir;  // read-only mode: the secondary instance's own directory
  format::StoreInfoRecord info;
  rocksdb::WriteOptions write_options;
  std::shared_ptr<rocksdb::Cache> block_cache;  // shared by every family's table reader

  mutable Mutex write_mu;
  format::CountersRecord counters ROXI_GUARDED_BY(write_mu);
  std::optional<format::EmbedderRecord> embedder ROXI_GUARDED_BY(write_mu);
  std::map<std::string, format::CheckpointRecord, std::less<>> checkpoints ROXI_GUARDED_BY(write_mu);
  // The re-embed in progress, if any (meta[reembed]).
  std::optional<format::ReembedRecord> reembed ROXI_GUARDED_BY(write_mu);
  // kVectorsFamily or kVectorsBFamily (meta[vector_family]). Written under write_mu, together with
  // `embedder`; read without a lock by vector reads, which then see one family or the other whole.
  std::atomic<Family> active_vectors{kVectorsFamily};

  ~Impl();

  // The handle of `family`, except that kVectorsFamily means "the active vector family": every
  // vector read and write outside a re-embed goes to whichever of `vectors` and `vectors_b` is
  // active, so code written for one vector family stays right after a swap. slot() is the
  // physical family.
  rocksdb::ColumnFamilyHandle* cf(Family family) const {
    return families[family == kVectorsFamily ? ActiveVectorFamily() : family];
  }
  rocksdb::ColumnFamilyHandle* slot(Family family) const { return families[family]; }
  Family ActiveVectorFamily() const { return active_vectors.load(); }
  Family StagingVectorFamily() const {
    return ActiveVectorFamily() == kVectorsFamily ? kVectorsBFamily : kVectorsFamily;
  }
  // "<family>[<key description>]", the way keys are named in messages.
  static std::string Where(Family family, std::string_view key_description);

  // Reads one value; NotFound when absent.
  Result<std::string> Get(Family family, std::string_view key, std::string_view key_description) const;

  // Appends the counters record to `batch`. REQUIRES: write_mu held.
  void PutCounters(rocksdb::WriteBatch* batch, const format::CountersRecord& counters)
      ROXI_REQUIRES(write_mu);
  // Writes `batch` with the store's write options.
  Status Write(rocksdb::WriteBatch* batch, std::string_view what);
  Status RequireWritable(std::string_view what) const;

  // Reads meta[vector_family] and meta[reembed] into active_vectors and reembed (storage/
  // store_reembed.cc). Corruption naming the key when damaged or when the active family is missing.
  // REQUIRES: write_mu held.
  Status LoadVectorMeta() ROXI_REQUIRES(write_mu);
  // Whether an encoded vector record may enter the active family: true when it carries the
  // recorded embedder's fingerprint or no embedder is recorded yet; false when it does not decode.
  // REQUIRES: write_mu held.
  bool HoldsActiveModel(std::string_view vector_value) const ROXI_REQUIRES(write_mu);
};

}  // namespace roxi::storage
