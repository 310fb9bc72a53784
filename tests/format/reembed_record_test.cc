// Tests of format/reembed_record.cc (FORMAT.md §3.7).
#include "format/reembed_record.h"

#include <gtest/gtest.h>

#include <string>

#include "format/coding.h"
#include "format/hash.h"
#include "format/vector_record.h"
#include "tests/format/canonical_records.h"
#include "tests/format/record_test_util.h"

namespace roxi::format {
namespace {

using testing::BytesToHex;
using testing::Seal;

std::string Encode(const ReembedRecord& r) {
  std::string s;
  EncodeReembedRecord(r, &s);
  return s;
}
std::string Encode(const VectorFamilyRecord& r) {
  std::string s;
  EncodeVectorFamilyRecord(r, &s);
  return s;
}

auto DecodeReembed = [](std::string_view in) { return DecodeReembedRecord(in); };
auto DecodeFamily = [](std::string_view in) { return DecodeVectorFamilyRecord(in); };

ReembedRecord Minimal() {
  ReembedRecord r;
  r.target.id = "x";
  r.target.fingerprint = Xxh3("x");
  r.target.dim = 1;
  return r;
}

ReembedRecord Maximal() {
  ReembedRecord r;
  r.target.id = std::string(kMaxEmbedderIdBytes, 'm');
  r.target.fingerprint = Xxh3(r.target.id);
  r.target.dim = kMaxDim;
  r.started_at_micros = ~uint64_t{0};
  r.cursor = ~uint64_t{0};
  r.staged = ~uint64_t{0};
  return r;
}

// The body of a reembed record with these fields, sealed, so a decoder's field checks are reached.
std::string SealedReembed(std::string_view id, uint64_t fingerprint, uint32_t dim) {
  std::string body = "\x01";
  PutLengthPrefixed(&body, id);
  PutFixed64(&body, fingerprint);
  PutVarint32(&body, dim);
  PutVarint64(&body, 0);
  PutFixed64(&body, 0);
  PutVarint64(&body, 0);
  return Seal(body);
}

TEST(ReembedRecordTest, RoundTrips) {
  for (const ReembedRecord& r : {testing::CanonicalReembedRecord(), Minimal(), Maximal()}) {
    const auto decoded = DecodeReembedRecord(Encode(r));
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ(*decoded, r);
  }
}

TEST(ReembedRecordTest, MatchesTheGrammar) {
  const ReembedRecord r = testing::CanonicalReembedRecord();
  std::string expected = "\x01";
  PutLengthPrefixed(&expected, r.target.id);
  PutFixed64(&expected, r.target.fingerprint);
  PutVarint32(&expected, r.target.dim);
  PutVarint64(&expected, r.started_at_micros);
  PutFixed64(&expected, r.cursor);
  PutVarint64(&expected, r.staged);
  EXPECT_EQ(BytesToHex(Encode(r)), BytesToHex(Seal(expected)));
}

TEST(ReembedRecordTest, EncodesFrozenV1Bytes) {
  EXPECT_EQ(BytesToHex(Encode(testing::CanonicalReembedRecord())),
            BytesToHex(testing::ReadFrozenHex("reembed_record_v1.hex")));
}

TEST(ReembedRecordTest, RejectsEveryTruncatedPrefix) {
  testing::ExpectEveryTruncatedPrefixIsCorruption(DecodeReembed,
                                                  Encode(testing::CanonicalReembedRecord()));
}

TEST(ReembedRecordTest, RejectsEverySingleByteChange) {
  testing::ExpectEverySingleByteChangeIsCorruption(DecodeReembed,
                                                   Encode(testing::CanonicalReembedRecord()));
}

TEST(ReembedRecordTest, RejectsOtherVersionsAndTrailingBytes) {
  const std::string record = Encode(testing::CanonicalReembedRecord());
  testing::ExpectOtherVersionsAreNotSupported(DecodeReembed, record);
  testing::ExpectTrailingBytesAreCorruption(DecodeReembed, record);
}

TEST(ReembedRecordTest, RejectsATargetNoEmbedderRecordWouldHold) {
  const auto empty_id = DecodeReembedRecord(SealedReembed("", Xxh3(""), 4));
  EXPECT_TRUE(empty_id.status().IsCorruption());
  EXPECT_NE(empty_id.status().ToString().find("bad target id"), std::string::npos);
  const auto dim_zero = DecodeReembedRecord(SealedReembed("m", Xxh3("m"), 0));
  EXPECT_NE(dim_zero.status().ToString().find("target dimension 0"), std::string::npos);
  const auto dim_big = DecodeReembedRecord(SealedReembed("m", Xxh3("m"), kMaxDim + 1));
  EXPECT_NE(dim_big.status().ToString().find("target dimension 16385"), std::string::npos);
  const auto mismatch = DecodeReembedRecord(SealedReembed("m", Xxh3("n"), 4));
  EXPECT_NE(mismatch.status().ToString().find("target fingerprint does not match id"),
            std::string::npos);
  EXPECT_TRUE(DecodeReembedRecord(SealedReembed("m", Xxh3("m"), 4)).ok());
}

TEST(VectorFamilyRecordTest, RoundTripsBothFamilies) {
  for (VectorFamily f : {VectorFamily::kVectors, VectorFamily::kVectorsB}) {
    const auto decoded = DecodeVectorFamilyRecord(Encode(VectorFamilyRecord{f}));
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ(decoded->active, f);
  }
}

TEST(VectorFamilyRecordTest, EncodesFrozenV1Bytes) {
  EXPECT_EQ(BytesToHex(Encode(testing::CanonicalVectorFamilyRecord())),
            BytesToHex(testing::ReadFrozenHex("vector_family_record_v1.hex")));
  EXPECT_EQ(BytesToHex(Encode(testing::CanonicalVectorFamilyRecord())),
            BytesToHex(Seal(std::string("\x01\x01", 2))));
}

TEST(VectorFamilyRecordTest, RejectsDamage) {
  const std::string record = Encode(testing::CanonicalVectorFamilyRecord());
  testing::ExpectEveryTruncatedPrefixIsCorruption(DecodeFamily, record);
  testing::ExpectEverySingleByteChangeIsCorruption(DecodeFamily, record);
  testing::ExpectOtherVersionsAreNotSupported(DecodeFamily, record);
  testing::ExpectTrailingBytesAreCorruption(DecodeFamily, record);
  const auto unknown = DecodeVectorFamilyRecord(Seal(std::string("\x01\x02", 2)));
  EXPECT_TRUE(unknown.status().IsCorruption());
  EXPECT_NE(unknown.status().ToString().find("active family 2"), std::string::npos);
  EXPECT_TRUE(DecodeVectorFamilyRecord(Seal(std::string("\x01", 1))).status().IsCorruption());
}

}  // namespace
}  // namespace roxi::format
