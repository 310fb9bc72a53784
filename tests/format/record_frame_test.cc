// Tests of format/record_frame.cc (FORMAT.md §1.3): the frame every value record shares,
// version: u8 | body | xxh3: fixed64 of every preceding byte.
#include "format/record_frame.h"

#include <gtest/gtest.h>

#include <string>

#include "format/coding.h"
#include "format/hash.h"
#include "tests/format/record_test_util.h"

namespace roxi::format {
namespace {

using testing::BytesToHex;

TEST(RecordFrameTest, SealAppendsXxh3OfTheRecordOnly) {
  std::string dst = "prefix";
  const size_t start = dst.size();
  dst +=
      "\x01"
      "body";
  SealRecord(&dst, start);
  ASSERT_EQ(dst.size(), start + 5 + kXxh3Size);
  EXPECT_EQ(DecodeFixed64(dst.data() + start + 5), Xxh3("\x01"
                                                        "body"));
  EXPECT_EQ(dst.substr(0, start), "prefix");
}

TEST(RecordFrameTest, EncodingOutput) {
  std::string record = "\x01";
  SealRecord(&record, 0);
  EXPECT_EQ(BytesToHex(record), "01" + BytesToHex([] {
                                  std::string c;
                                  PutFixed64(&c, Xxh3("\x01"));
                                  return c;
                                }()));
}

TEST(RecordFrameTest, OpenReturnsTheBody) {
  const std::string record = testing::Seal(
      "\x07"
      "payload");
  const auto body = OpenRecord(record, "test record", 7);
  ASSERT_TRUE(body.ok()) << body.status().ToString();
  EXPECT_EQ(*body, "payload");
}

TEST(RecordFrameTest, OpenAcceptsAnEmptyBody) {
  const std::string record = testing::Seal("\x01");
  const auto body = OpenRecord(record, "test record", 1);
  ASSERT_TRUE(body.ok()) << body.status().ToString();
  EXPECT_TRUE(body->empty());
}

TEST(RecordFrameTest, OpenRejectsEveryTruncatedPrefix) {
  const std::string record = testing::Seal(
      "\x01"
      "payload");
  testing::ExpectEveryTruncatedPrefixIsCorruption(
      [](std::string_view in) { return OpenRecord(in, "test record", 1); }, record);
  const auto result = OpenRecord(record.substr(0, 8), "test record", 1);
  EXPECT_EQ(result.status().ToString(), "corruption: test record: too short (8 bytes)");
}

TEST(RecordFrameTest, OpenRejectsEverySingleByteChange) {
  testing::ExpectEverySingleByteChangeIsCorruption(
      [](std::string_view in) { return OpenRecord(in, "test record", 1); },
      testing::Seal("\x01"
                    "payload"));
}

TEST(RecordFrameTest, ChecksumCoversTheVersionByte) {
  // A version byte changed without re-sealing is damage, not a newer record.
  std::string record = testing::Seal(
      "\x01"
      "payload");
  record[0] = 2;
  const auto result = OpenRecord(record, "test record", 1);
  EXPECT_EQ(result.status().ToString(), "corruption: test record: checksum mismatch");
}

TEST(RecordFrameTest, OpenRejectsAnotherVersionAsNotSupported) {
  const auto result = OpenRecord(testing::Seal("\x02"
                                               "payload"),
                                 "test record", 1);
  EXPECT_EQ(result.status().ToString(),
            "not supported: test record: version 2 (this roxi reads 1)");
}

TEST(RecordFrameTest, BadRecordIsCorruptionNamingTheRecord) {
  EXPECT_EQ(BadRecord("chunk record", "bad text").ToString(), "corruption: chunk record: bad text");
}

}  // namespace
}  // namespace roxi::format
