#include "storage/store.h"

#include <rocksdb/cache.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>
#include <rocksdb/utilities/table_properties_collectors.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <random>
#include <thread>

#include "format/hash.h"
#include "format/keys.h"
#include "format/name_record.h"
#include "storage/file_privacy.h"
#include "storage/leftovers.h"
#include "storage/live_files.h"
#include "storage/restore_swap.h"
#include "storage/rocks_status.h"
#include "storage/store_impl.h"

namespace roxi::storage {

namespace fs = std::filesystem;
using format::ChunkId;
using format::DocumentId;

const char* FamilyName(Family family) {
  switch (family) {
    case kDefaultFamily: return rocksdb::kDefaultColumnFamilyName.c_str();
    case kDocumentsFamily: return "documents";
    case kNamesFamily: return "names";
    case kChunksFamily: return "chunks";
    case kVectorsFamily: return "vectors";
    case kPendingFamily: return "pending";
    case kCheckpointsFamily: return "checkpoints";
    case kMetaFamily: return "meta";
    case kTextVectorsFamily: return "text_vectors";
    case kVectorsBFamily: return "vectors_b";
    case kFamilyCount: break;
  }
  return "unknown";
}

namespace {
// See ~Impl and Store::Open.
constexpr uint64_t kFlushAtCloseBytes = 4u << 20;
constexpr uint64_t kMaxTotalWalBytes = 64u << 20;
}  // namespace

Store::Impl::~Impl() {
  if (db) {
    uint64_t memtable_bytes = 0;
    if (options.mode != StoreOptions::Mode::kReadOnly &&
        db->GetAggregatedIntProperty("rocksdb.cur-size-all-mem-tables", &memtable_bytes) &&
        memtable_bytes >= kFlushAtCloseBytes) {
      // A writer leaves its memtables on disk as table files, not only in the write-ahead log:
      // every later reader (roxi search, status) would otherwise replay the whole log when it
      // opens, which took seconds after a `process` of 100k chunks. Small leftovers are not worth
      // a flush and its small table files.
      std::vector<rocksdb::ColumnFamilyHandle*> open;
      for (auto* handle : families) {
        if (handle != nullptr) open.push_back(handle);
      }
      // why: a failed flush loses nothing (the log still holds every commit); readers replay it.
      (void)db->Flush(rocksdb::FlushOptions(), open);
    }
    for (auto*& handle : families) {
      if (handle != nullptr) {
        // why: a failure to free a handle at shutdown leaves nothing to recover.
        (void)db->DestroyColumnFamilyHandle(handle);
        handle = nullptr;
      }
    }
    // why: Close() flushes nothing we rely on (the WAL holds every commit); its error changes nothing.
    (void)db->Close();
    db.reset();
  }
  if (!secondary_dir.empty()) {
    std::error_code ec;
    fs::remove_all(secondary_dir, ec);
  }
}

std::string Store::Impl::Where(Family family, std::string_view key_description) {
  std::string out = FamilyName(family);
  out += "[";
  out += key_description;
  out += "]";
  return out;
}

Result<std::string> Store::Impl::Get(Family family, std::string_view key,
                                     std::string_view key_description) const {
  std::string value;
  rocksdb::Status s = db->Get(rocksdb::ReadOptions(), cf(family), rocksdb::Slice(key.data(), key.size()),
                              &value);
  if (s.IsNotFound()) return Status::NotFound(Where(family, key_description));
  if (!s.ok()) return FromRocks(s, "get " + Where(family, key_description));
  return value;
}

void Store::Impl::PutCounters(rocksdb::WriteBatch* batch, const format::CountersRecord& c) {
  write_mu.AssertHeld();
  std::string value;
  format::EncodeCountersRecord(c, &value);
  // why: WriteBatch::Put only fails on oversized entries, which a counters record never is.
  (void)batch->Put(cf(kMetaFamily), format::kMetaCountersKey, value);
}

Status Store::Impl::Write(rocksdb::WriteBatch* batch, std::string_view what) {
  return FromRocks(db->Write(write_options, batch), std::string(what) + " in " + db_dir);
}

uint64_t WallClockMicros() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

Status Store::Impl::RequireWritable(std::string_view what) const {
  if (options.mode == StoreOptions::Mode::kReadOnly) {
    return Status::Internal(what, "store " + db_dir + " was opened read-only");
  }
  return Status::OK();
}

namespace {


std::vector<rocksdb::ColumnFamilyDescriptor> FamilyDescriptors(
    const std::shared_ptr<rocksdb::Cache>& block_cache) {
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = block_cache;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  table.cache_index_and_filter_blocks = true;
  const auto table_factory = std::shared_ptr<rocksdb::TableFactory>(
      rocksdb::NewBlockBasedTableFactory(table));

  std::vector<rocksdb::ColumnFamilyDescriptor> out;
  for (size_t i = 0; i < kFamilyCount; ++i) {
    rocksdb::ColumnFamilyOptions cfo;
    cfo.table_factory = table_factory;
    cfo.compression = rocksdb::kLZ4Compression;
    cfo.write_buffer_size = 16u << 20;
    const auto family = static_cast<Family>(i);
    if (family == kVectorsFamily || family == kVectorsBFamily) {
      // binary16 payloads are close to random bytes: compression costs CPU and saves nothing.
      cfo.compression = rocksdb::kNoCompression;
      cfo.write_buffer_size = 32u << 20;
    }
    if (family == kPendingFamily) {
      // The queue is consumed from its head, leaving runs of tombstones that slow every scan;
      // compact files in which deletions dominate.
      cfo.table_properties_collector_factories.emplace_back(
          rocksdb::NewCompactOnDeletionCollectorFactory(/*sliding_window_size=*/256,
                                                        /*deletion_trigger=*/128));
    }
    out.emplace_back(FamilyName(family), cfo);
  }
  return out;
}

Status DamagedLiveFiles(const std::string& db_dir, const std::vector<LiveFileProblem>& problems) {
  return Status::Corruption("store " + db_dir,
                            DescribeLiveFileProblems(problems) +
                                "; 'roxi verify' lists the damage, 'roxi restore' recovers from a "
                                "backup");
}

std::array<uint8_t, 16> NewStoreId() {
  std::random_device rd;
  std::array<uint8_t, 16> id{};
  for (auto& b : id) b = static_cast<uint8_t>(rd());
  return id;
}

}  // namespace

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::~Store() = default;

Result<std::unique_ptr<Store>> Store::Open(const StoreOptions& options) {
  if (options.data_dir.empty()) {
    return Status::InvalidArgument("data directory", "not set (use --data-dir or ROXI_DATA_DIR)");
  }
  const bool read_only = options.mode == StoreOptions::Mode::kReadOnly;
  ROXI_ASSIGN_OR_RETURN(FolderPrivacy privacy,
                        SecureDataDir(options.data_dir, !read_only, options.strict_permissions));
  if (options.warn) {
    for (const std::string& warning : privacy.warnings) options.warn(warning);
  }
  // A restore killed mid-swap is finished before anything looks at the directory (restore_swap.h).
  if (auto recovered = RecoverInterruptedRestore(options.data_dir); !recovered.ok()) {
    return recovered.status();
  }
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->db_dir = (fs::path(options.data_dir) / "db").string();
  impl->write_options.sync = options.sync_writes;

  std::error_code ec;
  const bool exists = fs::exists(fs::path(impl->db_dir) / "CURRENT", ec);
  if (!exists) {
    if (read_only || !options.create_if_missing) {
      return Status::NotFound("store", "no roxi store in " + options.data_dir +
                                           " (run 'roxi ingest' to create one)");
    }
    if (Status created = CreatePrivateDirectories(impl->db_dir); !created.ok()) {
      return created.WithContext("data directory " + options.data_dir);
    }
  }

  rocksdb::DBOptions dbo;
  dbo.create_if_missing = !read_only;
  dbo.create_missing_column_families = !read_only;
  dbo.max_background_jobs = 2;
  // The small families (meta, checkpoints, pending) take a few bytes per batch and would keep every
  // log file alive until their memtables fill; past this total the oldest log's families are
  // flushed, so a reopen or a reader replays at most this much log.
  dbo.max_total_wal_size = kMaxTotalWalBytes;
  dbo.keep_log_file_num = 3;
  dbo.max_log_file_size = 4u << 20;
  dbo.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;
  impl->block_cache = rocksdb::NewLRUCache(options.block_cache_bytes);
  const auto descriptors = FamilyDescriptors(impl->block_cache);
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s;
  std::vector<rocksdb::ColumnFamilyDescriptor> opened = descriptors;
  if (read_only) {
    // A secondary instance opens only the families that exist: a store last written by an older
    // roxi has no `vectors_b` or `text_vectors` yet (a read-write open creates them).
    std::vector<std::string> existing;
    if (rocksdb::DB::ListColumnFamilies(dbo, impl->db_dir, &existing).ok()) {
      std::erase_if(opened, [&](const rocksdb::ColumnFamilyDescriptor& d) {
        return std::find(existing.begin(), existing.end(), d.name) == existing.end();
      });
    }
    dbo.max_open_files = -1;  // required by secondary instances
    std::random_device rd;
    const std::string secondary_name =
        ".secondary/" + std::to_string(getpid()) + "-" + std::to_string(rd());
    impl->secondary_dir = (fs::path(options.data_dir) / secondary_name).string();
    // A reader never creates the data directory: a restore may have moved it away a moment ago.
    if (Status created = CreatePrivateDirectoriesUnder(options.data_dir, secondary_name);
        !created.ok()) {
      if (created.IsNotFound()) {
        return Status::NotFound("store", "no roxi store in " + options.data_dir +
                                             " (it was moved away while opening)");
      }
      return created.WithContext("data directory " + options.data_dir);
    }
    s = rocksdb::DB::OpenAsSecondary(dbo, impl->db_dir, impl->secondary_dir, opened, &handles,
                                     &raw);
  } else {
    s = rocksdb::DB::Open(dbo, impl->db_dir, opened, &handles, &raw);
  }
  if (!s.ok()) {
    Status st = FromRocks(s, "open store " + impl->db_dir);
    if (st.IsBusy()) {
      return Status::Busy("data directory " + options.data_dir,
                          "in use by another roxi process (only one may write at a time)");
    }
    // RocksDB refuses to open a store whose live file is missing or short: say which, plainly.
    if (st.IsCorruption() || st.IsIOError()) {
      if (auto problems = FindLiveFileProblems(nullptr, impl->db_dir, true); !problems.empty()) {
        return DamagedLiveFiles(impl->db_dir, problems);
      }
      if (auto problem = LiveFileProblemOfOpenError(s, impl->db_dir)) {
        return DamagedLiveFiles(impl->db_dir, {*problem});
      }
    }
    return st;
  }
  impl->db.reset(raw);
  for (size_t i = 0; i < handles.size() && i < opened.size(); ++i) {
    for (size_t f = 0; f < kFamilyCount; ++f) {
      if (opened[i].name == FamilyName(static_cast<Family>(f))) impl->families[f] = handles[i];
    }
  }
  // Before anything is read: a missing file's keys would otherwise just look absent.
  if (options.check_live_files) {
    const auto problems = FindLiveFileProblems(impl->db.get(), impl->db_dir, read_only);
    if (!problems.empty()) return DamagedLiveFiles(impl->db_dir, problems);
  }

  // Meta: store info, counters, embedder.
  auto info_value = impl->Get(kMetaFamily, format::kMetaStoreKey, format::kMetaStoreKey);
  // A reader opens beside a writer that flushes and switches its log files meanwhile: the view a
  // secondary instance opened can miss records that moved from the writer's log into a new table
  // file a moment later. Catching up with the writer and reading again tells that apart from a
  // store that really lacks its record.
  for (int attempt = 0; read_only && info_value.status().IsNotFound() && attempt < 5; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20 << attempt));
    // why: a failed catch-up keeps the view as it was; the read below then fails as before.
    FromRocks(impl->db->TryCatchUpWithPrimary(), "catch up").IgnoreError();
    info_value = impl->Get(kMetaFamily, format::kMetaStoreKey, format::kMetaStoreKey);
  }
  MutexLock lock(&impl->write_mu);
  if (info_value.ok()) {
    auto info = format::DecodeStoreInfoRecord(*info_value);
    if (!info.ok()) return info.status().WithContext("store " + impl->db_dir + ": meta[store]");
    impl->info = *info;
    if (impl->info.schema_version > format::kSchemaVersion) {
      return Status::NotSupported(
          "store " + impl->db_dir,
          "schema version " + std::to_string(impl->info.schema_version) +
              " is newer than this roxi reads (" + std::to_string(format::kSchemaVersion) +
              "); use a newer roxi");
    }
    auto counters_value = impl->Get(kMetaFamily, format::kMetaCountersKey, format::kMetaCountersKey);
    if (!counters_value.ok()) return counters_value.status().WithContext("store " + impl->db_dir);
    auto counters = format::DecodeCountersRecord(*counters_value);
    if (!counters.ok()) {
      return counters.status().WithContext("store " + impl->db_dir + ": meta[counters]");
    }
    impl->counters = *counters;
    auto embedder_value =
        impl->Get(kMetaFamily, format::kMetaEmbedderKey, format::kMetaEmbedderKey);
    if (embedder_value.ok()) {
      auto embedder = format::DecodeEmbedderRecord(*embedder_value);
      if (!embedder.ok()) {
        return embedder.status().WithContext("store " + impl->db_dir + ": meta[embedder]");
      }
      impl->embedder = *embedder;
    } else if (!embedder_value.status().IsNotFound()) {
      return embedder_value.status();
    }
    ROXI_RETURN_IF_ERROR(impl->LoadVectorMeta());
    ROXI_RETURN_IF_ERROR(impl->LoadDeletions());
    // Schema 1 -> 2: `vectors_b` was created by the open above and needs nothing; `text_vectors`
    // is filled from the active vectors, and meta[store] says 2 last (FORMAT.md §5.1).
    if (impl->info.schema_version < 2 && !read_only) {
      ROXI_RETURN_IF_ERROR(impl->UpgradeToTextVectorIndex());
    }
    // Schema 2 -> 3 -> 4: meta[deletions] is new and absent means zero; document records of
    // version 2 (metadata) appear only once written. Only the number changes.
    if (impl->info.schema_version < format::kSchemaVersion && !read_only) {
      ROXI_RETURN_IF_ERROR(impl->UpgradeSchemaNumber(format::kSchemaVersion));
    }
    // A document a killed ingest was staging is dropped; one it had switched in is finished.
    if (!read_only) ROXI_RETURN_IF_ERROR(impl->FinishInterruptedStages());
  } else if (info_value.status().IsNotFound() && !read_only && !exists) {
    impl->info.schema_version = format::kSchemaVersion;
    impl->info.store_id = NewStoreId();
    impl->info.created_at_micros = WallClockMicros();
    impl->info.created_by = std::string("roxi ") + ROXI_VERSION;
    rocksdb::WriteBatch batch;
    std::string value;
    format::EncodeStoreInfoRecord(impl->info, &value);
    (void)batch.Put(impl->cf(kMetaFamily), format::kMetaStoreKey, value);
    impl->PutCounters(&batch, impl->counters);
    ROXI_RETURN_IF_ERROR(impl->Write(&batch, "create store"));
  } else if (info_value.status().IsNotFound()) {
    return Status::Corruption("store " + impl->db_dir, "meta[store] is missing");
  } else {
    return info_value.status();
  }
  if (!read_only) RemoveLeftovers(options.data_dir);
  return std::unique_ptr<Store>(new Store(std::move(impl)));
}

