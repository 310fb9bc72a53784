#include "src/embedders/vec_model_reader.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>

namespace roxi::embedders {

namespace {

constexpr size_t kBufferBytes = size_t{1} << 20;
// The longest line accepted: 16384 numbers of 20 characters and a long word fit easily.
constexpr size_t kMaxLineBytes = size_t{1} << 22;
constexpr float kMaxHalf = 65504.0f;

bool IsSeparator(char c) { return c == ' ' || c == '\t'; }

// Splits off the next field of *line.
std::string_view NextField(std::string_view* line) {
  size_t start = 0;
  while (start < line->size() && IsSeparator((*line)[start])) ++start;
  size_t end = start;
  while (end < line->size() && !IsSeparator((*line)[end])) ++end;
  const std::string_view field = line->substr(start, end - start);
  line->remove_prefix(end);
  return field;
}

bool ParseWhole(std::string_view s, uint64_t* value) {
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *value);
  return ec == std::errc() && end == s.data() + s.size() && !s.empty();
}

size_t CountFields(std::string_view line) {
  size_t n = 0;
  while (!NextField(&line).empty()) ++n;
  return n;
}

}  // namespace

VecModelReader::VecModelReader(std::string path, int fd) : path_(std::move(path)), fd_(fd) {
  buffer_.resize(kBufferBytes);
}

VecModelReader::~VecModelReader() { ::close(fd_); }

Status VecModelReader::LineError(const std::string& problem) const {
  return Status::InvalidArgument(path_ + " line " + std::to_string(line_number_), problem);
}

Result<std::unique_ptr<VecModelReader>> VecModelReader::Open(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int error = errno;
    const std::string detail = std::string("cannot open: ") + std::strerror(error);
    return error == ENOENT ? Status::NotFound(path, detail) : Status::IOError(path, detail);
  }
  std::unique_ptr<VecModelReader> reader(new VecModelReader(path, fd));
  std::string_view first;
  ROXI_ASSIGN_OR_RETURN(bool any, reader->ReadLine(&first));
  if (!any) return Status::InvalidArgument(path, "empty file, not a .vec model");
  std::string_view rest = first;
  const std::string_view a = NextField(&rest);
  const std::string_view b = NextField(&rest);
  uint64_t count = 0, dim = 0;
  if (NextField(&rest).empty() && ParseWhole(a, &count) && ParseWhole(b, &dim)) {
    reader->declared_count_ = count;
  } else {
    dim = CountFields(first);
    if (dim < 2) return reader->LineError("neither a \"count dim\" header nor a word and numbers");
    dim -= 1;
    reader->pending_ = std::string(first);
  }
  if (dim == 0 || dim > format::kMaxStaticModelDim) {
    return reader->LineError("dimension " + std::to_string(dim) + " is outside 1.." +
                             std::to_string(format::kMaxStaticModelDim));
  }
  reader->dim_ = static_cast<uint32_t>(dim);
  return reader;
}

Result<bool> VecModelReader::ReadLine(std::string_view* line) {
  for (;;) {
    const char* start = buffer_.data() + begin_;
    const void* newline = std::memchr(start, '\n', end_ - begin_);
    if (newline != nullptr || (eof_ && end_ > begin_)) {
      const size_t length = newline != nullptr
                                ? static_cast<size_t>(static_cast<const char*>(newline) - start)
                                : end_ - begin_;
      *line = std::string_view(start, length);
      begin_ += length + (newline != nullptr ? 1 : 0);
      if (line->ends_with('\r')) line->remove_suffix(1);
      ++line_number_;
      return true;
    }
    if (eof_) return false;
    // Keep the partial line, make room, read more.
    if (begin_ > 0) {
      std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    }
    if (end_ == buffer_.size()) {
      if (buffer_.size() >= kMaxLineBytes) {
        ++line_number_;
        return LineError("longer than " + std::to_string(kMaxLineBytes) + " bytes");
      }
      buffer_.resize(buffer_.size() * 2);
    }
    const ssize_t n = ::read(fd_, buffer_.data() + end_, buffer_.size() - end_);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::IOError(path_, std::string("read: ") + std::strerror(errno));
    }
    if (n == 0) {
      eof_ = true;
      continue;
    }
    hash_.Update(std::string_view(buffer_.data() + end_, static_cast<size_t>(n)));
    end_ += static_cast<size_t>(n);
  }
}

Status VecModelReader::ParseWordLine(std::string_view line, std::string_view* word,
                                     std::vector<float>* row) {
  *word = NextField(&line);
  if (word->empty()) return LineError("no word");
  row->resize(dim_);
  for (uint32_t d = 0; d < dim_; ++d) {
    const std::string_view field = NextField(&line);
    if (field.empty()) {
      return LineError("has " + std::to_string(d) + " numbers, expected " + std::to_string(dim_));
    }
    float value = 0;
    const auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), value);
    if (ec != std::errc() || end != field.data() + field.size() || !std::isfinite(value) ||
        std::fabs(value) > kMaxHalf) {
      return LineError("number " + std::to_string(d + 1) + " \"" +
                       std::string(field.substr(0, 32)) + "\" is not a finite number within " +
                       "+-65504");
    }
    (*row)[d] = value;
  }
  if (!NextField(&line).empty()) {
    return LineError("has more than the " + std::to_string(dim_) + " numbers expected");
  }
  return Status::OK();
}

Result<bool> VecModelReader::Next(std::string_view* word, std::vector<float>* row) {
  if (pending_) {
    // A headerless file's first line: *word points into first_line_, which lives on.
    first_line_ = std::move(*pending_);
    pending_.reset();
    ROXI_RETURN_IF_ERROR(ParseWordLine(first_line_, word, row));
    ++words_read_;
    return true;
  }
  std::string_view line;
  for (;;) {
    ROXI_ASSIGN_OR_RETURN(bool any, ReadLine(&line));
    if (!any) {
      if (declared_count_ && *declared_count_ != words_read_) {
        return Status::InvalidArgument(path_, "header says " + std::to_string(*declared_count_) +
                                                  " words, the file has " +
                                                  std::to_string(words_read_));
      }
      return false;
    }
    if (line.find_first_not_of(" \t") != std::string_view::npos) break;  // skip blank lines
  }
  ROXI_RETURN_IF_ERROR(ParseWordLine(line, word, row));
  ++words_read_;
  return true;
}

}  // namespace roxi::embedders
