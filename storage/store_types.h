// Plain value types that cross the storage/ boundary: what a writer hands the Store to commit, and
// what readers get back. No RocksDB types appear here.
//
// Thread-safety: values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "format/chunk_record.h"
#include "format/document_record.h"
#include "format/keys.h"

namespace roxi::storage {

// A document to create or replace, with its new chunks (numbered 0..n-1 in order). Each chunk
// record's state is ignored: new chunks are written as pending.
struct DocumentUpdate {
  format::DocumentRecord document;  // document.name is the key; chunk_count is filled by the Store
  std::vector<format::ChunkRecord> chunks;
};

struct IngestSummary {
  struct Entry {
    format::DocumentId id;
    bool created = false;     // false: an existing document's chunks were replaced
    uint32_t chunks = 0;
    uint32_t reused = 0;      // of the chunks, stored with a vector already held for their text
  };
  std::vector<Entry> documents;  // in the order of the updates
};

// One chunk the processor embedded: its encoded VectorRecord (format/vector_record.h) and the hash
// of the text it embedded, checked against the chunk at commit so a vector never lands on a chunk
// whose text changed meanwhile.
struct EmbeddedChunk {
  format::ChunkId id;
  uint64_t text_hash = 0;
  std::string vector_value;
  // The vector was copied from a chunk with identical text (Store::FindReusableVectors) or from
  // another chunk of the same batch, not returned by the embedder: counted in embeddings_reused.
  bool reused = false;
};

// One chunk the embedder rejected. Its attempt count grows; when `give_up` it leaves the queue in
// state failed with `error` as the reason, otherwise it stays pending for a later try.
struct RejectedChunk {
  format::ChunkId id;
  uint64_t text_hash = 0;
  std::string error;
  bool give_up = false;
};

// Everything one processed batch changes, committed as one WriteBatch.
struct EmbeddingCommit {
  std::string processor = "process";  // the checkpoint's key
  std::vector<EmbeddedChunk> embedded;
  std::vector<RejectedChunk> rejected;
  uint64_t batch_micros = 0;  // wall time spent on the batch, for the checkpoint
};

struct CommitSummary {
  std::vector<format::ChunkId> embedded;  // committed with a vector
  uint64_t reused = 0;                     // of which carried a reused vector
  uint64_t rejected = 0;                   // attempts recorded
  uint64_t failed = 0;                     // of which gave up
  uint64_t stale = 0;  // skipped: chunk gone, replaced, or no longer pending
};

// What Store::DeleteDocuments removed.
struct DeleteSummary {
  struct Entry {
    std::string name;
    format::DocumentId id;
    uint32_t chunks = 0;
  };
  std::vector<Entry> documents;  // in the order the names were given, repeats left out
  uint64_t chunks = 0;           // chunks removed, in all
};

// One document as `roxi documents` lists it: its record and its chunks by state.
struct DocumentSummary {
  format::DocumentId id;
  format::DocumentRecord record;
  uint32_t embedded = 0;
  uint32_t pending = 0;
  uint32_t failed = 0;
};

struct PendingChunk {
  format::ChunkId id;
  format::ChunkRecord record;
};

}  // namespace roxi::storage