const std::string& Store::data_dir() const { return impl_->options.data_dir; }
const std::string& Store::db_dir() const { return impl_->db_dir; }
bool Store::read_only() const { return impl_->options.mode == StoreOptions::Mode::kReadOnly; }

format::StoreInfoRecord Store::GetStoreInfo() const { return impl_->info; }

format::CountersRecord Store::GetCounters() const {
  MutexLock lock(&impl_->write_mu);
  return impl_->counters;
}

Result<format::EmbedderRecord> Store::GetEmbedder() const {
  MutexLock lock(&impl_->write_mu);
  if (!impl_->embedder) return Status::NotFound("embedder", "none recorded in " + impl_->db_dir);
  return *impl_->embedder;
}

namespace {

// The embedder's id can come from configuration (a model name) or a client: check it here, as
// input, before the record encoder would treat it as a broken invariant.
Status ValidateEmbedder(const format::EmbedderRecord& embedder) {
  if (embedder.id.empty() || embedder.id.size() > format::kMaxEmbedderIdBytes) {
    return Status::InvalidArgument("embedder id", "want 1 to " +
                                                      std::to_string(format::kMaxEmbedderIdBytes) +
                                                      " bytes, got " + std::to_string(embedder.id.size()));
  }
  if (embedder.dim == 0 || embedder.dim > format::kMaxDim) {
    return Status::InvalidArgument("embedder dimension " + std::to_string(embedder.dim),
                                   "want 1 to " + std::to_string(format::kMaxDim));
  }
  if (embedder.fingerprint != format::Xxh3(embedder.id)) {
    return Status::InvalidArgument("embedder " + embedder.id, "fingerprint does not match its id");
  }
  return Status::OK();
}

}  // namespace

