// VecModelReader: streams a word-embedding model in the plain-text word2vec / fastText ".vec"
// format, one word at a time, without holding the file in memory:
//
//   count dim                  optional header line: two whole numbers
//   word v1 v2 ... vdim        one line per word, fields separated by spaces or tabs
//
// fastText writes a trailing space on each line, Windows tools a CR: both are accepted. Without
// the header line (GloVe's .txt files) the dimension is taken from the first line. Every line
// must have exactly `dim` numbers, each finite and within binary16's range (|v| <= 65504), and a
// header's count must match the lines that follow.
//
// Thread-safety: a reader is used by one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "format/static_model_cache.h"
#include "format/status.h"

namespace roxi::embedders {

class VecModelReader {
 public:
  // Opens `path` and reads its first line. IOError (NotFound) naming the path if it cannot be
  // read; InvalidArgument "<path> line 1: ..." if the first line is neither a header nor a word
  // line, or the dimension is outside 1..16384.
  static Result<std::unique_ptr<VecModelReader>> Open(const std::string& path);
  ~VecModelReader();
  VecModelReader(const VecModelReader&) = delete;
  VecModelReader& operator=(const VecModelReader&) = delete;

  uint32_t dim() const { return dim_; }
  // The header's word count, if the file has a header.
  std::optional<uint64_t> declared_count() const { return declared_count_; }

  // Reads the next word line: *word (valid until the next call) and dim() floats into *row.
  // Returns false at the end of the file. InvalidArgument "<path> line <n>: <problem>" for a bad
  // line, or at the end if a header's count does not match; IOError if reading fails.
  Result<bool> Next(std::string_view* word, std::vector<float>* row);

  // Word lines read so far.
  uint64_t words_read() const { return words_read_; }
  // XXH3-64 of every byte read so far: the file's content hash once Next has returned false.
  uint64_t Hash() const { return hash_.Digest(); }

 private:
  VecModelReader(std::string path, int fd);
  // The next line without its line end; false at the end of the file.
  Result<bool> ReadLine(std::string_view* line);
  // Parses a word line into *word and *row. `line` must stay valid while *word is used.
  Status ParseWordLine(std::string_view line, std::string_view* word, std::vector<float>* row);
  Status LineError(const std::string& problem) const;

  const std::string path_;
  const int fd_;
  std::string buffer_;
  size_t begin_ = 0;  // unread bytes are buffer_[begin_, end_)
  size_t end_ = 0;
  bool eof_ = false;
  uint64_t line_number_ = 0;
  uint64_t words_read_ = 0;
  uint32_t dim_ = 0;
  std::optional<uint64_t> declared_count_;
  std::optional<std::string> pending_;  // a headerless file's first line, not yet returned
  std::string first_line_;              // ... and once returned
  format::StaticModelCacheChecksum hash_;
};

}  // namespace roxi::embedders
