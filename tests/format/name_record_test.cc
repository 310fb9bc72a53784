// Tests of format/name_record.cc (FORMAT.md §3.2).
#include "format/name_record.h"

#include <gtest/gtest.h>

#include <string>

#include "format/coding.h"
#include "tests/format/canonical_records.h"
#include "tests/format/record_test_util.h"

namespace roxi::format {
namespace {

using testing::BytesToHex;
using testing::Seal;

std::string Encode(DocumentId id) {
  std::string s;
  EncodeNameRecord(id, &s);
  return s;
}

std::string BodyWithId(uint64_t id) {
  std::string body(1, static_cast<char>(kNameRecordV1));
  PutFixed64(&body, id);
  return body;
}

auto Decode = [](std::string_view in) { return DecodeNameRecord(in); };

TEST(NameRecordTest, RoundTrips) {
  for (uint64_t id : {uint64_t{1}, uint64_t{42}, uint64_t{0x0102030405}, kMaxDocumentId}) {
    const auto decoded = DecodeNameRecord(Encode(DocumentId{id}));
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ(decoded->value, id);
  }
}

TEST(NameRecordTest, MatchesTheGrammar) {
  EXPECT_EQ(BytesToHex(Encode(DocumentId{42})), BytesToHex(Seal(BodyWithId(42))));
  EXPECT_EQ(Encode(DocumentId{42}).size(), 1u + 8u + 8u);
}

TEST(NameRecordTest, EncodesFrozenV1Bytes) {
  EXPECT_EQ(BytesToHex(Encode(testing::CanonicalNameRecord())),
            BytesToHex(testing::ReadFrozenHex("name_record_v1.hex")));
}

TEST(NameRecordTest, ReencodesDecodedBytesIdentically) {
  for (const std::string& bytes :
       {testing::ReadFrozenHex("name_record_v1.hex"), Encode(DocumentId{kMaxDocumentId})}) {
    const auto decoded = DecodeNameRecord(bytes);
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ(Encode(*decoded), bytes);
  }
}

TEST(NameRecordDeathTest, EncoderRefusesIdsOutOfRange) {
  std::string dst;
  EXPECT_DEATH(EncodeNameRecord(DocumentId{0}, &dst), "check failed");
  EXPECT_DEATH(EncodeNameRecord(DocumentId{kMaxDocumentId + 1}, &dst), "check failed");
}

TEST(NameRecordTest, RejectsEveryTruncatedPrefix) {
  testing::ExpectEveryTruncatedPrefixIsCorruption(Decode, Encode(DocumentId{42}));
}

TEST(NameRecordTest, RejectsEverySingleByteChange) {
  testing::ExpectEverySingleByteChangeIsCorruption(Decode, Encode(DocumentId{42}));
}

TEST(NameRecordTest, RejectsUnknownVersionAsNotSupported) {
  testing::ExpectOtherVersionsAreNotSupported(Decode, Encode(DocumentId{42}));
}

TEST(NameRecordTest, RejectsTrailingBytes) {
  testing::ExpectTrailingBytesAreCorruption(Decode, Encode(DocumentId{42}));
}

TEST(NameRecordTest, RejectsShortBodyEvenWithAValidChecksum) {
  const std::string body = BodyWithId(42);
  for (size_t len = 1; len < body.size(); ++len) {
    EXPECT_EQ(DecodeNameRecord(Seal(body.substr(0, len))).status().ToString(),
              "corruption: name record: bad length")
        << len;
  }
}

TEST(NameRecordTest, RejectsIdsOutOfRange) {
  for (uint64_t id : {uint64_t{0}, kMaxDocumentId + 1, ~uint64_t{0}}) {
    EXPECT_EQ(DecodeNameRecord(Seal(BodyWithId(id))).status().ToString(),
              "corruption: name record: document id out of range")
        << id;
  }
}

}  // namespace
}  // namespace roxi::format
