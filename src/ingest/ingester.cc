#include "src/ingest/ingester.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>

#include "format/hash.h"
#include "src/common/log.h"
#include "src/ingest/document_metadata_input.h"
#include "src/ingest/document_reader.h"
#include "src/ingest/front_matter.h"

namespace roxi::ingest {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kStdin = "-";

// Reads `reader` through, keeping nothing: its errors are the ones ingesting it would meet.
Status ReadThrough(DocumentReader* reader) {
  while (true) {
    ROXI_ASSIGN_OR_RETURN(std::string_view block, reader->Next());
    if (block.empty()) return Status::OK();
  }
}

bool IsHidden(const fs::path& p) {
  const std::string name = p.filename().string();
  return !name.empty() && name[0] == '.';
}

}  // namespace

Status CheckIngestInputs(std::span<const std::string> inputs, const IngestOptions& options,
                         bool read_contents) {
  ROXI_RETURN_IF_ERROR(text::ValidateChunkerOptions(options.chunker));
  if (inputs.empty()) return Status::InvalidArgument("ingest", "no input paths given");
  if (!options.document_id.empty()) {
    ROXI_RETURN_IF_ERROR(format::ValidateDocumentName(options.document_id)
                             .WithContext("--id '" + options.document_id + "'"));
    if (inputs.size() != 1) {
      return Status::InvalidArgument("--id", "names one document, but " +
                                                 std::to_string(inputs.size()) + " inputs were given");
    }
  }
  size_t stdin_count = 0;
  for (const std::string& input : inputs) {
    if (input == kStdin) {
      ++stdin_count;
      if (options.document_id.empty()) {
        return Status::InvalidArgument("input -", "standard input needs a document name: --id NAME");
      }
      continue;
    }
    struct stat st;
    if (::stat(input.c_str(), &st) != 0) {
      const int err = errno;
      if (err == ENOENT) return Status::NotFound("input " + input, "no such file or directory");
      return Status::IOError("input " + input, std::strerror(err));
    }
    if (S_ISDIR(st.st_mode)) {
      if (!options.document_id.empty()) {
        return Status::InvalidArgument("--id", "cannot name a folder's documents (" + input + ")");
      }
      if (::access(input.c_str(), R_OK | X_OK) != 0) {
        return Status::IOError("input " + input, std::strerror(errno));
      }
      continue;
    }
    if (!S_ISREG(st.st_mode)) {
      return Status::InvalidArgument("input " + input, "not a regular file or folder");
    }
    // A file named explicitly must be usable as a whole, before anything is written.
    ROXI_ASSIGN_OR_RETURN(std::unique_ptr<DocumentReader> reader,
                          DocumentReader::OpenFile(input, options.max_document_bytes));
    if (read_contents) ROXI_RETURN_IF_ERROR(ReadThrough(reader.get()));
  }
  if (stdin_count > 1) return Status::InvalidArgument("input -", "given more than once");
  return Status::OK();
}

Ingester::Ingester(storage::Store* store, IngestOptions options, const common::Clock& clock)
    : store_(store), options_(std::move(options)), clock_(clock) {}

Status Ingester::Run(std::span<const std::string> inputs) {
  // A single input's content is checked as it is ingested: a bad block drops all of it. With more,
  // a bad one must be found before the others are written.
  ROXI_RETURN_IF_ERROR(CheckIngestInputs(inputs, options_, /*read_contents=*/inputs.size() > 1));
  ROXI_ASSIGN_OR_RETURN(text::Chunker chunker, text::Chunker::Create(options_.chunker));
  chunker_.emplace(std::move(chunker));
  for (const std::string& input : inputs) ROXI_RETURN_IF_ERROR(IngestPath(input));
  return Flush();
}

Status Ingester::RunText(const std::string& name, std::string content) {
  ROXI_RETURN_IF_ERROR(format::ValidateDocumentName(name).WithContext("document id '" + name + "'"));
  ROXI_ASSIGN_OR_RETURN(text::Chunker chunker, text::Chunker::Create(options_.chunker));
  chunker_.emplace(std::move(chunker));
  ++report_.files_seen;
  std::unique_ptr<DocumentReader> reader =
      DocumentReader::OpenText(name, content, options_.max_document_bytes);
  ROXI_RETURN_IF_ERROR(IngestDocument(reader.get(), name, "", /*named=*/true));
  return Flush();
}

Status Ingester::Skip(const std::string& path, const Status& reason, bool named) {
  if (named) return reason;
  report_.skipped.push_back({path, std::string(reason.message())});
  common::LogWarn("input skipped", {{"path", path}, {"reason", reason.ToString()}});
  return Status::OK();
}

Status Ingester::IngestPath(const std::string& input) {
  if (input == kStdin) {
    ++report_.files_seen;
    std::unique_ptr<DocumentReader> reader = DocumentReader::OpenStdin(options_.max_document_bytes);
    return IngestDocument(reader.get(), options_.document_id, "", /*named=*/true);
  }
  std::error_code ec;
  if (!fs::is_directory(input, ec)) return IngestFile(input, /*named=*/true);

  // Collect then sort, so documents get ids in a stable order whatever the file system returns.
  std::vector<std::string> files;
  fs::recursive_directory_iterator it(input, fs::directory_options::skip_permission_denied, ec);
  if (ec) return Status::IOError("input " + input, ec.message());
  for (fs::recursive_directory_iterator end; it != end; it.increment(ec)) {
    if (ec) return Status::IOError("input " + input, ec.message());
    if (IsHidden(it->path())) {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file(ec)) files.push_back(it->path().string());
  }
  std::sort(files.begin(), files.end());
  for (const std::string& file : files) ROXI_RETURN_IF_ERROR(IngestFile(file, /*named=*/false));
  return Status::OK();
}

