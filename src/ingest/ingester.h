// Ingester: turns files, folders and standard input into documents and queued chunks in the Store.
//
// Inputs are checked before anything is written: every named path must exist and be readable, and a
// file named explicitly must be UTF-8 text, so a bad argument changes nothing. Files found while
// walking a folder (recursively, in name order, hidden entries skipped) that are binary or not valid
// UTF-8 are skipped with a warning naming them. An empty (0-byte) input, named or found, is skipped
// with a warning too (it has nothing to search), unless it replaces a document of the same name,
// which is then emptied so its old text is no longer found. A document is named by its absolute path, or by the
// id given for a single input. Re-ingesting an unchanged document (same content hash) is a no-op; a
// changed one replaces its chunks, which are queued again. Documents are committed in batches, each
// one WriteBatch, so whatever was reported ingested is durable.
//
// Every input is read as a stream (DocumentReader: read once, UTF-8 checked and hashed on the way)
// and held in memory only up to batch_bytes. A document larger than that is chunked as it is read
// (text::ChunkStream) and staged in the store in batches of about batch_bytes (Store::BeginStage,
// FORMAT.md §3.9), then switched in by one WriteBatch: memory stays bounded whatever the document's
// size, and searches see its old version or its new one, never a mix. A bad block half-way (invalid
// UTF-8, a file that changed while read) drops what was staged: nothing of it is kept.
//
// Thread-safety: an Ingester is used by one thread.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "format/document_metadata.h"
#include "format/status.h"
#include "src/common/clock.h"
#include "src/text/chunker.h"
#include "storage/store.h"

namespace roxi::ingest {

struct IngestOptions {
  text::ChunkerOptions chunker;
  // The document name for a single input (required for standard input). Default: empty, each file
  // is named by its absolute path.
  std::string document_id;
  // Largest document accepted, in bytes: a choice, not a memory bound (memory does not grow with
  // the document). Default: 4 GiB.
  uint64_t max_document_bytes = uint64_t{4} << 30;
  // A commit happens once this many bytes of text or documents are buffered; a document larger
  // than this is staged in batches of about this many bytes of chunk text. Defaults: 8 MiB, 512.
  uint64_t batch_bytes = 8u << 20;
  size_t batch_documents = 512;
  // Metadata given for every document of this ingest (--meta, the API's `metadata`); canonical.
  // A Markdown document's front matter adds its fields, except for the keys given here.
  format::DocumentMetadata metadata;
};

struct SkippedInput {
  std::string path;
  std::string reason;
};

// A document ingested, but not quite as written: e.g. its front matter was malformed, so it was
// ingested as plain text without that metadata.
struct InputWarning {
  std::string path;
  std::string message;
};

struct IngestReport {
  uint64_t files_seen = 0;
  uint64_t created = 0;
  uint64_t replaced = 0;
  uint64_t unchanged = 0;
  uint64_t chunks_queued = 0;  // stored pending, for the processor
  uint64_t chunks_reused = 0;  // stored embedded at once: their exact text already had a vector
  uint64_t bytes_read = 0;
  std::vector<SkippedInput> skipped;
  std::vector<InputWarning> warnings;
  // With --sync: documents deleted because their files are gone from the folders ingested.
  std::vector<std::string> deleted;
};

// Checks `inputs` and `options` without writing anything: InvalidArgument for bad options or a
// named file that is over the size limit or not UTF-8 text, NotFound for a missing path, IOError
// for an unreadable one. Named files are read through (as a stream) when `read_contents`.
Status CheckIngestInputs(std::span<const std::string> inputs, const IngestOptions& options,
                         bool read_contents = true);

class DocumentReader;

class Ingester {
 public:
  // REQUIRES: store is open read-write and outlives the Ingester.
  Ingester(storage::Store* store, IngestOptions options,
           const common::Clock& clock = common::SystemClock());
  Ingester(const Ingester&) = delete;
  Ingester& operator=(const Ingester&) = delete;

  // Checks then ingests `inputs` (paths, or "-" for standard input). Returns InvalidArgument for bad
  // options or a named file that is not UTF-8 text, NotFound for a missing path, IOError for an
  // unreadable one; in those cases nothing has been written. An error after writing began (I/O
  // failure mid-way) leaves every batch committed before it in place.
  Status Run(std::span<const std::string> inputs);

  // Ingests one document given as text under `name` (what the server's API does with a document
  // body, as `Run` does with standard input). InvalidArgument for a bad name or content that is not
  // UTF-8 text; nothing is written then.
  Status RunText(const std::string& name, std::string content);

  const IngestReport& report() const { return report_; }

 private:
  Status IngestPath(const std::string& input);
  Status IngestFile(const std::string& path, bool named);
  // Reads `reader`'s document: whole (then AddDocument) up to batch_bytes, staged beyond. A
  // content error is returned when `named`, else the input is skipped with a warning.
  Status IngestDocument(DocumentReader* reader, std::string name, std::string source_path,
                        bool named);
  Status AddDocument(std::string name, std::string source_path, std::string content,
                     uint64_t mtime_micros);
  // The staged path of IngestDocument; `start` holds the bytes read so far. An error of the
  // reader (the input's content) is put in *read_error with nothing written, and OK returned.
  Status IngestLargeDocument(DocumentReader* reader, std::string name, std::string source_path,
                             std::string start, Status* read_error);
  // Stages and switches in `reader`'s document, `start` and the rest; as IngestLargeDocument.
  Status StageDocument(DocumentReader* reader, format::DocumentMetadata metadata, std::string name,
                       std::string source_path,
                       std::string start, std::optional<format::DocumentRecord> stored,
                       Status* read_error);
  // True when the file `reader` reads holds exactly what `stored` records (read through once).
  Result<bool> SameContent(const DocumentReader& reader, const format::DocumentRecord& stored);
  Status Skip(const std::string& path, const Status& reason, bool named);
  Status Flush();
  // The metadata of the document `shown` with text `content`: options_.metadata merged with its
  // front matter when it is Markdown. Malformed front matter is a warning, not an error.
  format::DocumentMetadata MetadataFor(const std::string& shown, std::string_view content);

  storage::Store* const store_;
  const IngestOptions options_;
  const common::Clock& clock_;
  std::optional<text::Chunker> chunker_;  // set by Run once the options are validated
  IngestReport report_;
  std::vector<storage::DocumentUpdate> pending_;
  uint64_t pending_bytes_ = 0;
};

}  // namespace roxi::ingest
