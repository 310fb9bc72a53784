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
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "format/meta_records.h"
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

  ~Impl();

  rocksdb::ColumnFamilyHandle* cf(Family family) const { return families[family]; }
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
};

}  // namespace roxi::storage
