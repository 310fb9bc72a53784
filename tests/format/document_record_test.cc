// Tests of format/document_record.cc (FORMAT.md §3.1).
#include "format/document_record.h"

#include <gtest/gtest.h>

#include <string>

#include "format/coding.h"
#include "format/keys.h"
#include "tests/format/canonical_records.h"
#include "tests/format/record_test_util.h"
#include "tests/support/allocation_probe.h"

namespace roxi::format {
namespace {

using testing::BytesToHex;
using testing::CanonicalDocumentRecord;
using testing::CanonicalDocumentRecordV2;
using testing::Seal;

std::string Encode(const DocumentRecord& r) {
  std::string s;
  EncodeDocumentRecord(r, &s);
  return s;
}

DocumentRecord Minimal() {
  DocumentRecord r;
  r.name = "a";
  return r;
}

DocumentRecord Maximal() {
  DocumentRecord r;
  r.name = std::string(kMaxDocumentNameBytes, 'n');
  r.source_path = std::string(kMaxSourcePathBytes, 'p');
  r.content_hash = ~uint64_t{0};
  r.size_bytes = ~uint64_t{0};
  r.chunk_count = kMaxChunkNumber + 1;
  r.ingested_at_micros = ~uint64_t{0};
  r.source_mtime_micros = ~uint64_t{0};
  return r;
}

// A v1 body (no checksum) with the given name and source path and every number zero.
std::string BodyWith(std::string_view name, std::string_view path) {
  std::string body(1, static_cast<char>(kDocumentRecordV1));
  PutLengthPrefixed(&body, name);
  PutLengthPrefixed(&body, path);
  PutFixed64(&body, 0);
  body += std::string(4, '\0');  // size_bytes, chunk_count, ingested_at_micros, source_mtime_micros
  return body;
}

auto Decode = [](std::string_view in) { return DecodeDocumentRecord(in); };

TEST(DocumentRecordTest, RoundTrips) {
  for (const DocumentRecord& r : {CanonicalDocumentRecord(), Minimal(), Maximal()}) {
    const auto decoded = DecodeDocumentRecord(Encode(r));
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ(*decoded, r);
  }
}

TEST(DocumentRecordTest, MatchesTheGrammar) {
  const DocumentRecord r = CanonicalDocumentRecord();
  std::string expected = "\x01";
  PutLengthPrefixed(&expected, r.name);
  PutLengthPrefixed(&expected, r.source_path);
  PutFixed64(&expected, r.content_hash);
  PutVarint64(&expected, r.size_bytes);
  PutVarint32(&expected, r.chunk_count);
  PutVarint64(&expected, r.ingested_at_micros);
  PutVarint64(&expected, r.source_mtime_micros);
  EXPECT_EQ(BytesToHex(Encode(r)), BytesToHex(Seal(expected)));
}

TEST(DocumentRecordTest, EncodesFrozenV1Bytes) {
  EXPECT_EQ(BytesToHex(Encode(CanonicalDocumentRecord())),
            BytesToHex(testing::ReadFrozenHex("document_record_v1.hex")));
}

TEST(DocumentRecordTest, ReencodesDecodedBytesIdentically) {
  for (const std::string& bytes :
       {testing::ReadFrozenHex("document_record_v1.hex"), Encode(Minimal()), Encode(Maximal())}) {
    const auto decoded = DecodeDocumentRecord(bytes);
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ(Encode(*decoded), bytes);
  }
}

TEST(DocumentRecordDeathTest, EncoderRefusesWhatTheDecoderRejects) {
  std::string dst;
  DocumentRecord r = Minimal();
  r.name.clear();
  EXPECT_DEATH(EncodeDocumentRecord(r, &dst), "check failed");
  r.name = std::string(kMaxDocumentNameBytes + 1, 'n');
  EXPECT_DEATH(EncodeDocumentRecord(r, &dst), "check failed");
  r = Minimal();
  r.source_path = std::string(kMaxSourcePathBytes + 1, 'p');
  EXPECT_DEATH(EncodeDocumentRecord(r, &dst), "check failed");
  r = Minimal();
  r.chunk_count = kMaxChunkNumber + 2;
  EXPECT_DEATH(EncodeDocumentRecord(r, &dst), "check failed");
}

TEST(DocumentRecordTest, RejectsEveryTruncatedPrefix) {
  testing::ExpectEveryTruncatedPrefixIsCorruption(Decode, Encode(CanonicalDocumentRecord()));
  testing::ExpectEveryTruncatedPrefixIsCorruption(Decode, Encode(Minimal()));
}

TEST(DocumentRecordTest, RejectsEverySingleByteChange) {
  testing::ExpectEverySingleByteChangeIsCorruption(Decode, Encode(CanonicalDocumentRecord()));
}

TEST(DocumentRecordTest, RejectsUnknownVersionAsNotSupported) {
  testing::ExpectOtherVersionsAreNotSupported(Decode, Encode(CanonicalDocumentRecord()),
                                              {0, 3, 255});
  testing::ExpectOtherVersionsAreNotSupported(Decode, Encode(CanonicalDocumentRecordV2()),
                                              {0, 3, 255});
}

TEST(DocumentRecordTest, MetadataMakesVersion2AndOnlyThen) {
  const DocumentRecord r = CanonicalDocumentRecordV2();
  std::string expected = "\x02";
  PutLengthPrefixed(&expected, r.name);
  PutLengthPrefixed(&expected, r.source_path);
  PutFixed64(&expected, r.content_hash);
  PutVarint64(&expected, r.size_bytes);
  PutVarint32(&expected, r.chunk_count);
  PutVarint64(&expected, r.ingested_at_micros);
  PutVarint64(&expected, r.source_mtime_micros);
  EncodeMetadata(r.metadata, &expected);
  EXPECT_EQ(BytesToHex(Encode(r)), BytesToHex(Seal(expected)));
  EXPECT_EQ(Encode(CanonicalDocumentRecord())[0], '\x01');
  EXPECT_EQ(BytesToHex(Encode(r)), BytesToHex(testing::ReadFrozenHex("document_record_v2.hex")));
  const auto decoded = DecodeDocumentRecord(Encode(r));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, r);
  testing::ExpectEveryTruncatedPrefixIsCorruption(Decode, Encode(r));
  testing::ExpectEverySingleByteChangeIsCorruption(Decode, Encode(r));
  testing::ExpectTrailingBytesAreCorruption(Decode, Encode(r));
}

TEST(DocumentRecordTest, Version2WithoutMetadataIsDamage) {
  // The v1 body under version 2 with an empty list: a second encoding of a v1 record, refused.
  std::string body = testing::Unseal(Encode(CanonicalDocumentRecord()));
  body[0] = static_cast<char>(kDocumentRecordV2);
  PutVarint32(&body, 0);
  const auto result = DecodeDocumentRecord(Seal(body));
  EXPECT_EQ(result.status().ToString(), "corruption: document record: version 2 without metadata");
}

TEST(DocumentRecordTest, RejectsTrailingBytes) {
  testing::ExpectTrailingBytesAreCorruption(Decode, Encode(CanonicalDocumentRecord()));
}

TEST(DocumentRecordTest, RejectsEveryTruncatedBodyEvenWithAValidChecksum) {
  // Cut inside the fields, then re-sealed: the field parser, not the checksum, must refuse it.
  const std::string body = testing::Unseal(Encode(CanonicalDocumentRecord()));
  for (size_t len = 1; len < body.size(); ++len) {
    const auto result = DecodeDocumentRecord(Seal(body.substr(0, len)));
    EXPECT_TRUE(result.status().IsCorruption()) << len << ": " << result.status().ToString();
  }
}

TEST(DocumentRecordTest, RejectsEmptyName) {
  const auto result = DecodeDocumentRecord(Seal(BodyWith("", "")));
  EXPECT_EQ(result.status().ToString(), "corruption: document record: bad name");
}

TEST(DocumentRecordTest, RejectsNameOverLimitBeforeAllocating) {
  const std::string too_long = Seal(BodyWith(std::string(kMaxDocumentNameBytes + 1, 'n'), ""));
  size_t largest = roxi::testing::LargestAllocationDuring(
      [&] { EXPECT_TRUE(DecodeDocumentRecord(too_long).status().IsCorruption()); });
  EXPECT_LT(largest, 256u);

  // A length of 2^32 - 1 followed by two bytes.
  std::string body = "\x01";
  PutVarint32(&body, 0xffffffffu);
  body += "ab";
  const std::string huge = Seal(body);
  largest = roxi::testing::LargestAllocationDuring(
      [&] { EXPECT_TRUE(DecodeDocumentRecord(huge).status().IsCorruption()); });
  EXPECT_LT(largest, 256u);
}

TEST(DocumentRecordTest, RejectsSourcePathOverLimitBeforeAllocating) {
  EXPECT_TRUE(
      DecodeDocumentRecord(Seal(BodyWith("a", std::string(kMaxSourcePathBytes, 'p')))).ok());
  const std::string too_long = Seal(BodyWith("a", std::string(kMaxSourcePathBytes + 1, 'p')));
  const size_t largest = roxi::testing::LargestAllocationDuring([&] {
    EXPECT_EQ(DecodeDocumentRecord(too_long).status().ToString(),
              "corruption: document record: bad source path");
  });
  EXPECT_LT(largest, 256u);
}

TEST(DocumentRecordTest, RejectsChunkCountOverLimit) {
  DocumentRecord r = Minimal();
  r.chunk_count = kMaxChunkNumber + 1;  // every chunk number used: the most a document can have
  EXPECT_TRUE(DecodeDocumentRecord(Encode(r)).ok());
  std::string body = "\x01";
  PutLengthPrefixed(&body, "a");
  PutLengthPrefixed(&body, "");
  PutFixed64(&body, 0);
  PutVarint64(&body, 0);
  PutVarint32(&body, kMaxChunkNumber + 2);
  PutVarint64(&body, 0);
  PutVarint64(&body, 0);
  EXPECT_EQ(DecodeDocumentRecord(Seal(body)).status().ToString(),
            "corruption: document record: chunk count out of range");
}

TEST(DocumentRecordTest, RejectsOverlongVarint) {
  std::string body = "\x01";
  PutLengthPrefixed(&body, "a");
  PutLengthPrefixed(&body, "");
  PutFixed64(&body, 0);
  body += std::string("\x80\x00", 2);  // size_bytes 0, non-canonically
  body += std::string(3, '\0');
  EXPECT_TRUE(DecodeDocumentRecord(Seal(body)).status().IsCorruption());
}

}  // namespace
}  // namespace roxi::format
