// Tests of format/vector_record.cc (FORMAT.md §3.4).
#include "format/vector_record.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "format/coding.h"
#include "format/float16.h"
#include "format/hash.h"
#include "tests/format/canonical_records.h"
#include "tests/format/record_test_util.h"
#include "tests/support/allocation_probe.h"

namespace roxi::format {
namespace {

using testing::BytesToHex;
using testing::CanonicalVectorRecord;
using testing::Seal;

std::string Encode(const VectorRecord& r) {
  std::string s;
  EncodeVectorRecord(r, &s);
  return s;
}

// A v1 body (no checksum) declaring `dim` and carrying `payload_bytes` bytes of data.
std::string Body(uint32_t dim, size_t payload_bytes) {
  std::string body(1, static_cast<char>(kVectorRecordV1));
  PutFixed64(&body, 1);
  PutFixed64(&body, 2);
  PutVarint32(&body, dim);
  body += std::string(payload_bytes, '\x3c');
  return body;
}

auto Decode = [](std::string_view in) { return DecodeVectorRecord(in); };

TEST(VectorRecordTest, RoundTrips) {
  VectorRecord one;
  one.halfs = {0x7e00};  // a NaN is stored bit for bit
  VectorRecord widest;
  widest.model = ~uint64_t{0};
  widest.text_hash = ~uint64_t{0};
  for (uint32_t i = 0; i < kMaxDim; ++i) widest.halfs.push_back(static_cast<uint16_t>(i * 7919));
  for (const VectorRecord& r : {CanonicalVectorRecord(), one, widest}) {
    const auto decoded = DecodeVectorRecord(Encode(r));
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ(*decoded, r);
  }
}

TEST(VectorRecordTest, ViewDecodesTheSameFieldsWithoutCopying) {
  std::string bytes;
  EncodeVectorRecord(testing::CanonicalVectorRecord(), &bytes);
  const auto view = DecodeVectorRecordView(bytes);
  ASSERT_TRUE(view.ok()) << view.status().ToString();
  EXPECT_EQ(view->model, testing::CanonicalVectorRecord().model);
  EXPECT_EQ(view->text_hash, testing::CanonicalVectorRecord().text_hash);
  EXPECT_EQ(view->dim, 4u);
  EXPECT_GE(view->halfs_le.data(), bytes.data());
  EXPECT_LE(view->halfs_le.data() + view->halfs_le.size(), bytes.data() + bytes.size());
  std::vector<uint16_t> halfs(view->dim);
  view->CopyHalfs(halfs.data());
  EXPECT_EQ(halfs, testing::CanonicalVectorRecord().halfs);
  bytes[bytes.size() - 1] ^= 1;
  EXPECT_TRUE(DecodeVectorRecordView(bytes).status().IsCorruption());
}

TEST(VectorRecordTest, EveryHalfBitPatternRoundTrips) {
  for (uint32_t base = 0; base < 0x10000; base += kMaxDim) {
    VectorRecord r;
    for (uint32_t i = 0; i < kMaxDim; ++i) r.halfs.push_back(static_cast<uint16_t>(base + i));
    const auto decoded = DecodeVectorRecord(Encode(r));
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ(decoded->halfs, r.halfs);
  }
}

TEST(VectorRecordTest, MatchesTheGrammar) {
  const VectorRecord r = CanonicalVectorRecord();
  std::string expected = "\x01";
  PutFixed64(&expected, r.model);
  PutFixed64(&expected, r.text_hash);
  PutVarint32(&expected, static_cast<uint32_t>(r.halfs.size()));
  for (uint16_t h : r.halfs) PutFixed16(&expected, h);
  EXPECT_EQ(BytesToHex(Encode(r)), BytesToHex(Seal(expected)));
}

TEST(VectorRecordTest, EncodesFromFloatsLikeFromConvertedHalfs) {
  const std::vector<float> floats = {1.0f, -0.5f, 1.0f / 3.0f, 0x1p-24f, 70000.0f, 0x1p-25f};
  VectorRecord r;
  r.model = 11;
  r.text_hash = 22;
  for (float f : floats) r.halfs.push_back(FloatToHalf(f));
  std::string from_floats;
  EncodeVectorRecordFromFloats(11, 22, floats.data(), static_cast<uint32_t>(floats.size()),
                               &from_floats);
  EXPECT_EQ(BytesToHex(from_floats), BytesToHex(Encode(r)));
}

TEST(VectorRecordTest, EncodesFrozenV1Bytes) {
  EXPECT_EQ(BytesToHex(Encode(CanonicalVectorRecord())),
            BytesToHex(testing::ReadFrozenHex("vector_record_v1.hex")));
}

TEST(VectorRecordTest, ReencodesDecodedBytesIdentically) {
  const std::string frozen = testing::ReadFrozenHex("vector_record_v1.hex");
  const auto decoded = DecodeVectorRecord(frozen);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(Encode(*decoded), frozen);
}

TEST(VectorRecordDeathTest, EncoderRefusesDimOutOfRange) {
  std::string dst;
  EXPECT_DEATH(EncodeVectorRecord(VectorRecord{}, &dst), "check failed");
  VectorRecord wide;
  wide.halfs.resize(kMaxDim + 1);
  EXPECT_DEATH(EncodeVectorRecord(wide, &dst), "check failed");
}

TEST(VectorRecordTest, RejectsEveryTruncatedPrefix) {
  testing::ExpectEveryTruncatedPrefixIsCorruption(Decode, Encode(CanonicalVectorRecord()));
}

TEST(VectorRecordTest, RejectsEverySingleByteChange) {
  testing::ExpectEverySingleByteChangeIsCorruption(Decode, Encode(CanonicalVectorRecord()));
}

TEST(VectorRecordTest, RejectsUnknownVersionAsNotSupported) {
  testing::ExpectOtherVersionsAreNotSupported(Decode, Encode(CanonicalVectorRecord()));
}

TEST(VectorRecordTest, RejectsTrailingBytes) {
  testing::ExpectTrailingBytesAreCorruption(Decode, Encode(CanonicalVectorRecord()));
}

TEST(VectorRecordTest, RejectsEveryTruncatedBodyEvenWithAValidChecksum) {
  const std::string body = testing::Unseal(Encode(CanonicalVectorRecord()));
  for (size_t len = 1; len < body.size(); ++len) {
    const auto result = DecodeVectorRecord(Seal(body.substr(0, len)));
    EXPECT_TRUE(result.status().IsCorruption()) << len << ": " << result.status().ToString();
  }
}

TEST(VectorRecordTest, RejectsZeroDimension) {
  EXPECT_EQ(DecodeVectorRecord(Seal(Body(0, 0))).status().ToString(),
            "corruption: vector record: dimension 0");
}

TEST(VectorRecordTest, RejectsDimensionOverLimitBeforeAllocating) {
  // The probe sees the payload's allocation when the record is valid...
  const std::string widest = Seal(Body(kMaxDim, 2 * kMaxDim));
  EXPECT_GE(
      roxi::testing::LargestAllocationDuring([&] { EXPECT_TRUE(DecodeVectorRecord(widest).ok()); }),
      2 * kMaxDim);
  // ...and none when the declared dimension is over the limit.
  const std::string record = Seal(Body(kMaxDim + 1, 2 * (kMaxDim + 1)));
  const size_t largest = roxi::testing::LargestAllocationDuring([&] {
    EXPECT_EQ(DecodeVectorRecord(record).status().ToString(),
              "corruption: vector record: dimension 16385");
  });
  EXPECT_LT(largest, 256u);
  // The largest dimension a varint32 can declare, with almost no payload.
  EXPECT_TRUE(DecodeVectorRecord(Seal(Body(0xffffffffu, 4))).status().IsCorruption());
}

TEST(VectorRecordTest, RejectsPayloadNotMatchingDimensionBeforeAllocating) {
  for (size_t payload : std::vector<size_t>{0, 1, 2 * kMaxDim - 2, 2 * kMaxDim - 1, 2 * kMaxDim + 1,
                                            2 * kMaxDim + 2}) {
    const std::string record = Seal(Body(kMaxDim, payload));
    const size_t largest = roxi::testing::LargestAllocationDuring(
        [&] { EXPECT_TRUE(DecodeVectorRecord(record).status().IsCorruption()) << payload; });
    EXPECT_LT(largest, 256u) << payload;
  }
  EXPECT_EQ(DecodeVectorRecord(Seal(Body(4, 7))).status().ToString(),
            "corruption: vector record: payload of 7 bytes for dimension 4");
}

}  // namespace
}  // namespace roxi::format
