// Store: roxi's single source of truth, a RocksDB database under <data_dir>/db with the column
// families documents, names, chunks, vectors, vectors_b, pending, checkpoints, meta and
// text_vectors (format/FORMAT.md §2-3). Of vectors and vectors_b, one is active (the vectors
// searches use) and the other stages a re-embed's vectors (§2.6).
//
// Every change the rest of roxi makes goes through a commit that is a single WriteBatch: Ingest
// (documents, their chunks, pending entries, counters), CommitEmbeddings (vectors, chunk states,
// pending deletions, counters, checkpoint), and a re-embed's StartReembed, CommitStaging and
// TrySwapVectors. Ingest and CommitEmbeddings keep `text_vectors`, the index from a text's hash to
// the chunks holding its vector in the active family, in step with it: an ingested chunk whose
// exact text already has a vector is stored embedded, with a copy of it, and never queued; the
// swap of a re-embed rewrites the index for the new model in the same batch. A crash at any
// instant therefore leaves either all of a commit or none of it. The `counters` record is updated
// in the same batch as the change it counts, so it always equals what the families hold.
//
// Open modes: kReadWrite holds RocksDB's lock (one writer process per data directory; a second one
// gets Busy). kReadOnly opens a secondary instance that does not take the lock, for status and
// search while another process writes.
//
// Thread-safety: all methods are thread-safe. Writes are serialised by an internal mutex; reads take
// no lock (counters are copied under the mutex).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "format/checkpoint_record.h"
#include "format/deletions_record.h"
#include "format/meta_records.h"
#include "format/reembed_record.h"
#include "format/status.h"
#include "format/vector_record.h"
#include "storage/reembed_types.h"
#include "storage/store_types.h"

namespace roxi::storage {

struct StoreCheckOptions;  // storage/verify_report.h
struct VerifyReport;       // storage/verify_report.h

struct StoreOptions {
  std::string data_dir;  // the store lives in <data_dir>/db
  enum class Mode { kReadWrite, kReadOnly } mode = Mode::kReadWrite;
  // Create an empty store when none exists (kReadWrite only). Default: true.
  bool create_if_missing = true;
  // fsync the WAL on every commit, so an acknowledged commit survives power loss, not just a crash
  // of the process. Default: true.
  bool sync_writes = true;
  // Shared block cache for all families, in bytes. Default: 32 MiB.
  size_t block_cache_bytes = 32u << 20;
  // Refuse a data directory that group or others can reach (file_privacy.h), instead of warning.
  // Default: false.
  bool strict_permissions = false;
  // Receives each warning of the owner-only check (an exposed data directory, modes made
  // owner-only); storage does not log. Default: none (warnings are dropped).
  std::function<void(const std::string&)> warn;
  // Refuse to open (Corruption) when a live RocksDB file is missing or truncated
  // (storage/live_files.h). Only what reads a damaged store on purpose turns it off: `roxi verify`,
  // which lists the damage, and the salvage before an automatic restore. Default: true.
  bool check_live_files = true;
};

class Store {
 public:
  // Opens the store. First applies the owner-only policy to the data directory (SecureDataDir in
  // file_privacy.h; a new data directory and db/ are created 0700). Returns NotFound if there is
  // none and it may not be created (message says how to create one), InvalidArgument for an
  // exposed data directory under strict_permissions (nothing written), Busy if another process
  // holds it read-write, NotSupported if it was written with a newer schema (naming both versions),
  // Corruption if its meta records are damaged or (with check_live_files) a live file is missing or
  // truncated, naming the file, IOError for file-system failures. Each message names the
  // directory. A read-write open also removes what a killed backup or restore left behind
  // (storage/leftovers.h).
  static Result<std::unique_ptr<Store>> Open(const StoreOptions& options);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  const std::string& data_dir() const;
  const std::string& db_dir() const;
  bool read_only() const;

  // Records the embedder on first use; afterwards InvalidArgument unless `embedder` equals the
  // recorded one, naming both. In read-only mode it only compares.
  Status BindEmbedder(const format::EmbedderRecord& embedder);
  // The comparison BindEmbedder makes, recording nothing: OK when no embedder is recorded yet or
  // `embedder` is the recorded one, InvalidArgument (the same message) otherwise. What a server
  // checks a client's embedder with before it answers for it.
  Status CheckEmbedder(const format::EmbedderRecord& embedder) const;
  // The recorded embedder; NotFound if none yet.
  Result<format::EmbedderRecord> GetEmbedder() const;
  format::StoreInfoRecord GetStoreInfo() const;
  format::CountersRecord GetCounters() const;
  // In read-only mode, catches up with the writer (RocksDB secondary); no-op otherwise.
  Status Refresh();

  // Documents and names. NotFound when absent; Corruption naming the key when damaged.
  Result<format::DocumentId> LookupName(std::string_view name) const;
  Result<format::DocumentRecord> GetDocument(format::DocumentId id) const;
  // Calls fn for every document in id order; stops at and returns the first non-OK Status fn returns.
  Status ForEachDocument(
      const std::function<Status(format::DocumentId, const format::DocumentRecord&)>& fn) const;

