#include "src/ingest/document_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "src/text/utf8.h"

namespace roxi::ingest {

namespace {

uint64_t MtimeNanos(const struct stat& st) {
  return static_cast<uint64_t>(st.st_mtim.tv_sec) * 1000000000u +
         static_cast<uint64_t>(st.st_mtim.tv_nsec);
}

// Where a trailing code point that the bytes so far cut short begins, or text.size() when the
// text ends on a boundary (an ill-formed tail is left for validation to report).
size_t IncompleteTailStart(std::string_view text) {
  const size_t n = text.size();
  for (size_t back = 1; back <= std::min<size_t>(n, text::kMaxUtf8SequenceBytes); ++back) {
    const auto lead = static_cast<uint8_t>(text[n - back]);
    if (text::IsUtf8Continuation(static_cast<char>(lead))) continue;
    const size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    return want > back ? n - back : n;
  }
  return n;
}

std::string Over(uint64_t size, uint64_t limit) {
  return std::to_string(size) + " bytes, over the limit of " + std::to_string(limit) +
         " bytes per document (--max-document-size)";
}

}  // namespace

DocumentReader::DocumentReader(std::string name, int fd, bool owns_fd, uint64_t max_bytes)
    : name_(std::move(name)), fd_(fd), owns_fd_(owns_fd), max_bytes_(max_bytes) {}

DocumentReader::~DocumentReader() {
  if (owns_fd_ && fd_ >= 0) ::close(fd_);
}

Result<std::unique_ptr<DocumentReader>> DocumentReader::OpenFile(const std::string& path,
                                                                 uint64_t max_bytes) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    if (err == ENOENT) return Status::NotFound("input " + path, "no such file or directory");
    return Status::IOError("input " + path, std::strerror(err));
  }
  std::unique_ptr<DocumentReader> reader(new DocumentReader(path, fd, true, max_bytes));
  struct stat st;
  if (::fstat(fd, &st) != 0) return Status::IOError("input " + path, std::strerror(errno));
  if (!S_ISREG(st.st_mode)) return Status::InvalidArgument("input " + path, "not a regular file");
  const auto size = static_cast<uint64_t>(st.st_size);
  if (size > max_bytes) return Status::InvalidArgument("input " + path, Over(size, max_bytes));
  reader->is_file_ = true;
  reader->size_at_open_ = size;
  reader->mtime_nanos_at_open_ = MtimeNanos(st);
  reader->mtime_micros_ = reader->mtime_nanos_at_open_ / 1000u;
  // why: only a hint that the file is read once from start to end.
  (void)::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  return reader;
}

std::unique_ptr<DocumentReader> DocumentReader::OpenStdin(uint64_t max_bytes) {
  return std::unique_ptr<DocumentReader>(new DocumentReader("-", STDIN_FILENO, false, max_bytes));
}

std::unique_ptr<DocumentReader> DocumentReader::OpenText(std::string name, std::string_view content,
                                                         uint64_t max_bytes) {
  std::unique_ptr<DocumentReader> reader(new DocumentReader(std::move(name), -1, false, max_bytes));
  reader->text_ = content;
  return reader;
}

Status DocumentReader::Fail(Status error) {
  failed_ = error;
  return error;
}

Result<size_t> DocumentReader::Fill(size_t want) {
  const size_t start = block_.size();
  block_.resize(start + want);
  size_t got = 0;
  if (fd_ < 0) {
    got = std::min(want, text_.size());
    std::memcpy(block_.data() + start, text_.data(), got);
    text_.remove_prefix(got);
  } else {
    while (got < want) {
      const ssize_t n = ::read(fd_, block_.data() + start + got, want - got);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        block_.resize(start);
        return Status::IOError("input " + name_, std::string("read failed at byte ") +
                                                     std::to_string(read_ + got) + ": " +
                                                     std::strerror(errno));
      }
      if (n == 0) break;
      got += static_cast<size_t>(n);
    }
  }
  block_.resize(start + got);
  read_ += got;
  return got;
}

Status DocumentReader::CheckEnd() {
  if (!is_file_) return Status::OK();
  if (read_ < size_at_open_) {
    return Status::IOError("input " + name_, "changed while being read: it ended at byte " +
                                                 std::to_string(read_) + ", short of the " +
                                                 std::to_string(size_at_open_) +
                                                 " bytes it had when opened");
  }
  struct stat st;
  if (::fstat(fd_, &st) != 0) return Status::IOError("input " + name_, std::strerror(errno));
  if (static_cast<uint64_t>(st.st_size) != size_at_open_ ||
      MtimeNanos(st) != mtime_nanos_at_open_) {
    return Status::IOError("input " + name_,
                           "changed while being read (size " + std::to_string(size_at_open_) +
                               " bytes when opened, " + std::to_string(st.st_size) +
                               " at the end, byte " + std::to_string(read_) + " read last)");
  }
  return Status::OK();
}

Result<std::string_view> DocumentReader::Next() {
  if (!failed_.ok()) return failed_;
  if (at_end_) return std::string_view();
  offset_ += started_ ? block_.size() : 0;
  block_ = std::move(carry_);
  carry_.clear();
  const size_t carried = block_.size();
  // A file is read to one byte past its size, so growth shows even when the size is a multiple of
  // the block.
  size_t want = kBlockBytes;
  if (is_file_ && read_ < size_at_open_) {
    want = static_cast<size_t>(std::min<uint64_t>(kBlockBytes, size_at_open_ - read_));
  } else if (is_file_) {
    want = 1;
  }
  ROXI_ASSIGN_OR_RETURN(size_t got, Fill(want));
  if (!started_ && got > 0 && got < kHeadBytes && !(is_file_ && read_ >= size_at_open_)) {
    // A short first read (a pipe): the binary sniff and Head() want the document's start whole.
    while (block_.size() < kHeadBytes) {
      ROXI_ASSIGN_OR_RETURN(size_t more, Fill(kHeadBytes - block_.size()));
      if (more == 0) break;
      got += more;
    }
  }
  if (is_file_ && read_ > size_at_open_) {
    return Fail(Status::IOError("input " + name_, "changed while being read: it grew past the " +
                                                      std::to_string(size_at_open_) +
                                                      " bytes it had when opened"));
  }
  if (read_ > max_bytes_)
    return Fail(Status::InvalidArgument("input " + name_, Over(read_, max_bytes_)));
  const bool end = got == 0;
  if (end) {
    if (Status s = CheckEnd(); !s.ok()) return Fail(s);
  }
  const size_t usable = end ? block_.size() : IncompleteTailStart(block_);
  if (!end && usable < carried) {
    // Cannot happen with blocks of at least 4 bytes: a carried prefix always completes or fails.
    return Fail(Status::Internal("input " + name_, "block too short to carry a code point"));
  }
  const std::string_view text = std::string_view(block_).substr(0, usable);
  if (!started_ && text::LooksBinary(text)) {
    return Fail(Status::InvalidArgument("input " + name_, "looks like a binary file, not text"));
  }
  if (const size_t bad = text::FirstInvalidUtf8Offset(text); bad != text.size()) {
    return Fail(Status::InvalidArgument("input " + name_,
                                        "invalid utf-8 at byte " + std::to_string(offset_ + bad)));
  }
  carry_.assign(block_, usable, std::string::npos);
  block_.resize(usable);
  if (!started_) head_.assign(block_, 0, std::min(block_.size(), kHeadBytes));
  started_ = true;
  hash_.Update(block_);
  if (end) at_end_ = true;
  return std::string_view(block_);
}

}  // namespace roxi::ingest
