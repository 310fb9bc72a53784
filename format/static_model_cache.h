// The static model cache (FORMAT.md §9): a binary, memory-mappable copy of a word-embedding model
// file (word2vec/fastText .vec text), written once next to that file and mapped on every later
// start. Vectors are IEEE binary16; words are the model's words case-folded the way roxi tokenises
// text, each kept once; a sorted index finds a word by binary search; an optional table of
// character n-gram vectors serves words the model lacks.
//
//   file      := header | vectors | buckets | word_ends | words | sorted | xxh3: fixed64
//   header    := magic: u8[8] = 89 52 58 53 4d 43 0d 0a | version: u8 = 1 | flags: u8 = 0 |
//                min_n: u8 | max_n: u8 | dim: fixed32 | word_count: fixed64 |
//                bucket_count: fixed64 | words_bytes: fixed64 | source_size: fixed64 |
//                source_mtime_ns: fixed64 | source_hash: fixed64 | builder: fixed64   (72 bytes)
//   vectors   := f16[word_count * dim]     row r is the vector of word r (model file order)
//   buckets   := f16[bucket_count * dim]   row b is the vector of n-gram bucket b
//   word_ends := fixed32[word_count]       one past word r's last byte in `words`
//   words     := u8[words_bytes]
//   sorted    := fixed32[word_count]       every rank once, ordered by word bytes, strictly
//   xxh3      := XXH3-64 of every preceding byte
//
// Pure functions: no I/O. Writers that cannot hold a whole file in memory stream it from the
// pieces below (EncodeStaticModelCacheHeader, EncodeStaticModelCacheIndex,
// StaticModelCacheChecksum); EncodeStaticModelCache joins the same pieces for small models.
//
// Thread-safety: pure functions; a StaticModelCacheView is immutable and may be shared; a
// StaticModelCacheChecksum is owned by one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "format/status.h"

namespace roxi::format {

inline constexpr char kStaticModelCacheMagic[8] = {'\x89', 'R', 'X', 'S', 'M', 'C', '\r', '\n'};
inline constexpr uint8_t kStaticModelCacheV1 = 1;
inline constexpr size_t kStaticModelCacheHeaderSize = 72;
// Limits (FORMAT.md §9.3), checked before anything is sized from them.
inline constexpr uint32_t kMaxStaticModelDim = 16384;
inline constexpr uint64_t kMaxStaticModelWords = uint64_t{1} << 27;
inline constexpr uint64_t kMaxStaticModelBuckets = uint64_t{1} << 24;
inline constexpr size_t kMaxStaticModelWordBytes = 255;
inline constexpr uint8_t kMaxStaticModelNgram = 8;

struct StaticModelCacheHeader {
  uint8_t min_n = 0;  // n-gram sizes of the buckets; both 0 when bucket_count is 0
  uint8_t max_n = 0;
  uint32_t dim = 0;
  uint64_t word_count = 0;
  uint64_t bucket_count = 0;
  uint64_t words_bytes = 0;
  uint64_t source_size = 0;     // of the model file the cache was built from
  int64_t source_mtime_ns = 0;  // its modification time, ns since the Unix epoch
  uint64_t source_hash = 0;     // XXH3-64 of its bytes
  uint64_t builder = 0;         // fingerprint of the builder's settings (src/embedders)
};

// A decoded cache: views into the decoded bytes, which must outlive it.
struct StaticModelCacheView {
  StaticModelCacheHeader header;
  std::string_view vectors;    // word_count * dim f16
  std::string_view buckets;    // bucket_count * dim f16
  std::string_view word_ends;  // word_count fixed32
  std::string_view words;
  std::string_view sorted;  // word_count fixed32

  // Word number `rank`. REQUIRES: rank < header.word_count.
  std::string_view Word(uint64_t rank) const;
  // The rank of `word`, or nullopt. O(log word_count).
  std::optional<uint64_t> Find(std::string_view word) const;
  // The dim f16 (2 * dim bytes) of word `rank` / bucket `b`. REQUIRES: in range.
  const char* VectorBytes(uint64_t rank) const { return vectors.data() + rank * header.dim * 2; }
  const char* BucketBytes(uint64_t b) const { return buckets.data() + b * header.dim * 2; }
};

// Checks and maps `file`. In order: Corruption if shorter than a header and checksum or without
// the magic ("not a static model cache"), Corruption on a checksum mismatch, NotSupported for a
// version other than 1, then Corruption naming the field for any other damage (flags, dim or
// counts out of range, sizes not adding up to the file's, a word empty, too long or holding a byte
// below 0x21, word_ends not increasing, `sorted` not strictly ordered or out of range).
// Never reads outside `file`; allocates nothing.
Result<StaticModelCacheView> DecodeStaticModelCache(std::string_view file);

// Appends the 72-byte header (magic and version included).
void EncodeStaticModelCacheHeader(const StaticModelCacheHeader& header, std::string* dst);

// Appends word_ends, words and sorted for `words` in rank order.
// REQUIRES: words distinct, each 1..kMaxStaticModelWordBytes bytes, none below 0x21, total below
// 2^32 bytes.
void EncodeStaticModelCacheIndex(std::span<const std::string_view> words, std::string* dst);

// XXH3-64 over bytes fed in pieces, equal to format::Xxh3 of their concatenation.
class StaticModelCacheChecksum {
 public:
  StaticModelCacheChecksum();
  ~StaticModelCacheChecksum();
  StaticModelCacheChecksum(const StaticModelCacheChecksum&) = delete;
  StaticModelCacheChecksum& operator=(const StaticModelCacheChecksum&) = delete;
  void Update(std::string_view bytes);
  uint64_t Digest() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// A whole cache held in memory, for small models, tests and the fuzz target.
struct StaticModelCache {
  StaticModelCacheHeader header;   // word_count, bucket_count and words_bytes are derived
  std::vector<std::string> words;  // rank order
  std::vector<uint16_t> vectors;   // words.size() * dim
  std::vector<uint16_t> buckets;   // a multiple of dim
};

// Appends the file for `cache`. REQUIRES: as EncodeStaticModelCacheIndex for the words; sizes
// consistent with header.dim; the header's fields within the decoder's limits.
void EncodeStaticModelCache(const StaticModelCache& cache, std::string* dst);

// The owned form of a view (for round trips in tests).
StaticModelCache CopyStaticModelCache(const StaticModelCacheView& view);

}  // namespace roxi::format
