// DocumentReader: reads one input document (a file, or standard input) as a stream of blocks of
// checked text, so a document of any size is read once and held only a block at a time.
//
// Each block it returns is well-formed UTF-8 that continues the previous one (a code point cut by
// a block boundary is carried to the next block). The first block also passes the binary sniff
// (text::LooksBinary). Errors name the input and, for bad content, the byte offset:
//   - InvalidArgument: larger than the limit (a file by its size before any read; standard input
//     as soon as it passes the limit), binary, or invalid UTF-8 at byte N;
//   - IOError: unreadable, or a file that changed while it was read (it grew past, or ended
//     short of, the size it had when opened, or its size or modification time differs at the end).
//
// Head() keeps the document's first bytes (up to kHeadBytes) from the first Next() on: what is
// parsed from a document's start (such as Markdown front matter) reads them there, never the
// whole document.
//
// Thread-safety: a DocumentReader is used by one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "format/archive_hash.h"
#include "format/status.h"

namespace roxi::ingest {

class DocumentReader {
 public:
  // Bytes per block. Default read size; a block may be up to 3 bytes longer (a carried code point).
  static constexpr size_t kBlockBytes = size_t{1} << 20;
  // How many of the document's first bytes Head() keeps.
  static constexpr size_t kHeadBytes = size_t{64} << 10;

  // Opens `path` (named `path` in errors). NotFound if missing, IOError if unreadable,
  // InvalidArgument if it is not a regular file or its size is over `max_bytes`.
  static Result<std::unique_ptr<DocumentReader>> OpenFile(const std::string& path,
                                                          uint64_t max_bytes);
  // Reads standard input, named "-" in errors.
  static std::unique_ptr<DocumentReader> OpenStdin(uint64_t max_bytes);
  // Reads `content` (named `name` in errors), for text given in a request body. `content` must
  // outlive the reader.
  static std::unique_ptr<DocumentReader> OpenText(std::string name, std::string_view content,
                                                  uint64_t max_bytes);
  ~DocumentReader();
  DocumentReader(const DocumentReader&) = delete;
  DocumentReader& operator=(const DocumentReader&) = delete;

  // The next block of checked text; an empty view once the document has ended (and after it).
  // The view is valid until the next call. Errors as in the file comment; after an error the
  // reader stays failed.
  Result<std::string_view> Next();

  // The document's first min(kHeadBytes, size) bytes, all checked, once Next() has returned at
  // least once (the first block holds them; a shorter document is whole in it).
  std::string_view Head() const { return head_; }
  // Bytes returned so far.
  uint64_t offset() const { return offset_; }
  bool at_end() const { return at_end_; }
  // XXH3-64 of the whole document. REQUIRES: at_end().
  uint64_t content_hash() const { return hash_.Digest(); }
  // The file's size when opened; 0 for standard input and text.
  uint64_t size_at_open() const { return size_at_open_; }
  // The file's modification time when opened, in Unix microseconds; 0 for standard input and text.
  uint64_t mtime_micros() const { return mtime_micros_; }
  const std::string& name() const { return name_; }

 private:
  DocumentReader(std::string name, int fd, bool owns_fd, uint64_t max_bytes);
  Result<size_t> Fill(size_t want);  // reads into block_ up to `want` bytes; 0 at end of input
  Status CheckEnd();
  Status Fail(Status error);

  const std::string name_;
  int fd_ = -1;
  bool owns_fd_ = false;
  bool is_file_ = false;
  std::string_view text_;   // OpenText: what is left to hand out
  const uint64_t max_bytes_;
  uint64_t size_at_open_ = 0;
  uint64_t mtime_micros_ = 0;
  uint64_t mtime_nanos_at_open_ = 0;
  uint64_t offset_ = 0;     // bytes returned before the current block
  uint64_t read_ = 0;       // bytes read from the input
  std::string block_;
  std::string carry_;       // an incomplete code point at the end of the last block
  std::string head_;
  format::Xxh3Stream hash_;
  bool started_ = false;
  bool at_end_ = false;
  Status failed_;
};

}  // namespace roxi::ingest
