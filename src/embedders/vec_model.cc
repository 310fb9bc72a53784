#include "src/embedders/vec_model.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "format/coding.h"
#include "format/float16.h"
#include "format/hash.h"
#include "src/common/log.h"
#include "src/embedders/vec_model_cache_builder.h"
#include "src/text/unicode.h"
#include "src/text/utf8.h"

namespace roxi::embedders {

namespace {

// Bump when the builder's code changes what it writes for the same model file.
constexpr std::string_view kBuilderVersion = "vec-cache-builder-v1";

Status FileError(const std::string& path, std::string_view what, int error) {
  const std::string detail = std::string(what) + ": " + std::strerror(error);
  return error == ENOENT ? Status::NotFound(path, detail) : Status::IOError(path, detail);
}

bool IsZero(const char* halfs, uint32_t dim) {
  for (uint32_t d = 0; d < dim; ++d) {
    // +0 and -0 are the only halves whose bits other than the sign are all zero.
    if ((format::DecodeFixed16(halfs + 2 * d) & 0x7fff) != 0) return false;
  }
  return true;
}

}  // namespace

uint64_t VecBucketCount(uint32_t dim) {
  uint64_t buckets = 65536;
  while (buckets > 1 && buckets * dim > (uint64_t{1} << 24)) buckets /= 2;
  return buckets;
}

uint64_t FinalBucketCount(uint32_t dim, uint64_t words) {
  const uint64_t most = VecBucketCount(dim);
  uint64_t wanted = 256;
  while (wanted < 4 * words && wanted < most) wanted *= 2;
  return std::min(wanted, most);
}

void NgramBuckets(std::string_view word, uint64_t bucket_count, std::vector<uint64_t>* buckets) {
  std::string framed = "<";
  std::vector<size_t> starts = {0};  // byte offset of each code point of `framed`
  size_t pos = 0;
  for (size_t cps = 0; pos < word.size() && cps < kVecNgramMaxCodePoints; ++cps) {
    starts.push_back(framed.size());
    const size_t begin = pos;
    text::DecodeUtf8(word, &pos);
    framed.append(word.substr(begin, pos - begin));
  }
  starts.push_back(framed.size());
  framed.push_back('>');
  starts.push_back(framed.size());  // one past the end
  const size_t code_points = starts.size() - 1;
  for (size_t n = kVecNgramMin; n <= kVecNgramMax; ++n) {
    for (size_t i = 0; i + n <= code_points; ++i) {
      const std::string_view gram =
          std::string_view(framed).substr(starts[i], starts[i + n] - starts[i]);
      buckets->push_back(format::Xxh3(gram) % bucket_count);
    }
  }
}

uint64_t VecModelBuilderFingerprint() {
  const std::string settings =
      std::string(kBuilderVersion) + ";ngrams=" + std::to_string(kVecNgramMin) + ".." +
      std::to_string(kVecNgramMax) + ";max_cp=" + std::to_string(kVecNgramMaxCodePoints) +
      ";buckets=pow2(2^24/dim)<=65536,fold>=4w>=256;hash=xxh3;keep=single-token,first;unicode=" +
      std::to_string(text::UnicodeTablesFingerprint());
  return format::Xxh3(settings);
}

std::string VecModelCachePath(const std::string& vec_path) { return vec_path + ".roxi-cache"; }

Result<FileStamp> StampOf(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return FileError(path, "stat", errno);
  if (!S_ISREG(st.st_mode)) return Status::InvalidArgument(path, "not a regular file");
  return FileStamp{static_cast<uint64_t>(st.st_size),
                   static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec};
}

Result<uint64_t> HashFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return FileError(path, "open", errno);
  format::StaticModelCacheChecksum hash;
  std::string buffer(size_t{1} << 20, '\0');
  for (;;) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int error = errno;
      ::close(fd);
      return FileError(path, "read", error);
    }
    if (n == 0) break;
    hash.Update(std::string_view(buffer.data(), static_cast<size_t>(n)));
  }
  ::close(fd);
  return hash.Digest();
}

