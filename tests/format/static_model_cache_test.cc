#include "format/static_model_cache.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "format/coding.h"
#include "format/float16.h"
#include "format/hash.h"

namespace roxi::format {
namespace {

using ::testing::HasSubstr;

// The worked example of FORMAT.md §9.4.
StaticModelCache Example() {
  StaticModelCache c;
  c.header.min_n = 3;
  c.header.max_n = 4;
  c.header.dim = 2;
  c.header.source_size = 42;
  c.header.source_mtime_ns = 1700000000123456789;
  c.header.source_hash = 0x0123456789abcdefULL;
  c.header.builder = 0xfedcba9876543210ULL;
  c.words = {"the", "cat", "\xc3\xa9"};
  c.vectors = {0x3c00, 0x3800, 0xbc00, 0x4000, 0x0000, 0xb800};  // (1, .5) (-1, 2) (0, -.5)
  c.buckets = {0x3400, 0x3a00};                                  // (.25, .75)
  return c;
}

std::string Encode(const StaticModelCache& c) {
  std::string out;
  EncodeStaticModelCache(c, &out);
  return out;
}

std::string ToHex(std::string_view bytes) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < bytes.size(); ++i) {
    const auto b = static_cast<unsigned char>(bytes[i]);
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
    out += (i % 16 == 15 || i + 1 == bytes.size()) ? '\n' : ' ';
  }
  return out;
}

// Replaces the trailing checksum after an edit, so a test reaches the check after it.
std::string Reseal(std::string bytes) {
  bytes.resize(bytes.size() - kXxh3Size);
  PutFixed64(&bytes, Xxh3(bytes));
  return bytes;
}

TEST(StaticModelCacheTest, RoundTripsTheExample) {
  const std::string bytes = Encode(Example());
  ASSERT_EQ(bytes.size(), 128u);
  Result<StaticModelCacheView> v = DecodeStaticModelCache(bytes);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->header.dim, 2u);
  EXPECT_EQ(v->header.word_count, 3u);
  EXPECT_EQ(v->header.bucket_count, 1u);
  EXPECT_EQ(v->header.words_bytes, 8u);
  EXPECT_EQ(v->header.source_mtime_ns, 1700000000123456789);
  EXPECT_EQ(v->Word(2), "\xc3\xa9");
  EXPECT_EQ(v->Find("cat"), 1u);
  EXPECT_EQ(v->Find("the"), 0u);
  EXPECT_EQ(v->Find("\xc3\xa9"), 2u);
  EXPECT_FALSE(v->Find("dog").has_value());
  EXPECT_FALSE(v->Find("").has_value());
  EXPECT_EQ(HalfToFloat(DecodeFixed16(v->VectorBytes(1) + 2)), 2.0f);
  EXPECT_EQ(HalfToFloat(DecodeFixed16(v->BucketBytes(0))), 0.25f);
  std::string again;
  EncodeStaticModelCache(CopyStaticModelCache(*v), &again);
  EXPECT_EQ(again, bytes);
}

TEST(StaticModelCacheTest, ExampleBytesAreFrozen) {
  std::ifstream in(std::string(ROXI_SOURCE_DIR) +
                   "/tests/format/testdata/files/static_model_cache_v1.hex");
  ASSERT_TRUE(in.good());
  std::stringstream frozen;
  frozen << in.rdbuf();
  EXPECT_EQ(ToHex(Encode(Example())), frozen.str());
}

TEST(StaticModelCacheTest, AnEmptyModelIsValid) {
  StaticModelCache c;
  c.header.dim = 4;
  const std::string bytes = Encode(c);
  Result<StaticModelCacheView> v = DecodeStaticModelCache(bytes);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->header.word_count, 0u);
  EXPECT_FALSE(v->Find("a").has_value());
}

TEST(StaticModelCacheTest, RejectsEveryTruncatedPrefixAndExtension) {
  const std::string bytes = Encode(Example());
  for (size_t n = 0; n < bytes.size(); ++n) {
    Result<StaticModelCacheView> v = DecodeStaticModelCache(bytes.substr(0, n));
    ASSERT_FALSE(v.ok()) << n;
    EXPECT_TRUE(v.status().IsCorruption()) << n;
    // Even with a valid checksum over the prefix, the sizes do not add up.
    if (n >= kStaticModelCacheHeaderSize + kXxh3Size) {
      EXPECT_FALSE(DecodeStaticModelCache(Reseal(bytes.substr(0, n))).ok()) << n;
    }
  }
  EXPECT_FALSE(DecodeStaticModelCache(Reseal(bytes + std::string(8, '\0'))).ok());
}

TEST(StaticModelCacheTest, ChecksMagicThenChecksumThenVersion) {
  std::string bytes = Encode(Example());
  std::string bad = bytes;
  bad[1] = 'r';
  EXPECT_THAT(DecodeStaticModelCache(bad).status().ToString(), HasSubstr("bad magic"));
  bad = bytes;
  bad[100] ^= 1;
  EXPECT_THAT(DecodeStaticModelCache(bad).status().ToString(), HasSubstr("checksum mismatch"));
  bad = bytes;
  bad[8] = 2;
  EXPECT_THAT(DecodeStaticModelCache(bad).status().ToString(), HasSubstr("checksum mismatch"));
  Result<StaticModelCacheView> v = DecodeStaticModelCache(Reseal(bad));
  EXPECT_TRUE(v.status().IsNotSupported());
  EXPECT_EQ(v.status().ToString(),
            "not supported: static model cache: version 2 (this roxi reads 1)");
}

TEST(StaticModelCacheTest, RejectsDamagedFieldsNamingThem) {
  const std::string bytes = Encode(Example());
  struct Case {
    size_t offset;
    std::string value;
    const char* problem;
  };
  const Case cases[] = {
      {9, "\x01", "flags 1"},
      {12, std::string("\x00\x00\x00\x00", 4), "dim 0 outside"},
      {12, std::string("\x01\x40\x00\x00", 4), "dim 16385 outside"},
      {10, std::string("\x00\x00", 2), "n-gram sizes 0..0 do not fit bucket_count 1"},
      {10, std::string("\x05\x04", 2), "n-gram sizes 5..4"},
      {16, std::string("\x04", 1), "sections add up"},
      {16, std::string("\x00\x00\x00\x00\x00\x00\x00\x01", 8), "word_count"},
      // An empty word is a word_end that does not increase.
      {92, std::string("\x03\x00\x00\x00", 4), "word_ends[1] does not increase"},
      {96, std::string("\x09\x00\x00\x00", 4), "word_ends[2] past the words"},
      {96, std::string("\x07\x00\x00\x00", 4), "words has bytes past the last word"},
      {100, " ", "word 0 is empty, too long or holds a byte below 0x21"},
      {108, std::string("\x00\x00\x00\x00", 4), "sorted[1] is not in strictly increasing"},
      {112, std::string("\x07\x00\x00\x00", 4), "sorted[1] out of range"},
  };
  for (const Case& c : cases) {
    std::string bad = bytes;
    bad.replace(c.offset, c.value.size(), c.value);
    Result<StaticModelCacheView> v = DecodeStaticModelCache(Reseal(bad));
    ASSERT_FALSE(v.ok()) << c.problem;
    EXPECT_TRUE(v.status().IsCorruption()) << c.problem;
    EXPECT_THAT(v.status().ToString(), HasSubstr(c.problem));
  }
}

}  // namespace
}  // namespace roxi::format
