// Tests of format/coding.cc (FORMAT.md §1.1, §1.2): exact bytes of every encoding, every truncated
// prefix, non-canonical and overflowing varints, and big-endian order being numeric order.
#include "format/coding.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "tests/format/record_test_util.h"

namespace roxi::format {
namespace {

using testing::BytesToHex;

std::string Varint32(uint32_t v) {
  std::string s;
  PutVarint32(&s, v);
  return s;
}

std::string Varint64(uint64_t v) {
  std::string s;
  PutVarint64(&s, v);
  return s;
}

// Values around every 7-bit group boundary of a 64-bit integer.
std::vector<uint64_t> BoundaryValues() {
  std::vector<uint64_t> values = {0, 1, 2, 0x7f, 0x80, 0xff, 300, 0x3fff, 0x4000};
  for (int bits = 7; bits < 64; bits += 7) {
    const uint64_t p = uint64_t{1} << bits;
    values.insert(values.end(), {p - 1, p, p + 1});
  }
  for (int bits = 0; bits < 64; ++bits) values.push_back(uint64_t{1} << bits);
  values.insert(values.end(), {0xffffffffull, 0x100000000ull, ~uint64_t{0} - 1, ~uint64_t{0}});
  return values;
}

TEST(CodingTest, FixedEncodingsAreLittleEndian) {
  std::string s;
  PutFixed16(&s, 0x0102);
  PutFixed32(&s, 0x01020304);
  PutFixed64(&s, 0x0102030405060708);
  EXPECT_EQ(BytesToHex(s),
            "0201"
            "04030201"
            "0807060504030201");
  EXPECT_EQ(DecodeFixed16(s.data()), 0x0102);
  EXPECT_EQ(DecodeFixed32(s.data() + 2), 0x01020304u);
  EXPECT_EQ(DecodeFixed64(s.data() + 6), 0x0102030405060708u);
}

TEST(CodingTest, FixedRoundTripsHighBitValues) {
  std::string s;
  PutFixed16(&s, 0xfffe);
  PutFixed32(&s, 0xfffefdfc);
  PutFixed64(&s, 0xfffefdfcfbfaf9f8);
  std::string_view in = s;
  uint16_t v16 = 0;
  uint32_t v32 = 0;
  uint64_t v64 = 0;
  ASSERT_TRUE(GetFixed16(&in, &v16));
  ASSERT_TRUE(GetFixed32(&in, &v32));
  ASSERT_TRUE(GetFixed64(&in, &v64));
  EXPECT_TRUE(in.empty());
  EXPECT_EQ(v16, 0xfffe);
  EXPECT_EQ(v32, 0xfffefdfcu);
  EXPECT_EQ(v64, 0xfffefdfcfbfaf9f8u);
}

TEST(CodingTest, GetFixedRejectsEveryTruncatedPrefixAndConsumesNothing) {
  const std::string bytes = "\x01\x02\x03\x04\x05\x06\x07\x08";
  for (size_t len = 0; len < 8; ++len) {
    std::string_view in(bytes.data(), len);
    uint16_t v16 = 0;
    uint32_t v32 = 0;
    uint64_t v64 = 0;
    EXPECT_EQ(GetFixed16(&in, &v16), len >= 2) << len;
    in = std::string_view(bytes.data(), len);
    EXPECT_EQ(GetFixed32(&in, &v32), len >= 4) << len;
    in = std::string_view(bytes.data(), len);
    EXPECT_FALSE(GetFixed64(&in, &v64)) << len;
    EXPECT_EQ(in.size(), len);
  }
}

TEST(CodingTest, BigEndianEncodingsPutTheMostSignificantByteFirst) {
  std::string s;
  PutBigEndian32(&s, 0x01020304);
  PutBigEndian64(&s, 0x0102030405060708);
  EXPECT_EQ(BytesToHex(s),
            "01020304"
            "0102030405060708");
  EXPECT_EQ(DecodeBigEndian32(s.data()), 0x01020304u);
  EXPECT_EQ(DecodeBigEndian64(s.data() + 4), 0x0102030405060708u);
}

TEST(CodingTest, BigEndianByteOrderIsNumericOrder) {
  std::vector<uint64_t> values = BoundaryValues();
  std::mt19937_64 rng(20260101);
  for (int i = 0; i < 2000; ++i) values.push_back(rng() >> (rng() % 64));
  std::sort(values.begin(), values.end());
  for (size_t i = 1; i < values.size(); ++i) {
    std::string a, b;
    PutBigEndian64(&a, values[i - 1]);
    PutBigEndian64(&b, values[i]);
    EXPECT_EQ(a < b, values[i - 1] < values[i]) << values[i - 1] << " vs " << values[i];
    EXPECT_LE(a, b);
    std::string a32, b32;
    PutBigEndian32(&a32, static_cast<uint32_t>(values[i - 1]));
    PutBigEndian32(&b32, static_cast<uint32_t>(values[i]));
    EXPECT_EQ(a32 < b32, static_cast<uint32_t>(values[i - 1]) < static_cast<uint32_t>(values[i]));
  }
}

TEST(CodingTest, LittleEndianOrderIsNotNumericOrder) {
  // Why keys are big-endian: 256 sorts before 1 byte-wise when little-endian.
  std::string one, big;
  PutFixed64(&one, 1);
  PutFixed64(&big, 256);
  EXPECT_GT(one, big);
}

TEST(CodingTest, VarintEncodingOutput) {
  EXPECT_EQ(BytesToHex(Varint32(0)), "00");
  EXPECT_EQ(BytesToHex(Varint32(1)), "01");
  EXPECT_EQ(BytesToHex(Varint32(127)), "7f");
  EXPECT_EQ(BytesToHex(Varint32(128)), "8001");
  EXPECT_EQ(BytesToHex(Varint32(300)), "ac02");
  EXPECT_EQ(BytesToHex(Varint32(16383)), "ff7f");
  EXPECT_EQ(BytesToHex(Varint32(16384)), "808001");
  EXPECT_EQ(BytesToHex(Varint32(0xffffffffu)), "ffffffff0f");
  EXPECT_EQ(BytesToHex(Varint64(0xffffffffull + 1)), "8080808010");
  EXPECT_EQ(BytesToHex(Varint64(1767225600000000)), "808081b184e99103");
  EXPECT_EQ(BytesToHex(Varint64(~uint64_t{0})), "ffffffffffffffffff01");
}

TEST(CodingTest, Varint64RoundTripsAndVarintLengthMatches) {
  std::string all;
  const std::vector<uint64_t> values = BoundaryValues();
  for (uint64_t v : values) {
    const std::string one = Varint64(v);
    EXPECT_EQ(one.size(), VarintLength(v)) << v;
    EXPECT_LE(one.size(), kMaxVarint64Bytes);
    all += one;
  }
  std::string_view in = all;
  for (uint64_t v : values) {
    uint64_t got = 0;
    ASSERT_TRUE(GetVarint64(&in, &got)) << v;
    EXPECT_EQ(got, v);
  }
  EXPECT_TRUE(in.empty());
}

TEST(CodingTest, Varint32RoundTripsAndConsumesExactlyItsBytes) {
  for (uint64_t wide : BoundaryValues()) {
    if (wide > 0xffffffffu) continue;
    const auto v = static_cast<uint32_t>(wide);
    const std::string bytes = Varint32(v) + "rest";
    EXPECT_LE(bytes.size() - 4, kMaxVarint32Bytes);
    std::string_view in = bytes;
    uint32_t got = 0;
    ASSERT_TRUE(GetVarint32(&in, &got)) << v;
    EXPECT_EQ(got, v);
    EXPECT_EQ(in, "rest");
  }
}

TEST(CodingTest, VarintRejectsEveryTruncatedPrefixAndConsumesNothing) {
  for (uint64_t v : BoundaryValues()) {
    const std::string bytes = Varint64(v);
    for (size_t len = 0; len < bytes.size(); ++len) {
      std::string_view in(bytes.data(), len);
      uint64_t got64 = 0;
      EXPECT_FALSE(GetVarint64(&in, &got64)) << v << " cut to " << len;
      EXPECT_EQ(in.size(), len);
      uint32_t got32 = 0;
      EXPECT_FALSE(GetVarint32(&in, &got32)) << v << " cut to " << len;
      EXPECT_EQ(in.size(), len);
    }
  }
}

TEST(CodingTest, VarintRejectsOverlongEncodings) {
  // Each is a valid LEB128 of a small value padded with zero groups: not the canonical encoding.
  for (std::string_view overlong :
       {std::string_view("\x80\x00", 2), std::string_view("\x81\x00", 2),
        std::string_view("\xff\x00", 2), std::string_view("\x80\x80\x00", 3),
        std::string_view("\xac\x82\x80\x00", 4), std::string_view("\x80\x80\x80\x80\x00", 5)}) {
    std::string_view in = overlong;
    uint32_t v32 = 0;
    EXPECT_FALSE(GetVarint32(&in, &v32)) << BytesToHex(overlong);
    EXPECT_EQ(in.size(), overlong.size());
    uint64_t v64 = 0;
    EXPECT_FALSE(GetVarint64(&in, &v64)) << BytesToHex(overlong);
    EXPECT_EQ(in.size(), overlong.size());
  }
  // A lone zero byte is the canonical encoding of 0.
  std::string_view zero("\x00", 1);
  uint32_t v = 1;
  EXPECT_TRUE(GetVarint32(&zero, &v));
  EXPECT_EQ(v, 0u);
}

TEST(CodingTest, Varint32RejectsBitsAboveThirtyTwo) {
  for (std::string_view overflow :
       {std::string_view("\xff\xff\xff\xff\x1f", 5), std::string_view("\x80\x80\x80\x80\x10", 5),
        std::string_view("\xff\xff\xff\xff\x7f", 5)}) {
    std::string_view in = overflow;
    uint32_t v = 0;
    EXPECT_FALSE(GetVarint32(&in, &v)) << BytesToHex(overflow);
    // The same bytes are a valid varint64: only the width check rejects them.
    uint64_t wide = 0;
    EXPECT_TRUE(GetVarint64(&in, &wide)) << BytesToHex(overflow);
    EXPECT_GT(wide, 0xffffffffull);
  }
}

TEST(CodingTest, Varint64RejectsBitsAboveSixtyFour) {
  std::string_view in("\xff\xff\xff\xff\xff\xff\xff\xff\xff\x02", 10);
  uint64_t v = 0;
  EXPECT_FALSE(GetVarint64(&in, &v));
  in = std::string_view("\x80\x80\x80\x80\x80\x80\x80\x80\x80\x7f", 10);
  EXPECT_FALSE(GetVarint64(&in, &v));
}

TEST(CodingTest, VarintRejectsTooManyBytes) {
  // Continuation bits past the maximum length, whatever follows.
  std::string_view in32("\x80\x80\x80\x80\x80\x01", 6);
  uint32_t v32 = 0;
  EXPECT_FALSE(GetVarint32(&in32, &v32));
  EXPECT_EQ(in32.size(), 6u);
  std::string_view in64("\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x01", 11);
  uint64_t v64 = 0;
  EXPECT_FALSE(GetVarint64(&in64, &v64));
  EXPECT_EQ(in64.size(), 11u);
  std::string_view all_continuation("\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", 12);
  EXPECT_FALSE(GetVarint64(&all_continuation, &v64));
}

TEST(CodingTest, LengthPrefixedEncodingOutput) {
  std::string s;
  PutLengthPrefixed(&s, "");
  PutLengthPrefixed(&s, "roxi");
  EXPECT_EQ(BytesToHex(s),
            "00"
            "04726f7869");
  s.clear();
  PutLengthPrefixed(&s, std::string(200, 'z'));
  EXPECT_EQ(BytesToHex(s.substr(0, 3)), "c8017a");
  EXPECT_EQ(s.size(), 202u);
}

TEST(CodingTest, LengthPrefixedRoundTripsAndConsumesExactlyItsBytes) {
  std::string s;
  PutLengthPrefixed(&s, "roxi");
  PutLengthPrefixed(&s, "");
  PutLengthPrefixed(&s, std::string(300, 'x'));
  std::string_view in = s;
  std::string_view v;
  ASSERT_TRUE(GetLengthPrefixed(&in, &v, 300));
  EXPECT_EQ(v, "roxi");
  ASSERT_TRUE(GetLengthPrefixed(&in, &v, 300));
  EXPECT_EQ(v, "");
  ASSERT_TRUE(GetLengthPrefixed(&in, &v, 300));
  EXPECT_EQ(v, std::string(300, 'x'));
  EXPECT_TRUE(in.empty());
}

TEST(CodingTest, LengthPrefixedRejectsEveryTruncatedPrefixAndConsumesNothing) {
  std::string s;
  PutLengthPrefixed(&s, std::string(130, 'q'));  // two-byte length
  for (size_t len = 0; len < s.size(); ++len) {
    std::string_view in(s.data(), len);
    std::string_view v;
    EXPECT_FALSE(GetLengthPrefixed(&in, &v, 1000)) << len;
    EXPECT_EQ(in.size(), len);
  }
}

TEST(CodingTest, LengthPrefixedEnforcesMaxLength) {
  std::string s;
  PutLengthPrefixed(&s, "12345");
  std::string_view in = s;
  std::string_view v;
  EXPECT_FALSE(GetLengthPrefixed(&in, &v, 4));
  EXPECT_EQ(in.size(), s.size());
  EXPECT_TRUE(GetLengthPrefixed(&in, &v, 5));
  EXPECT_EQ(v, "12345");
}

TEST(CodingTest, LengthPrefixedRejectsLengthBeyondInput) {
  // A length of 2^32 - 1 with two bytes behind it: refused without reading past the input.
  std::string s = Varint32(0xffffffffu) + "ab";
  std::string_view in = s;
  std::string_view v;
  EXPECT_FALSE(GetLengthPrefixed(&in, &v, 0xffffffffu));
  EXPECT_EQ(in.size(), s.size());
}

TEST(CodingTest, LengthPrefixedRejectsOverlongLength) {
  const std::string s = std::string("\x82\x00", 2) + "ab";  // 2, non-canonically
  std::string_view in = s;
  std::string_view v;
  EXPECT_FALSE(GetLengthPrefixed(&in, &v, 100));
}

TEST(CodingTest, GetByteConsumesOneByte) {
  std::string_view in("\xfe\x01", 2);
  uint8_t b = 0;
  ASSERT_TRUE(GetByte(&in, &b));
  EXPECT_EQ(b, 0xfe);
  ASSERT_TRUE(GetByte(&in, &b));
  EXPECT_EQ(b, 0x01);
  EXPECT_FALSE(GetByte(&in, &b));
}

}  // namespace
}  // namespace roxi::format
