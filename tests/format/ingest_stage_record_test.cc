// Tests of format/ingest_stage_record.cc (FORMAT.md §3.9).
#include "format/ingest_stage_record.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/format/canonical_records.h"
#include "tests/format/record_test_util.h"

namespace roxi::format {
namespace {

using testing::BytesToHex;

std::string Encode(const IngestStageRecord& r) {
  std::string out;
  EncodeIngestStageRecord(r, &out);
  return out;
}

TEST(IngestStageRecordTest, KeyAndVersion) {
  EXPECT_EQ(kMetaStageKeyPrefix, "stage/");
  EXPECT_EQ(kIngestStageRecordV1, 1);
  EXPECT_EQ(BytesToHex(EncodeStageKey(DocumentId{0x0102})), "73746167652f0000000000000102");
  const auto id = DecodeStageKey(EncodeStageKey(DocumentId{77}));
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->value, 77u);
  EXPECT_TRUE(IsStageKey(EncodeStageKey(DocumentId{1})));
  EXPECT_FALSE(IsStageKey("store"));
}

TEST(IngestStageRecordTest, RejectsBadKeys) {
  EXPECT_TRUE(DecodeStageKey("stage/").status().IsCorruption());
  EXPECT_TRUE(DecodeStageKey("stage/1234567").status().IsCorruption());
  EXPECT_TRUE(DecodeStageKey("stagX/" + EncodeDocumentKey(DocumentId{1})).status().IsCorruption());
  EXPECT_TRUE(DecodeStageKey("stage/" + std::string(8, '\0')).status().IsCorruption());  // id 0
}

TEST(IngestStageRecordTest, EncodesFrozenV1Bytes) {
  EXPECT_EQ(BytesToHex(Encode(testing::CanonicalIngestStageRecord())),
            BytesToHex(testing::ReadFrozenHex("ingest_stage_record_v1.hex")));
}

TEST(IngestStageRecordTest, RoundTripsEveryPhase) {
  const IngestStageRecord records[] = {
      testing::CanonicalIngestStageRecord(),
      {StagePhase::kStaging, 0, "x"},
      {StagePhase::kStaging, kMaxChunkNumber + 1, std::string(kMaxDocumentNameBytes, 'n')},
      {StagePhase::kQueueing, 4096, ""},
      {StagePhase::kRetiring, 0, ""},
  };
  for (const IngestStageRecord& r : records) {
    const std::string bytes = Encode(r);
    const auto decoded = DecodeIngestStageRecord(bytes);
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ(*decoded, r);
    EXPECT_EQ(Encode(*decoded), bytes);
  }
}

TEST(IngestStageRecordTest, RejectsEveryTruncatedPrefix) {
  testing::ExpectEveryTruncatedPrefixIsCorruption(DecodeIngestStageRecord,
                                                  Encode(testing::CanonicalIngestStageRecord()));
}

TEST(IngestStageRecordTest, RejectsFieldsOutsideTheirPhase) {
  const auto decode = [](std::string body) {
    return DecodeIngestStageRecord(testing::Seal(std::move(body))).status().ToString();
  };
  EXPECT_EQ(decode(std::string("\x01\x04\x00\x00", 4)),
            "corruption: ingest stage record: unknown phase 4");
  EXPECT_EQ(decode(std::string("\x01\x00\x00\x00", 4)),
            "corruption: ingest stage record: unknown phase 0");
  EXPECT_EQ(decode(std::string("\x01\x01\x00\x00", 4)),
            "corruption: ingest stage record: bad document name");
  EXPECT_EQ(decode(std::string("\x01\x02\x00\x01n", 5)),
            "corruption: ingest stage record: a name outside the staging phase");
  EXPECT_EQ(decode(std::string("\x01\x03\x05\x00", 4)),
            "corruption: ingest stage record: a chunk count in the retiring phase");
  EXPECT_EQ(decode(std::string("\x01\x02\x81\x80\x80\x08\x00", 7)),
            "corruption: ingest stage record: too many chunks");
}

TEST(IngestStageRecordTest, RejectsTrailingBytesAndOtherVersions) {
  const std::string valid = Encode(testing::CanonicalIngestStageRecord());
  EXPECT_EQ(DecodeIngestStageRecord(testing::WithTrailingBytes(valid, "x")).status().ToString(),
            "corruption: ingest stage record: 1 trailing bytes");
  EXPECT_EQ(DecodeIngestStageRecord(testing::Seal(std::string("\x01\x01", 2))).status().ToString(),
            "corruption: ingest stage record: truncated fields");
  testing::ExpectOtherVersionsAreNotSupported(DecodeIngestStageRecord, valid);
  testing::ExpectEverySingleByteChangeIsCorruption(DecodeIngestStageRecord, valid);
}

}  // namespace
}  // namespace roxi::format