Status Store::Impl::CompareEmbedder(const format::EmbedderRecord& embedder) const {
  write_mu.AssertHeld();
  if (!this->embedder || *this->embedder == embedder) return Status::OK();
  const std::string holds = "store " + options.data_dir + " holds vectors of '" +
                            this->embedder->id + "' (dimension " +
                            std::to_string(this->embedder->dim) + ")";
  if (reembed && reembed->target == embedder) {
    return Status::InvalidArgument(
        "embedder", holds + "; a re-embed to '" + embedder.id +
                        "' is in progress and searches use the old vectors until it completes: "
                        "use the old embedder meanwhile, and run 'roxi reembed' with these "
                        "embedder options to finish it");
  }
  return Status::InvalidArgument(
      "embedder", holds + ", not '" + embedder.id + "' (dimension " +
                      std::to_string(embedder.dim) +
                      "); use the same embedder, or run 'roxi reembed' with the new embedder "
                      "options to re-embed every chunk with it");
}

Status Store::CheckEmbedder(const format::EmbedderRecord& embedder) const {
  ROXI_RETURN_IF_ERROR(ValidateEmbedder(embedder));
  MutexLock lock(&impl_->write_mu);
  return impl_->CompareEmbedder(embedder);
}

Status Store::BindEmbedder(const format::EmbedderRecord& embedder) {
  ROXI_RETURN_IF_ERROR(ValidateEmbedder(embedder));
  MutexLock lock(&impl_->write_mu);
  if (impl_->embedder) return impl_->CompareEmbedder(embedder);
  if (read_only()) return Status::OK();
  rocksdb::WriteBatch batch;
  std::string value;
  format::EncodeEmbedderRecord(embedder, &value);
  (void)batch.Put(impl_->cf(kMetaFamily), format::kMetaEmbedderKey, value);
  ROXI_RETURN_IF_ERROR(impl_->Write(&batch, "record embedder"));
  impl_->embedder = embedder;
  return Status::OK();
}

