#include "format/static_model_cache.h"

#include <xxhash.h>

#include <algorithm>
#include <cstring>
#include <numeric>

#include "format/coding.h"
#include "format/dcheck.h"
#include "format/hash.h"

namespace roxi::format {

namespace {

constexpr std::string_view kWhat = "static model cache";

Status Bad(std::string_view detail) { return Status::Corruption(kWhat, detail); }

bool WordBytesOk(std::string_view word) {
  if (word.empty() || word.size() > kMaxStaticModelWordBytes) return false;
  return std::all_of(word.begin(), word.end(),
                     [](char c) { return static_cast<unsigned char>(c) >= 0x21; });
}

// Fields of a header whose magic and version were checked.
Status CheckHeader(const StaticModelCacheHeader& h, uint8_t flags) {
  if (flags != 0) return Bad("flags " + std::to_string(flags) + " (want 0)");
  if (h.dim == 0 || h.dim > kMaxStaticModelDim) {
    return Bad("dim " + std::to_string(h.dim) + " outside 1.." +
               std::to_string(kMaxStaticModelDim));
  }
  if (h.word_count > kMaxStaticModelWords) {
    return Bad("word_count " + std::to_string(h.word_count) + " above the limit");
  }
  if (h.bucket_count > kMaxStaticModelBuckets) {
    return Bad("bucket_count " + std::to_string(h.bucket_count) + " above the limit");
  }
  const bool no_ngrams = h.min_n == 0 && h.max_n == 0;
  const bool ngrams_ok = h.min_n >= 1 && h.min_n <= h.max_n && h.max_n <= kMaxStaticModelNgram;
  if ((h.bucket_count == 0 && !no_ngrams) || (h.bucket_count > 0 && !ngrams_ok)) {
    return Bad("n-gram sizes " + std::to_string(h.min_n) + ".." + std::to_string(h.max_n) +
               " do not fit bucket_count " + std::to_string(h.bucket_count));
  }
  if (h.words_bytes > 0xFFFFFFFFULL) return Bad("words_bytes above 2^32 - 1");
  return Status::OK();
}

}  // namespace

struct StaticModelCacheChecksum::State {
  XXH3_state_t xxh;
};

StaticModelCacheChecksum::StaticModelCacheChecksum() : state_(std::make_unique<State>()) {
  XXH3_64bits_reset(&state_->xxh);
}
StaticModelCacheChecksum::~StaticModelCacheChecksum() = default;

void StaticModelCacheChecksum::Update(std::string_view bytes) {
  XXH3_64bits_update(&state_->xxh, bytes.data(), bytes.size());
}

uint64_t StaticModelCacheChecksum::Digest() const { return XXH3_64bits_digest(&state_->xxh); }

std::string_view StaticModelCacheView::Word(uint64_t rank) const {
  const uint32_t begin = rank == 0 ? 0 : DecodeFixed32(word_ends.data() + (rank - 1) * 4);
  const uint32_t end = DecodeFixed32(word_ends.data() + rank * 4);
  return words.substr(begin, end - begin);
}

std::optional<uint64_t> StaticModelCacheView::Find(std::string_view word) const {
  uint64_t low = 0;
  uint64_t high = header.word_count;
  while (low < high) {
    const uint64_t mid = low + (high - low) / 2;
    const uint32_t rank = DecodeFixed32(sorted.data() + mid * 4);
    const int c = Word(rank).compare(word);
    if (c == 0) return rank;
    if (c < 0) {
      low = mid + 1;
    } else {
      high = mid;
    }
  }
  return std::nullopt;
}

Result<StaticModelCacheView> DecodeStaticModelCache(std::string_view file) {
  if (file.size() < kStaticModelCacheHeaderSize + kXxh3Size) {
    return Bad("too short (" + std::to_string(file.size()) + " bytes)");
  }
  if (std::memcmp(file.data(), kStaticModelCacheMagic, sizeof kStaticModelCacheMagic) != 0) {
    return Bad("not a static model cache (bad magic)");
  }
  const std::string_view body = file.substr(0, file.size() - kXxh3Size);
  if (DecodeFixed64(file.data() + body.size()) != Xxh3(body)) return Bad("checksum mismatch");
  const auto version = static_cast<uint8_t>(file[8]);
  if (version != kStaticModelCacheV1) {
    return Status::NotSupported(kWhat, "version " + std::to_string(version) + " (this roxi reads " +
                                           std::to_string(kStaticModelCacheV1) + ")");
  }
  StaticModelCacheView v;
  StaticModelCacheHeader& h = v.header;
  const char* p = file.data();
  const auto flags = static_cast<uint8_t>(p[9]);
  h.min_n = static_cast<uint8_t>(p[10]);
  h.max_n = static_cast<uint8_t>(p[11]);
  h.dim = DecodeFixed32(p + 12);
  h.word_count = DecodeFixed64(p + 16);
  h.bucket_count = DecodeFixed64(p + 24);
  h.words_bytes = DecodeFixed64(p + 32);
  h.source_size = DecodeFixed64(p + 40);
  h.source_mtime_ns = static_cast<int64_t>(DecodeFixed64(p + 48));
  h.source_hash = DecodeFixed64(p + 56);
  h.builder = DecodeFixed64(p + 64);
  ROXI_RETURN_IF_ERROR(CheckHeader(h, flags));

  // Within the limits above, none of these products or sums can overflow 64 bits.
  const uint64_t vectors_bytes = h.word_count * h.dim * 2;
  const uint64_t buckets_bytes = h.bucket_count * h.dim * 2;
  const uint64_t index_bytes = h.word_count * 4;
  const uint64_t want = kStaticModelCacheHeaderSize + vectors_bytes + buckets_bytes + index_bytes +
                        h.words_bytes + index_bytes + kXxh3Size;
  if (want != file.size()) {
    return Bad("sections add up to " + std::to_string(want) + " bytes, file has " +
               std::to_string(file.size()));
  }
  size_t at = kStaticModelCacheHeaderSize;
  const auto take = [&file, &at](uint64_t n) {
    std::string_view s = file.substr(at, static_cast<size_t>(n));
    at += static_cast<size_t>(n);
    return s;
  };
  v.vectors = take(vectors_bytes);
  v.buckets = take(buckets_bytes);
  v.word_ends = take(index_bytes);
  v.words = take(h.words_bytes);
  v.sorted = take(index_bytes);

  uint32_t previous_end = 0;
  for (uint64_t r = 0; r < h.word_count; ++r) {
    const uint32_t end = DecodeFixed32(v.word_ends.data() + r * 4);
    if (end <= previous_end) {  // also catches an empty first word: previous_end starts at 0
      return Bad("word_ends[" + std::to_string(r) + "] does not increase");
    }
    if (end > h.words_bytes) return Bad("word_ends[" + std::to_string(r) + "] past the words");
    if (!WordBytesOk(v.words.substr(previous_end, end - previous_end))) {
      return Bad("word " + std::to_string(r) + " is empty, too long or holds a byte below 0x21");
    }
    previous_end = end;
  }
  if (previous_end != h.words_bytes) return Bad("words has bytes past the last word");

  std::string_view previous_word;
  for (uint64_t i = 0; i < h.word_count; ++i) {
    const uint32_t rank = DecodeFixed32(v.sorted.data() + i * 4);
    if (rank >= h.word_count) return Bad("sorted[" + std::to_string(i) + "] out of range");
    const std::string_view word = v.Word(rank);
    // Strictly increasing words over word_count entries: every rank appears exactly once.
    if (i > 0 && !(previous_word < word)) {
      return Bad("sorted[" + std::to_string(i) + "] is not in strictly increasing word order");
    }
    previous_word = word;
  }
  return v;
}

void EncodeStaticModelCacheHeader(const StaticModelCacheHeader& h, std::string* dst) {
  dst->append(kStaticModelCacheMagic, sizeof kStaticModelCacheMagic);
  dst->push_back(static_cast<char>(kStaticModelCacheV1));
  dst->push_back(0);  // flags
  dst->push_back(static_cast<char>(h.min_n));
  dst->push_back(static_cast<char>(h.max_n));
  PutFixed32(dst, h.dim);
  PutFixed64(dst, h.word_count);
  PutFixed64(dst, h.bucket_count);
  PutFixed64(dst, h.words_bytes);
  PutFixed64(dst, h.source_size);
  PutFixed64(dst, static_cast<uint64_t>(h.source_mtime_ns));
  PutFixed64(dst, h.source_hash);
  PutFixed64(dst, h.builder);
}

void EncodeStaticModelCacheIndex(std::span<const std::string_view> words, std::string* dst) {
  uint64_t end = 0;
  for (std::string_view w : words) {
    ROXI_DCHECK(WordBytesOk(w));
    end += w.size();
    ROXI_DCHECK(end <= 0xFFFFFFFFULL);
    PutFixed32(dst, static_cast<uint32_t>(end));
  }
  for (std::string_view w : words) dst->append(w);
  std::vector<uint32_t> order(words.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(),
            [&words](uint32_t a, uint32_t b) { return words[a] < words[b]; });
  for (uint32_t rank : order) PutFixed32(dst, rank);
}

void EncodeStaticModelCache(const StaticModelCache& cache, std::string* dst) {
  const size_t start = dst->size();
  StaticModelCacheHeader h = cache.header;
  ROXI_DCHECK(h.dim > 0 && cache.vectors.size() == cache.words.size() * h.dim &&
              cache.buckets.size() % h.dim == 0);
  h.word_count = cache.words.size();
  h.bucket_count = cache.buckets.size() / h.dim;
  h.words_bytes = 0;
  for (const std::string& w : cache.words) h.words_bytes += w.size();
  EncodeStaticModelCacheHeader(h, dst);
  for (uint16_t half : cache.vectors) PutFixed16(dst, half);
  for (uint16_t half : cache.buckets) PutFixed16(dst, half);
  const std::vector<std::string_view> words(cache.words.begin(), cache.words.end());
  EncodeStaticModelCacheIndex(words, dst);
  PutFixed64(dst, Xxh3(std::string_view(*dst).substr(start)));
}

StaticModelCache CopyStaticModelCache(const StaticModelCacheView& view) {
  StaticModelCache c;
  c.header = view.header;
  for (uint64_t r = 0; r < view.header.word_count; ++r) c.words.emplace_back(view.Word(r));
  c.vectors.resize(view.vectors.size() / 2);
  for (size_t i = 0; i < c.vectors.size(); ++i)
    c.vectors[i] = DecodeFixed16(view.vectors.data() + 2 * i);
  c.buckets.resize(view.buckets.size() / 2);
  for (size_t i = 0; i < c.buckets.size(); ++i)
    c.buckets[i] = DecodeFixed16(view.buckets.data() + 2 * i);
  return c;
}

}  // namespace roxi::format
