#include "src/embedders/vec_model_cache_builder.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <unordered_set>
#include <vector>

#include "format/coding.h"
#include "format/float16.h"
#include "format/static_model_cache.h"
#include "src/embedders/vec_model.h"
#include "src/embedders/vec_model_reader.h"
#include "src/text/word_tokenizer.h"

namespace roxi::embedders {

namespace {

Status Errno(const std::string& path, std::string_view what, int error) {
  const std::string detail = std::string(what) + ": " + std::strerror(error);
  return error == ENOENT ? Status::NotFound(path, detail) : Status::IOError(path, detail);
}

// The temporary cache file: buffered appends, a positioned write for the header, fsync. Removes
// the file on destruction unless Commit renamed it.
class TempFile {
 public:
  TempFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) ::unlink(path_.c_str());
  }

  static Result<std::unique_ptr<TempFile>> Create(const std::string& path) {
    ::unlink(path.c_str());  // a leftover of a crashed build by a process with our pid
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return Errno(path, "create", errno);
    return std::make_unique<TempFile>(path, fd);
  }

  Status Append(std::string_view bytes) {
    buffer_.append(bytes);
    written_ += bytes.size();
    return buffer_.size() >= (size_t{1} << 20) ? Flush() : Status::OK();
  }
  uint64_t size() const { return written_; }

  Status Flush() {
    ROXI_RETURN_IF_ERROR(WriteAt(buffer_, flushed_));
    flushed_ += buffer_.size();
    buffer_.clear();
    return Status::OK();
  }

  Status WriteAt(std::string_view bytes, uint64_t offset) {
    while (!bytes.empty()) {
      const ssize_t n = ::pwrite(fd_, bytes.data(), bytes.size(), static_cast<off_t>(offset));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return Errno(path_, "write", errno);
      bytes.remove_prefix(static_cast<size_t>(n));
      offset += static_cast<uint64_t>(n);
    }
    return Status::OK();
  }

  // XXH3 of the first `n` bytes as written. REQUIRES: flushed.
  Result<uint64_t> Checksum(uint64_t n) {
    format::StaticModelCacheChecksum hash;
    std::string chunk(size_t{1} << 20, '\0');
    for (uint64_t at = 0; at < n;) {
      const size_t want = static_cast<size_t>(std::min<uint64_t>(chunk.size(), n - at));
      const ssize_t got = ::pread(fd_, chunk.data(), want, static_cast<off_t>(at));
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) return Errno(path_, "read back", got < 0 ? errno : EIO);
      hash.Update(std::string_view(chunk.data(), static_cast<size_t>(got)));
      at += static_cast<uint64_t>(got);
    }
    return hash.Digest();
  }

  // fsync, close, rename over `dest`, fsync the directory.
  Status Commit(const std::string& dest) {
    ROXI_RETURN_IF_ERROR(Flush());
    if (::fsync(fd_) != 0) return Errno(path_, "fsync", errno);
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) return Errno(path_, "close", errno);
    if (::rename(path_.c_str(), dest.c_str()) != 0) return Errno(dest, "rename", errno);
    committed_ = true;
    std::string dir = std::filesystem::path(dest).parent_path().string();
    if (dir.empty()) dir = ".";
    const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd < 0) return Errno(dir, "open directory", errno);
    const int rc = ::fsync(dir_fd);
    const int error = errno;
    ::close(dir_fd);
    if (rc != 0) return Errno(dir, "fsync directory", error);
    return Status::OK();
  }

 private:
  const std::string path_;
  int fd_;
  std::string buffer_;
  uint64_t flushed_ = 0;
  uint64_t written_ = 0;
  bool committed_ = false;
};

// Sums of the vectors of every n-gram bucket and how many words fed each.
struct BucketSums {
  BucketSums(uint64_t count, uint32_t dim) : dim(dim), sums(count * dim, 0.0f), words(count, 0) {}
  void Add(std::string_view word, const std::vector<float>& row) {
    grams.clear();
    NgramBuckets(word, words.size(), &grams);
    for (uint64_t b : grams) {
      float* sum = sums.data() + b * dim;
      for (uint32_t d = 0; d < dim; ++d) sum[d] += row[d];
      ++words[b];
    }
  }
  uint32_t dim;
  std::vector<float> sums;
  std::vector<uint32_t> words;
  std::vector<uint64_t> grams;
};

void AppendHalfs(const float* values, size_t n, std::string* out) {
  for (size_t i = 0; i < n; ++i) format::PutFixed16(out, format::FloatToHalf(values[i]));
}

}  // namespace