  // Chunks and vectors.
  Result<format::ChunkRecord> GetChunk(format::ChunkId id) const;
  Result<format::VectorRecord> GetVector(format::ChunkId id) const;
  // One result per id, in order: the record, NotFound, or Corruption naming the key.
  std::vector<Result<format::VectorRecord>> MultiGetVectors(std::span<const format::ChunkId> ids) const;
  std::vector<Result<format::ChunkRecord>> MultiGetChunks(std::span<const format::ChunkId> ids) const;
  // Calls fn for every vector in ChunkId order with its undecoded-free view; see ForEachDocument.
  Status ForEachVector(
      const std::function<Status(format::ChunkId, const format::VectorRecord&)>& fn) const;
  // As ForEachVector, with each record as a view into the scan's buffer (valid during the call):
  // a scan of every vector that allocates nothing per record.
  Status ForEachVectorView(
      const std::function<Status(format::ChunkId, const format::VectorRecordView&)>& fn) const;
  // Calls fn for every chunk in ChunkId order.
  Status ForEachChunk(
      const std::function<Status(format::ChunkId, const format::ChunkRecord&)>& fn) const;

  // For each text, a vector of model `model` (an EmbedderRecord fingerprint) the store already
  // holds for a chunk of exactly that text (encoded as in `vectors`), or nullopt. Lets the
  // processor copy instead of paying the embedder twice for the same text.
  Result<std::vector<std::optional<std::string>>> FindReusableVectors(
      uint64_t model, std::span<const std::string_view> texts) const;

  // Up to `limit` pending chunks with their records, in ChunkId order starting after `after` (from the
  // beginning when unset), wrapping around once to the beginning. Corruption if a pending entry's
  // chunk is missing or damaged.
  Result<std::vector<PendingChunk>> ReadPending(std::optional<format::ChunkId> after,
                                                size_t limit) const;

  // Creates or replaces documents, in one WriteBatch. A replaced document's old chunks, vectors and
  // pending entries are removed in the same batch. InvalidArgument for a bad name, a name given twice,
  // too many chunks, or an oversized chunk; IOError if the write fails (nothing is changed then).
  // REQUIRES: read-write mode.
  Result<IngestSummary> Ingest(std::span<const DocumentUpdate> updates);

  // Staged ingest of a document too big for one WriteBatch (storage/store_stage.cc, FORMAT.md
  // §3.9). Its chunks are written in bounded batches under a new document id that nothing sees
  // until FinishStage switches it in with one WriteBatch; a crash before that leaves the old
  // version (if any) whole, and the next read-write open deletes the staged chunks. So searches
  // see the old version or the new one, never both.
  //
  // Starts staging a new version of document `name`: allocates its document id and records the
  // stage in one WriteBatch. InvalidArgument for a bad name or a full store. REQUIRES: read-write.
  Result<format::DocumentId> BeginStage(std::string_view name);
  // Writes `chunks` (their states ignored: they are stored pending, neither counted nor queued) as
  // the stage's next chunks, numbered from where the last call ended, in one WriteBatch with the
  // stage record. InvalidArgument if `stage` is not a stage being staged, for too many chunks or an
  // oversized one. REQUIRES: read-write mode.
  Status AppendStaged(format::DocumentId stage, std::span<const format::ChunkRecord> chunks);
  // Switches the stage in, in one WriteBatch: `document` (chunk_count filled in) under the stage's
  // id, the name pointing at it, the version it replaces (if any) unlinked. Then, in bounded
  // batches, queues the new chunks (storing a copy of a vector the store already holds for the same
  // text instead, as Ingest does) and removes the old version's. InvalidArgument if `stage` is not
  // being staged or `document` names another document. REQUIRES: read-write mode.
  Result<IngestSummary::Entry> FinishStage(format::DocumentId stage,
                                           const format::DocumentRecord& document);
  // Drops a stage being staged and its chunks, in one WriteBatch. OK if there is none.
  // REQUIRES: read-write mode.
  Status AbortStage(format::DocumentId stage);

  // Commits one processed batch in one WriteBatch: vectors put, chunk states set, pending entries
  // deleted, rejected chunks' attempts recorded, counters and the processor's checkpoint updated.
  // Entries whose chunk is gone, has other text now, or is no longer pending are skipped as stale.
  // REQUIRES: read-write mode.
  Result<CommitSummary> CommitEmbeddings(const EmbeddingCommit& commit);