Result<std::unique_ptr<VecModel>> VecModel::Open(const std::string& vec_path,
                                                 VecModelOpenReport* report) {
  VecModelOpenReport local;
  if (report == nullptr) report = &local;
  *report = VecModelOpenReport{};
  ROXI_ASSIGN_OR_RETURN(FileStamp stamp, StampOf(vec_path));
  const std::string cache_path = VecModelCachePath(vec_path);

  // Why the current cache cannot be used; empty if it can.
  std::string reason;
  Result<MappedFile> mapped = MappedFile::Open(cache_path);
  if (!mapped.ok()) {
    if (!mapped.status().IsNotFound()) return mapped.status();
    reason = "missing";
  } else {
    Result<format::StaticModelCacheView> view = format::DecodeStaticModelCache(mapped->bytes());
    if (!view.ok()) {
      reason = std::string(view.status().message());
    } else if (view->header.builder != VecModelBuilderFingerprint()) {
      reason = "built by another version of roxi";
    } else if (view->header.source_size != stamp.size ||
               view->header.source_mtime_ns != stamp.mtime_ns) {
      report->rehashed = true;
      ROXI_ASSIGN_OR_RETURN(uint64_t hash, HashFile(vec_path));
      if (hash != view->header.source_hash) reason = "model file changed";
    }
    if (reason.empty()) {
      const format::StaticModelCacheView v = *view;
      return std::unique_ptr<VecModel>(new VecModel(std::move(mapped).value(), v));
    }
  }

  report->built = true;
  report->reason = reason;
  common::LogInfo("building static model cache",
                  {{"model", vec_path}, {"cache", cache_path}, {"reason", reason}});
  VecCacheBuildReport build;
  ROXI_RETURN_IF_ERROR(BuildVecModelCache(vec_path, cache_path, &build));
  common::LogInfo("static model cache built", {{"cache", cache_path},
                                               {"words", build.words},
                                               {"dropped", build.not_a_token + build.duplicates},
                                               {"bytes", build.cache_bytes}});
  ROXI_ASSIGN_OR_RETURN(MappedFile fresh, MappedFile::Open(cache_path));
  Result<format::StaticModelCacheView> view = format::DecodeStaticModelCache(fresh.bytes());
  if (!view.ok()) return view.status().WithContext("freshly built " + cache_path);
  if (view->header.builder != VecModelBuilderFingerprint()) {
    return Status::Internal(cache_path, "freshly built cache has another builder fingerprint");
  }
  const format::StaticModelCacheView v = *view;
  return std::unique_ptr<VecModel>(new VecModel(std::move(fresh), v));
}

void VecModel::AddWordVector(uint64_t rank, float weight, float* acc) const {
  const char* halfs = view_.VectorBytes(rank);
  for (uint32_t d = 0; d < view_.header.dim; ++d) {
    acc[d] += weight * format::HalfToFloat(format::DecodeFixed16(halfs + 2 * d));
  }
}

bool VecModel::AddSubwordVector(std::string_view word, float weight, float* acc) const {
  const uint64_t bucket_count = view_.header.bucket_count;
  if (bucket_count == 0) return false;
  std::vector<uint64_t> buckets;
  NgramBuckets(word, bucket_count, &buckets);
  const uint32_t dim = view_.header.dim;
  std::vector<float> sum(dim, 0.0f);
  size_t used = 0;
  for (uint64_t b : buckets) {
    const char* halfs = view_.BucketBytes(b);
    if (IsZero(halfs, dim)) continue;  // no model word had this n-gram
    for (uint32_t d = 0; d < dim; ++d) {
      sum[d] += format::HalfToFloat(format::DecodeFixed16(halfs + 2 * d));
    }
    ++used;
  }
  if (used == 0) return false;
  const float scale = weight / static_cast<float>(used);
  for (uint32_t d = 0; d < dim; ++d) acc[d] += scale * sum[d];
  return true;
}

}  // namespace roxi::embedders