Status BuildVecModelCache(const std::string& vec_path, const std::string& cache_path,
                          VecCacheBuildReport* report) {
  *report = VecCacheBuildReport{};
  ROXI_ASSIGN_OR_RETURN(FileStamp before, StampOf(vec_path));
  ROXI_ASSIGN_OR_RETURN(std::unique_ptr<VecModelReader> reader, VecModelReader::Open(vec_path));
  const uint32_t dim = reader->dim();
  ROXI_ASSIGN_OR_RETURN(std::unique_ptr<TempFile> out,
                        TempFile::Create(cache_path + ".tmp." + std::to_string(::getpid())));
  ROXI_RETURN_IF_ERROR(out->Append(std::string(format::kStaticModelCacheHeaderSize, '\0')));

  // Invariant: word r of `blob` (ending at ends[r]) is the folded word of vector row r.
  std::string blob;
  std::vector<uint64_t> ends;
  std::unordered_set<std::string> seen;
  const uint64_t max_buckets = VecBucketCount(dim);
  BucketSums buckets(max_buckets, dim);
  text::WordList tokens;
  std::string_view word;
  std::vector<float> row;
  std::string halfs;
  for (;;) {
    ROXI_ASSIGN_OR_RETURN(bool more, reader->Next(&word, &row));
    if (!more) break;
    ++report->lines;
    text::TokenizeWords(word, &tokens);
    if (tokens.size() != 1 || tokens[0].size() > format::kMaxStaticModelWordBytes) {
      ++report->not_a_token;
      continue;
    }
    const std::string_view folded = tokens[0];
    if (!seen.emplace(folded).second) {
      ++report->duplicates;
      continue;
    }
    if (ends.size() >= format::kMaxStaticModelWords ||
        blob.size() + folded.size() > 0xFFFFFFFFULL) {
      return Status::InvalidArgument(vec_path, "more words than a static model may hold");
    }
    blob.append(folded);
    ends.push_back(blob.size());
    halfs.clear();
    AppendHalfs(row.data(), dim, &halfs);
    ROXI_RETURN_IF_ERROR(out->Append(halfs));
    buckets.Add(folded, row);
  }
  report->words = ends.size();
  if (ends.empty()) {
    return Status::InvalidArgument(vec_path,
                                   "no usable word: every word is punctuation, a "
                                   "phrase or a repeat");
  }
  seen.clear();

  // A small model needs few buckets: fold the table in halves (bucket = hash mod a power of two,
  // so bucket b of the half-size table sums buckets b and b + half) down to FinalBucketCount.
  uint64_t bucket_count = max_buckets;
  const uint64_t wanted = FinalBucketCount(dim, ends.size());
  while (bucket_count > wanted) {
    const uint64_t half = bucket_count / 2;
    for (uint64_t b = 0; b < half; ++b) {
      for (uint32_t d = 0; d < dim; ++d) {
        buckets.sums[b * dim + d] += buckets.sums[(b + half) * dim + d];
      }
      buckets.words[b] += buckets.words[b + half];
    }
    bucket_count = half;
  }
  std::vector<float> mean(dim);
  for (uint64_t b = 0; b < bucket_count; ++b) {
    const uint32_t n = buckets.words[b];
    for (uint32_t d = 0; d < dim; ++d) {
      mean[d] = n == 0 ? 0.0f : buckets.sums[b * dim + d] / static_cast<float>(n);
    }
    halfs.clear();
    AppendHalfs(mean.data(), dim, &halfs);
    ROXI_RETURN_IF_ERROR(out->Append(halfs));
  }

  std::vector<std::string_view> words;
  words.reserve(ends.size());
  for (size_t r = 0; r < ends.size(); ++r) {
    const uint64_t begin = r == 0 ? 0 : ends[r - 1];
    words.push_back(std::string_view(blob).substr(begin, ends[r] - begin));
  }
  std::string index;
  format::EncodeStaticModelCacheIndex(words, &index);
  ROXI_RETURN_IF_ERROR(out->Append(index));

  ROXI_ASSIGN_OR_RETURN(FileStamp after, StampOf(vec_path));
  if (after.size != before.size || after.mtime_ns != before.mtime_ns) {
    return Status::InvalidArgument(vec_path, "changed while the cache was being built; try again");
  }
  format::StaticModelCacheHeader header;
  header.min_n = kVecNgramMin;
  header.max_n = kVecNgramMax;
  header.dim = dim;
  header.word_count = ends.size();
  header.bucket_count = bucket_count;
  header.words_bytes = blob.size();
  header.source_size = before.size;
  header.source_mtime_ns = before.mtime_ns;
  header.source_hash = reader->Hash();
  header.builder = VecModelBuilderFingerprint();
  std::string header_bytes;
  format::EncodeStaticModelCacheHeader(header, &header_bytes);
  ROXI_RETURN_IF_ERROR(out->Flush());
  ROXI_RETURN_IF_ERROR(out->WriteAt(header_bytes, 0));
  ROXI_ASSIGN_OR_RETURN(uint64_t checksum, out->Checksum(out->size()));
  std::string trailer;
  format::PutFixed64(&trailer, checksum);
  ROXI_RETURN_IF_ERROR(out->Append(trailer));
  report->cache_bytes = out->size();
  return out->Commit(cache_path);
}

}  // namespace roxi::embedders