Status Store::Refresh() {
  if (!read_only()) return Status::OK();
  ROXI_RETURN_IF_ERROR(
      FromRocks(impl_->db->TryCatchUpWithPrimary(), "catch up with writer of " + impl_->db_dir));
  auto counters_value = impl_->Get(kMetaFamily, format::kMetaCountersKey, format::kMetaCountersKey);
  if (!counters_value.ok()) return counters_value.status();
  ROXI_ASSIGN_OR_RETURN(format::CountersRecord counters,
                        format::DecodeCountersRecord(*counters_value));
  MutexLock lock(&impl_->write_mu);
  impl_->counters = counters;
  // A writer's swap changes the embedder and the active vector family (FORMAT.md §2.6).
  auto embedder_value = impl_->Get(kMetaFamily, format::kMetaEmbedderKey, format::kMetaEmbedderKey);
  if (embedder_value.ok()) {
    ROXI_ASSIGN_OR_RETURN(impl_->embedder, format::DecodeEmbedderRecord(*embedder_value));
  }
  ROXI_RETURN_IF_ERROR(impl_->LoadDeletions());
  return impl_->LoadVectorMeta();
}

Result<DocumentId> Store::LookupName(std::string_view name) const {
  ROXI_RETURN_IF_ERROR(format::ValidateDocumentName(name));
  ROXI_ASSIGN_OR_RETURN(std::string value, impl_->Get(kNamesFamily, name, name));
  auto id = format::DecodeNameRecord(value);
  if (!id.ok()) return id.status().WithContext(Impl::Where(kNamesFamily, name));
  return id;
}

