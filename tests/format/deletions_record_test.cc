// Tests of format/deletions_record.cc (FORMAT.md §3.8).
#include "format/deletions_record.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>

#include "tests/format/canonical_records.h"
#include "tests/format/record_test_util.h"

namespace roxi::format {
namespace {

using testing::BytesToHex;

std::string Encode(const DeletionsRecord& r) {
  std::string out;
  EncodeDeletionsRecord(r, &out);
  return out;
}

TEST(DeletionsRecordTest, KeyAndVersion) {
  EXPECT_EQ(kMetaDeletionsKey, "deletions");
  EXPECT_EQ(kDeletionsRecordV1, 1);
}

TEST(DeletionsRecordTest, EncodesFrozenV1Bytes) {
  EXPECT_EQ(BytesToHex(Encode(testing::CanonicalDeletionsRecord())),
            BytesToHex(testing::ReadFrozenHex("deletions_record_v1.hex")));
}

TEST(DeletionsRecordTest, RoundTripsZeroAndMaximalValues) {
  DeletionsRecord max;
  max.documents = max.chunks = max.last_deleted_at_micros = std::numeric_limits<uint64_t>::max();
  for (const DeletionsRecord& r : {DeletionsRecord{}, testing::CanonicalDeletionsRecord(), max}) {
    const std::string bytes = Encode(r);
    const auto decoded = DecodeDeletionsRecord(bytes);
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ(*decoded, r);
    EXPECT_EQ(Encode(*decoded), bytes);
  }
}

TEST(DeletionsRecordTest, RejectsEveryTruncatedPrefix) {
  testing::ExpectEveryTruncatedPrefixIsCorruption(DecodeDeletionsRecord,
                                                  Encode(testing::CanonicalDeletionsRecord()));
}

TEST(DeletionsRecordTest, RejectsTrailingBytesMissingFieldsAndOtherVersions) {
  const std::string valid = Encode(testing::CanonicalDeletionsRecord());
  EXPECT_EQ(DecodeDeletionsRecord(testing::WithTrailingBytes(valid, "x")).status().ToString(),
            "corruption: deletions record: 1 trailing bytes");
  EXPECT_EQ(DecodeDeletionsRecord(testing::Seal(std::string("\x01\x0c", 2))).status().ToString(),
            "corruption: deletions record: truncated fields");
  testing::ExpectOtherVersionsAreNotSupported(DecodeDeletionsRecord, valid);
  testing::ExpectEverySingleByteChangeIsCorruption(DecodeDeletionsRecord, valid);
}

}  // namespace
}  // namespace roxi::format