Status Ingester::IngestFile(const std::string& path, bool named) {
  ++report_.files_seen;
  auto reader = DocumentReader::OpenFile(path, options_.max_document_bytes);
  if (!reader.ok()) return Skip(path, reader.status(), named);
  std::error_code ec;
  const fs::path absolute = fs::weakly_canonical(fs::absolute(path, ec), ec);
  const std::string source = ec ? path : absolute.string();
  std::string name = options_.document_id.empty() ? source : options_.document_id;
  return IngestDocument(reader->get(), std::move(name), source, named);
}

Status Ingester::IngestDocument(DocumentReader* reader, std::string name, std::string source_path,
                                bool named) {
  std::string content;
  while (true) {
    auto block = reader->Next();
    if (!block.ok()) return Skip(reader->name(), block.status(), named);
    if (block->empty()) break;
    content.append(*block);
    if (content.size() > options_.batch_bytes) {
      Status read_error;
      ROXI_RETURN_IF_ERROR(IngestLargeDocument(reader, std::move(name), std::move(source_path),
                                               std::move(content), &read_error));
      return read_error.ok() ? Status::OK() : Skip(reader->name(), read_error, named);
    }
  }
  return AddDocument(std::move(name), std::move(source_path), std::move(content),
                     reader->mtime_micros());
}

Status Ingester::AddDocument(std::string name, std::string source_path, std::string content,
                             uint64_t mtime_micros) {
  report_.bytes_read += content.size();
  const uint64_t content_hash = format::Xxh3(content);
  // The same document given twice in one run (two paths to one file) is ingested once.
  for (const auto& update : pending_) {
    if (update.document.name == name) {
      ++report_.unchanged;
      return Status::OK();
    }
  }
  auto existing = store_->LookupName(name);
  if (content.empty()) {
    // A 0-byte file has nothing to search: it is not made a document. One that was a document
    // before is emptied, so that its old text stops being found.
    const std::string shown = source_path.empty() ? name : source_path;
    if (existing.status().IsNotFound()) {
      report_.skipped.push_back({shown, "empty file (0 bytes): nothing to index"});
      common::LogWarn("input skipped", {{"path", shown}, {"reason", "empty file (0 bytes)"}});
      return Status::OK();
    }
    if (existing.ok()) {
      common::LogWarn("document emptied: its chunks are removed", {{"path", shown}});
    }
  }
  format::DocumentMetadata metadata =
      MetadataFor(source_path.empty() ? name : source_path, content);
  if (existing.ok()) {
    ROXI_ASSIGN_OR_RETURN(format::DocumentRecord old, store_->GetDocument(*existing));
    if (old.content_hash == content_hash && old.size_bytes == content.size() &&
        old.metadata == metadata) {
      ++report_.unchanged;
      return Status::OK();
    }
    ++report_.replaced;
  } else if (existing.status().IsNotFound()) {
    ++report_.created;
  } else {
    return existing.status();
  }

  storage::DocumentUpdate update;
  update.document.name = std::move(name);
  update.document.source_path = std::move(source_path);
  update.document.content_hash = content_hash;
  update.document.size_bytes = content.size();
  update.document.ingested_at_micros = clock_.NowMicros();
  update.document.source_mtime_micros = mtime_micros;
  update.document.metadata = std::move(metadata);
  for (const text::ChunkSpan& span : chunker_->Split(content)) {
    format::ChunkRecord chunk;
    chunk.byte_offset = span.byte_offset;
    chunk.text = content.substr(span.byte_offset, span.byte_length);
    update.chunks.push_back(std::move(chunk));
  }
  pending_bytes_ += content.size();
  pending_.push_back(std::move(update));
  if (pending_bytes_ >= options_.batch_bytes || pending_.size() >= options_.batch_documents) {
    return Flush();
  }
  return Status::OK();
}

format::DocumentMetadata Ingester::MetadataFor(const std::string& shown, std::string_view content) {
  if (!IsMarkdownName(shown)) return options_.metadata;
  auto front_matter = ParseFrontMatter(content);
  Status problem = front_matter.status();
  if (front_matter.ok() && front_matter->has_value()) {
    auto merged = MergeMetadata(options_.metadata, **front_matter);
    if (merged.ok()) return *std::move(merged);
    problem = merged.status();
  }
  if (problem.ok()) return options_.metadata;
  const std::string message =
      std::string(problem.message()) + "; ingested as plain text without front-matter metadata";
  report_.warnings.push_back({shown, message});
  common::LogWarn("front matter ignored", {{"path", shown}, {"reason", message}});
  return options_.metadata;
}

Status Ingester::Flush() {
  if (pending_.empty()) return Status::OK();
  auto summary = store_->Ingest(pending_);
  if (!summary.ok()) return summary.status();
  for (const auto& entry : summary->documents) {
    report_.chunks_queued += entry.chunks - entry.reused;
    report_.chunks_reused += entry.reused;
  }
  common::LogDebug("ingest batch committed", {{"documents", uint64_t{pending_.size()}},
                                              {"bytes", pending_bytes_}});
  pending_.clear();
  pending_bytes_ = 0;
  return Status::OK();
}

}  // namespace roxi::ingest