Result<format::DocumentRecord> Store::GetDocument(DocumentId id) const {
  const std::string desc = format::DescribeDocument(id);
  ROXI_ASSIGN_OR_RETURN(std::string value,
                        impl_->Get(kDocumentsFamily, format::EncodeDocumentKey(id), desc));
  auto record = format::DecodeDocumentRecord(value);
  if (!record.ok()) return record.status().WithContext(Impl::Where(kDocumentsFamily, desc));
  return record;
}

Result<format::ChunkRecord> Store::GetChunk(ChunkId id) const {
  const std::string desc = format::DescribeChunk(id);
  ROXI_ASSIGN_OR_RETURN(std::string value, impl_->Get(kChunksFamily, format::EncodeChunkKey(id), desc));
  auto record = format::DecodeChunkRecord(value);
  if (!record.ok()) return record.status().WithContext(Impl::Where(kChunksFamily, desc));
  return record;
}

Result<format::VectorRecord> Store::GetVector(ChunkId id) const {
  const std::string desc = format::DescribeChunk(id);
  ROXI_ASSIGN_OR_RETURN(std::string value,
                        impl_->Get(kVectorsFamily, format::EncodeChunkKey(id), desc));
  auto record = format::DecodeVectorRecord(value);
  if (!record.ok()) return record.status().WithContext(Impl::Where(kVectorsFamily, desc));
  return record;
}