  // Deletes documents by name in one WriteBatch: each document's record, its name, its chunks,
  // their vectors (in both vector families during a re-embed), queue entries and `text_vectors`
  // entries, with the counters and meta[deletions] (FORMAT.md §3.8). A crash leaves all of it or
  // none. A name given twice is deleted once. NotFound naming the first name that is no document,
  // and then nothing is deleted; IOError if the write fails (nothing is changed then).
  // REQUIRES: read-write mode.
  Result<DeleteSummary> DeleteDocuments(std::span<const std::string> names);
  // Running totals of deletions (zero for a store that never deleted).
  format::DeletionsRecord GetDeletions() const;
  // Up to `limit` document names that start with `prefix`, in byte order, after `after` (from the
  // first when empty). Corruption naming a damaged name record.
  Result<std::vector<std::string>> ListNames(std::string_view prefix, std::string_view after,
                                             size_t limit) const;
  // The document named `name` with its chunks counted by state. NotFound when there is none;
  // Corruption naming a damaged record.
  Result<DocumentSummary> SummarizeDocument(std::string_view name) const;

  // Returns failed chunks to the queue (state pending, attempts 0), in one WriteBatch. Returns how
  // many were re-queued. REQUIRES: read-write mode.
  Result<uint64_t> RequeueFailed();

  // Re-embedding (storage/store_reembed.cc, FORMAT.md §2.6 and §3.7). A re-embed writes vectors of
  // a target embedder into the staging vector family while searches, ingests and the processor go
  // on with the active one; TrySwapVectors then makes the staging family active and the target the
  // store's embedder in one WriteBatch that also deletes every old vector.

  // The re-embed in progress; NotFound when there is none.
  Result<format::ReembedRecord> GetReembed() const;
  // Starts a re-embed to `target`, emptying the staging family first; OK without a change when a
  // re-embed to `target` is already in progress (a rerun resumes it). InvalidArgument when the
  // store has no embedder yet, already uses `target`, or is re-embedding to another target (naming
  // it); InvalidArgument for a malformed target as BindEmbedder. REQUIRES: read-write mode.
  Status StartReembed(const format::EmbedderRecord& target);
  // Drops the re-embed in progress and its staging vectors. NotFound when there is none.
  // REQUIRES: read-write mode.
  Status CancelReembed();
  // Up to `limit` chunks the re-embed still has to embed, scanning chunks in ChunkId order after
  // `after` (from the first when unset) and looking at no more than `max_scanned` of them.
  // NotFound when no re-embed is in progress; Corruption naming a damaged record.
  Result<ReembedWork> ReadReembedWork(std::optional<format::ChunkId> after, size_t limit,
                                      size_t max_scanned) const;
  // Writes staging vectors and the re-embed's cursor in one WriteBatch. Entries whose chunk is gone,
  // is not embedded or has other text now are skipped as stale. InvalidArgument if no re-embed is
  // in progress or a vector is not of its target model. REQUIRES: read-write mode.
  Result<StagingCommitSummary> CommitStaging(const StagingCommit& commit);
  // Under the write lock, checks that every embedded chunk has a staging vector of the target for
  // its current text. If so, swaps in one WriteBatch (the staging family becomes active, the target
  // becomes the embedder, meta[reembed] and every stale staging vector are deleted, the old family
  // is emptied) and then compacts the old family; otherwise changes nothing and reports how many
  // are missing. NotFound when no re-embed is in progress. REQUIRES: read-write mode.
  Result<ReembedSwap> TrySwapVectors();
  // Calls fn for every staging vector in ChunkId order (see ForEachDocument).
  Status ForEachStagingVector(
      const std::function<Status(format::ChunkId, const format::VectorRecord&)>& fn) const;

  // NotFound when the processor has never committed.
  Result<format::CheckpointRecord> GetCheckpoint(std::string_view processor) const;

  // Bytes of all files under db_dir().
  uint64_t DiskBytes() const;
  // RocksDB's latest sequence number: it grows with every commit and nothing else (a flush or a
  // checkpoint leaves it alone), so equal numbers mean an unchanged store. A backup's manifest
  // records the one its checkpoint contains.
  uint64_t LatestSequence() const;

  // Resizes the shared block cache (deep sleep shrinks it; waking restores it). Entries beyond the
  // new capacity are evicted as soon as they are unpinned.
  void SetBlockCacheCapacity(size_t bytes);
  size_t BlockCacheUsage() const;
  // Writes every family's memtable to disk and frees it (deep sleep gives that memory back).
  Status FlushMemtables();

  // Backups and verification (defined in storage/checkpoint.cc and storage/verify_store_scan.cc).

  // Creates an openable copy of the store as of now in `dir`, which must not exist and should be
  // on the store's file system (SST files are then hard links; the rest is copied). Memtables are
  // flushed first. Returns a RocksDB sequence number the copy contains. Readers and writers go on
  // meanwhile. NotSupported in read-only mode; IOError or Busy from RocksDB.
  Result<uint64_t> CreateCheckpoint(const std::string& dir) const;
  // Runs the store checks of storage/verify_store.h on one consistent view of the store (a
  // snapshot; in read-only mode, the view at open), adding every problem found to *report and
  // its census. Returns non-OK only when the checks could not run (an I/O error); damage is
  // reported, not returned.
  Status CheckInto(const StoreCheckOptions& options, VerifyReport* report) const;

  // Opaque outside storage/ (defined in storage/store_impl.h, which names RocksDB types).
  struct Impl;

 private:
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace roxi::storage
