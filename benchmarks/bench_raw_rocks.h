// Raw RocksDB for the benchmarks' write baselines: what the same bytes cost written straight into
// RocksDB, without roxi's records, checksums, queue, counters or read-back. The only benchmark code
// that names RocksDB types (a baseline has to).
//
// RawDb opens two column families tuned as the Store's (storage/store.cc) `chunks` (LZ4, 16 MiB
// write buffer) and `vectors` (no compression, 32 MiB), with the Store's two background jobs, and
// fsyncs every write as the Store does by default. Keys are 8-byte big-endian numbers, as ChunkIds
// are stored.
//
// Thread-safety: a RawDb is used by one thread; the functions are reentrant.
#pragma once

#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/write_batch.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "benchmarks/bench_text.h"
#include "format/keys.h"
#include "format/status.h"

namespace roxi::bench {

class RawDb {
 public:
  // A new or reopened database in `dir`; IOError naming the directory if RocksDB cannot open it.
  static Result<std::unique_ptr<RawDb>> Open(const std::string& dir) {
    rocksdb::DBOptions dbo;
    dbo.create_if_missing = true;
    dbo.create_missing_column_families = true;
    dbo.max_background_jobs = 2;
    dbo.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;
    rocksdb::ColumnFamilyOptions chunks;
    chunks.compression = rocksdb::kLZ4Compression;
    chunks.write_buffer_size = 16u << 20;
    rocksdb::ColumnFamilyOptions vectors;
    vectors.compression = rocksdb::kNoCompression;
    vectors.write_buffer_size = 32u << 20;
    std::vector<rocksdb::ColumnFamilyDescriptor> families = {
        {rocksdb::kDefaultColumnFamilyName, chunks}, {"vectors", vectors}};
    auto db = std::unique_ptr<RawDb>(new RawDb);
    rocksdb::DB* raw = nullptr;
    rocksdb::Status s = rocksdb::DB::Open(dbo, dir, families, &db->handles_, &raw);
    if (!s.ok()) return Status::IOError("raw rocksdb " + dir, s.ToString());
    db->db_.reset(raw);
    db->write_options_.sync = true;
    return db;
  }
  ~RawDb() {
    for (rocksdb::ColumnFamilyHandle* h : handles_) {
      db_->DestroyColumnFamilyHandle(h).PermitUncheckedError();  // why: closing; nothing to do
    }
  }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  rocksdb::ColumnFamilyHandle* chunks() const { return handles_[0]; }
  rocksdb::ColumnFamilyHandle* vectors() const { return handles_[1]; }
  // Writes `batch`, fsynced; IOError with RocksDB's message if that fails.
  Status Write(rocksdb::WriteBatch* batch) {
    rocksdb::Status s = db_->Write(write_options_, batch);
    return s.ok() ? Status::OK() : Status::IOError("raw rocksdb write", s.ToString());
  }

 private:
  RawDb() = default;
  // Declared first so that it is destroyed last, after the destructor released the handles.
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  rocksdb::WriteOptions write_options_;
};

inline std::string RawKey(uint64_t n) { return format::EncodeChunkKey(format::ChunkId{n}); }

// Puts texts[i] under key i + 1, in WriteBatches closed once they hold batch_bytes of text.
inline Status RawPutTexts(RawDb* db, std::span<const std::string_view> texts,
                          uint64_t batch_bytes) {
  rocksdb::WriteBatch batch;
  uint64_t bytes = 0;
  for (size_t i = 0; i < texts.size(); ++i) {
    (void)batch.Put(db->chunks(), RawKey(i + 1), rocksdb::Slice(texts[i].data(), texts[i].size()));
    bytes += texts[i].size();
    if (bytes >= batch_bytes || i + 1 == texts.size()) {
      ROXI_RETURN_IF_ERROR(db->Write(&batch));
      batch.Clear();
      bytes = 0;
    }
  }
  return Status::OK();
}

// Puts keys [first, first + n) with `vector` as value in one WriteBatch.
inline Status RawPutVectors(RawDb* db, uint64_t first, size_t n, std::string_view vector) {
  rocksdb::WriteBatch batch;
  for (size_t i = 0; i < n; ++i) {
    (void)batch.Put(db->vectors(), RawKey(first + i), rocksdb::Slice(vector.data(), vector.size()));
  }
  return db->Write(&batch);
}

// `n` bytes of noise, as incompressible as float16 vectors are.
inline std::string NoiseBytes(size_t n) {
  internal::Rng rng(7);
  std::string v(n, '\0');
  for (char& c : v) c = static_cast<char>(rng.Next());
  return v;
}

}  // namespace roxi::bench