namespace {

std::string Describe(DocumentId id) { return format::DescribeDocument(id); }
std::string Describe(ChunkId id) { return format::DescribeChunk(id); }

template <class Record, class Decode>
std::vector<Result<Record>> MultiGetRecords(const Store::Impl& impl, Family family,
                                            std::span<const ChunkId> ids, Decode decode) {
  std::vector<std::string> keys;
  keys.reserve(ids.size());
  for (ChunkId id : ids) keys.push_back(format::EncodeChunkKey(id));
  std::vector<rocksdb::Slice> slices(keys.begin(), keys.end());
  std::vector<rocksdb::ColumnFamilyHandle*> cfs(ids.size(), impl.cf(family));
  std::vector<std::string> values;
  std::vector<rocksdb::Status> statuses =
      impl.db->MultiGet(rocksdb::ReadOptions(), cfs, slices, &values);
  std::vector<Result<Record>> out;
  out.reserve(ids.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    const std::string where = Store::Impl::Where(family, format::DescribeChunk(ids[i]));
    if (statuses[i].IsNotFound()) {
      out.emplace_back(Status::NotFound(where));
    } else if (!statuses[i].ok()) {
      out.emplace_back(FromRocks(statuses[i], "get " + where));
    } else {
      auto record = decode(values[i]);
      out.emplace_back(record.ok() ? std::move(record) : Result<Record>(record.status().WithContext(where)));
    }
  }
  return out;
}

// Iterates a whole family in key order, decoding keys with decode_key and values with decode_value.
template <class Key, class Record, class DecodeKey, class DecodeValue, class Fn>
Status ForEachRecord(const Store::Impl& impl, Family family, DecodeKey decode_key,
                     DecodeValue decode_value, const Fn& fn) {
  // A whole-family scan reads every block once: keeping them out of the block cache spares the
  // cache's inserts and evictions (and the memory), and large read-ahead makes few big reads.
  rocksdb::ReadOptions read;
  read.fill_cache = false;
  read.readahead_size = size_t{2} << 20;
  std::unique_ptr<rocksdb::Iterator> it(impl.db->NewIterator(read, impl.cf(family)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const std::string_view key(it->key().data(), it->key().size());
    auto id = decode_key(key);
    if (!id.ok()) return id.status().WithContext(FamilyName(family));
    auto record = decode_value(std::string_view(it->value().data(), it->value().size()));
    if (!record.ok()) {
      return record.status().WithContext(Store::Impl::Where(family, Describe(*id)));
    }
    ROXI_RETURN_IF_ERROR(fn(*id, *record));
  }
  return FromRocks(it->status(), std::string("scan ") + FamilyName(family));
}

}  // namespace

std::vector<Result<format::VectorRecord>> Store::MultiGetVectors(std::span<const ChunkId> ids) const {
  return MultiGetRecords<format::VectorRecord>(*impl_, kVectorsFamily, ids,
                                               format::DecodeVectorRecord);
}

std::vector<Result<format::ChunkRecord>> Store::MultiGetChunks(std::span<const ChunkId> ids) const {
  return MultiGetRecords<format::ChunkRecord>(*impl_, kChunksFamily, ids, format::DecodeChunkRecord);
}

Status Store::ForEachDocument(
    const std::function<Status(DocumentId, const format::DocumentRecord&)>& fn) const {
  return ForEachRecord<DocumentId, format::DocumentRecord>(
      *impl_, kDocumentsFamily, format::DecodeDocumentKey, format::DecodeDocumentRecord, fn);
}

Status Store::ForEachVector(
    const std::function<Status(ChunkId, const format::VectorRecord&)>& fn) const {
  return ForEachRecord<ChunkId, format::VectorRecord>(*impl_, kVectorsFamily, format::DecodeChunkKey,
                                                      format::DecodeVectorRecord, fn);
}

Status Store::ForEachVectorView(
    const std::function<Status(ChunkId, const format::VectorRecordView&)>& fn) const {
  return ForEachRecord<ChunkId, format::VectorRecordView>(
      *impl_, kVectorsFamily, format::DecodeChunkKey, format::DecodeVectorRecordView, fn);
}

Status Store::ForEachChunk(
    const std::function<Status(ChunkId, const format::ChunkRecord&)>& fn) const {
  return ForEachRecord<ChunkId, format::ChunkRecord>(*impl_, kChunksFamily, format::DecodeChunkKey,
                                                     format::DecodeChunkRecord, fn);
}

Result<std::vector<PendingChunk>> Store::ReadPending(std::optional<ChunkId> after,
                                                     size_t limit) const {
  std::vector<ChunkId> ids;
  std::unique_ptr<rocksdb::Iterator> it(
      impl_->db->NewIterator(rocksdb::ReadOptions(), impl_->cf(kPendingFamily)));
  auto collect = [&](bool from_start) -> Status {
    if (from_start) {
      it->SeekToFirst();
    } else {
      it->Seek(format::EncodeChunkKey(ChunkId{after->value + 1}));
    }
    for (; it->Valid() && ids.size() < limit; it->Next()) {
      ROXI_ASSIGN_OR_RETURN(ChunkId id, format::DecodeChunkKey(std::string_view(
                                            it->key().data(), it->key().size())));
      // The wrapped pass stops where the first pass started.
      if (from_start && after && id.value > after->value) break;
      ids.push_back(id);
    }
    return FromRocks(it->status(), "scan pending");
  };
  if (after) ROXI_RETURN_IF_ERROR(collect(false));
  if (ids.size() < limit) ROXI_RETURN_IF_ERROR(collect(true));

  std::vector<PendingChunk> out;
  out.reserve(ids.size());
  auto records = MultiGetChunks(ids);
  for (size_t i = 0; i < ids.size(); ++i) {
    if (!records[i].ok()) {
      if (records[i].status().IsNotFound()) {
        return Status::Corruption(Impl::Where(kPendingFamily, format::DescribeChunk(ids[i])),
                                  "points at a missing chunk");
      }
      return records[i].status();
    }
    out.push_back(PendingChunk{ids[i], std::move(records[i]).value()});
  }
  return out;
}

Result<format::CheckpointRecord> Store::GetCheckpoint(std::string_view processor) const {
  {
    MutexLock lock(&impl_->write_mu);
    auto it = impl_->checkpoints.find(processor);
    if (it != impl_->checkpoints.end()) return it->second;
  }
  ROXI_ASSIGN_OR_RETURN(std::string value, impl_->Get(kCheckpointsFamily, processor, processor));
  auto record = format::DecodeCheckpointRecord(value);
  if (!record.ok()) return record.status().WithContext(Impl::Where(kCheckpointsFamily, processor));
  return record;
}

void Store::SetBlockCacheCapacity(size_t bytes) { impl_->block_cache->SetCapacity(bytes); }

size_t Store::BlockCacheUsage() const { return impl_->block_cache->GetUsage(); }

Status Store::FlushMemtables() {
  if (read_only()) return Status::OK();
  std::vector<rocksdb::ColumnFamilyHandle*> families;
  for (auto* handle : impl_->families) {
    if (handle != nullptr) families.push_back(handle);
  }
  return FromRocks(impl_->db->Flush(rocksdb::FlushOptions(), families), "flush " + impl_->db_dir);
}

uint64_t Store::LatestSequence() const { return impl_->db->GetLatestSequenceNumber(); }

uint64_t Store::DiskBytes() const {
  uint64_t total = 0;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(impl_->db_dir, ec), end; !ec && it != end;
       it.increment(ec)) {
    std::error_code size_ec;
    if (it->is_regular_file(size_ec)) {
      const auto size = it->file_size(size_ec);
      if (!size_ec) total += size;
    }
  }
  return total;
}

}  // namespace roxi::storage
