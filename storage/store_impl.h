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
#include <cstdint>
#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "format/deletions_record.h"
#include "format/ingest_stage_record.h"
#include "format/keys.h"
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
  kTextVectorsFamily,  // schema 2: (model, text hash, chunk) -> empty; absent in schema 1 stores
  // The second vector family: `vectors` and `vectors_b` take turns being the active family (the
  // vectors searches use) and the staging family (a re-embed's new vectors), FORMAT.md §2.6.
  kVectorsBFamily,
  kFamilyCount,
};
const char* FamilyName(Family family);

// Unix time in microseconds, for the times records carry (creation, checkpoints, re-embeds).
uint64_t WallClockMicros();

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
  // meta[deletions]; zero when absent.
  format::DeletionsRecord deletions ROXI_GUARDED_BY(write_mu);
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

  // The vector stored for some chunk whose text is `text` (XXH3-64 `text_hash`), encoded as in
  // `vectors`, found through `text_vectors`; nullopt when no chunk holds one for `model`. Entries
  // whose vector is missing, damaged or of other text are skipped (verify reports them), and the
  // chunk's text is compared, so a hash collision never shares a vector. Reads the database as
  // committed, so vectors a batch being built is about to delete can still be copied.
  Result<std::optional<std::string>> FindVectorForText(uint64_t model, uint64_t text_hash,
                                                       std::string_view text) const;
  // Appends to `batch` the index entry of chunk `id`'s vector (Put) or its removal (Delete).
  void PutTextVectorEntry(rocksdb::WriteBatch* batch, uint64_t model, uint64_t text_hash,
                          format::ChunkId id) const;
  // Appends the removal of the index entry of the vector chunk `id` holds now, read from the
  // database; nothing when it has none or it does not decode (verify reports that).
  Status DeleteTextVectorEntryOf(rocksdb::WriteBatch* batch, format::ChunkId id) const;
  // Schema 1 -> 2: fills `text_vectors` from `vectors`, then records schema 2. Idempotent, so a
  // crash half-way is finished by the next read-write open. REQUIRES: write_mu held.
  Status UpgradeToTextVectorIndex() ROXI_REQUIRES(write_mu);

  // Appends to `batch` the removal of the first `limit` chunks of document `id` with their active
  // vectors, queue entries and `text_vectors` entries, and takes them off *counters (chunks a
  // queueing stage has not counted yet stay off them). When that reaches the document's last chunk
  // (*complete set true), also its stage record, if any, and with `staging_too` during a re-embed
  // the document's staging vectors. Returns how many chunks it removed. Corruption naming a chunk
  // record that does not decode. Reads the database as committed. REQUIRES: write_mu held.
  Result<uint32_t> RemoveChunks(rocksdb::WriteBatch* batch, format::DocumentId id,
                                format::CountersRecord* counters, bool staging_too,
                                size_t limit = SIZE_MAX, bool* complete = nullptr) const
      ROXI_REQUIRES(write_mu);

  // Staged ingest (storage/store_stage.cc, FORMAT.md §3.9).
  // The stage record of document id `id`, or nullopt. Corruption naming the key when damaged.
  Result<std::optional<format::IngestStageRecord>> GetStage(format::DocumentId id) const;
  // Takes one bounded step of the stage of `id` in one WriteBatch: deletes a staging stage's
  // chunks, queues the next chunks of a queueing one, removes the next chunks of a retiring one.
  // Returns true once the stage is over (its record deleted). REQUIRES: write_mu held.
  Result<bool> AdvanceStage(format::DocumentId id, const format::IngestStageRecord& stage)
      ROXI_REQUIRES(write_mu);
  // Runs every stage a killed process left to its end (at a read-write open). REQUIRES: write_mu.
  Status FinishInterruptedStages() ROXI_REQUIRES(write_mu);
  // Reads meta[deletions] into `deletions` (zero when absent). Corruption naming the key when
  // damaged. REQUIRES: write_mu held.
  Status LoadDeletions() ROXI_REQUIRES(write_mu);
  // Schema 2 -> 3: meta[deletions] becomes known (absent means zero); nothing else changes, so
  // only meta[store] is rewritten. REQUIRES: write_mu held.
  // Writes meta[store] with schema `version`, for a step that adds keys or record versions but
  // converts nothing (FORMAT.md §5.1: schema 3 and 4).
  Status UpgradeSchemaNumber(uint32_t version) ROXI_REQUIRES(write_mu);

  // Appends the counters record to `batch`. REQUIRES: write_mu held.
  void PutCounters(rocksdb::WriteBatch* batch, const format::CountersRecord& counters)
      ROXI_REQUIRES(write_mu);
  // Writes `batch` with the store's write options.
  Status Write(rocksdb::WriteBatch* batch, std::string_view what);
  Status RequireWritable(std::string_view what) const;
  // OK when no embedder is recorded or `embedder` is the recorded one; otherwise InvalidArgument
  // naming both (and saying so when `embedder` is the target of the re-embed in progress).
  // REQUIRES: write_mu held.
  Status CompareEmbedder(const format::EmbedderRecord& embedder) const ROXI_REQUIRES(write_mu);

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
