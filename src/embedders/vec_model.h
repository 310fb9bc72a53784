// VecModel: a static word-embedding model, served from its memory-mapped cache (FORMAT.md §9).
//
// Open maps "<model>.roxi-cache", building it first from the .vec model when it is missing,
// unreadable, of another version or builder, or out of date (FORMAT.md §9.5). Lookups then cost a
// binary search over the mapped index and never touch the .vec file.
//
// Words the model lacks fall back on subwords: the mean of the cache's character n-gram buckets
// (3- to 5-grams of "<word>", hashed into FinalBucketCount buckets), each the mean vector of the
// model words sharing that n-gram. fastText's .vec files carry no subword vectors, so these are
// derived by the cache builder; a word none of whose n-grams occurs in the model gets nothing.
//
// Thread-safety: immutable after Open; lookups may run on any number of threads.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "format/static_model_cache.h"
#include "format/status.h"
#include "src/embedders/mapped_file.h"

namespace roxi::embedders {

// Subword settings of the cache builder (they feed VecModelBuilderFingerprint).
inline constexpr uint8_t kVecNgramMin = 3;
inline constexpr uint8_t kVecNgramMax = 5;
inline constexpr size_t kVecNgramMaxCodePoints = 64;  // of a word; the rest has no n-grams

// The most buckets for dimension `dim`: the largest power of two with bucket_count * dim <= 2^24
// (so the builder's float32 sums stay under 64 MiB), at most 65536.
uint64_t VecBucketCount(uint32_t dim);
// The buckets a cache of `words` words gets: VecBucketCount(dim), but no more than the power of two
// at or above 4 * words, and no fewer than 256 (unless VecBucketCount is smaller).
uint64_t FinalBucketCount(uint32_t dim, uint64_t words);

// Appends to *buckets the bucket of every character n-gram (kVecNgramMin..kVecNgramMax code
// points) of "<word>", over the first kVecNgramMaxCodePoints code points of the word.
// REQUIRES: word is valid UTF-8; bucket_count >= 1.
void NgramBuckets(std::string_view word, uint64_t bucket_count, std::vector<uint64_t>* buckets);

// A hash of everything that shapes a cache's contents besides the model file: the tokeniser's
// Unicode tables, the n-gram settings, the bucket rule and the word filters.
uint64_t VecModelBuilderFingerprint();

// The cache file of a model file: "<vec_path>.roxi-cache".
std::string VecModelCachePath(const std::string& vec_path);

struct FileStamp {
  uint64_t size = 0;
  int64_t mtime_ns = 0;
};
// Size and modification time of `path`; NotFound or IOError naming it.
Result<FileStamp> StampOf(const std::string& path);

// XXH3-64 of the bytes of `path`, read in pieces; NotFound or IOError naming it.
Result<uint64_t> HashFile(const std::string& path);

struct VecModelOpenReport {
  bool built = false;     // the cache was (re)built
  bool rehashed = false;  // the model file's stamp changed, so its bytes were hashed
  std::string reason;     // why it was built, e.g. "missing", "model file changed"
};

class VecModel {
 public:
  // Opens the model at `vec_path` (see the class comment). Errors name the file at fault: NotFound
  // or IOError for missing or unreadable files (a cache that cannot be written: its folder must
  // be writable the first time), InvalidArgument for a malformed model, Internal if a freshly
  // built cache does not decode.
  static Result<std::unique_ptr<VecModel>> Open(const std::string& vec_path,
                                                VecModelOpenReport* report = nullptr);

  VecModel(const VecModel&) = delete;
  VecModel& operator=(const VecModel&) = delete;

  uint32_t dim() const { return view_.header.dim; }
  uint64_t word_count() const { return view_.header.word_count; }
  // XXH3-64 of the model file's bytes.
  uint64_t source_hash() const { return view_.header.source_hash; }

  // The rank of a case-folded word (0 = most frequent), or nullopt.
  std::optional<uint64_t> Find(std::string_view word) const { return view_.Find(word); }
  // acc[0, dim) += weight * vector of word `rank`. REQUIRES: rank < word_count().
  void AddWordVector(uint64_t rank, float weight, float* acc) const;
  // acc[0, dim) += weight * the subword vector of `word` (valid UTF-8); false, leaving acc alone,
  // if none of its n-grams occurs in the model.
  bool AddSubwordVector(std::string_view word, float weight, float* acc) const;

 private:
  explicit VecModel(MappedFile file, format::StaticModelCacheView view)
      : file_(std::move(file)), view_(view) {}

  MappedFile file_;
  format::StaticModelCacheView view_;  // views into file_
};

}  // namespace roxi::embedders
