// Tests of format/checkpoint_record.cc (FORMAT.md §3.5).
#include "format/checkpoint_record.h"

#include <gtest/gtest.h>

#include <string>

#include "format/coding.h"
#include "tests/format/canonical_records.h"
#include "tests/format/record_test_util.h"

namespace roxi::format {
namespace {

using testing::BytesToHex;
using testing::CanonicalCheckpointRecord;
using testing::Seal;

std::string Encode(const CheckpointRecord& r) {
  std::string s;
  EncodeCheckpointRecord(r, &s);
  return s;
}

CheckpointRecord Maximal() {
  CheckpointRecord r;
  r.batches_committed = ~uint64_t{0};
  r.chunks_embedded = ~uint64_t{0};
  r.chunks_failed = ~uint64_t{0};
  r.last_chunk_id = ~uint64_t{0};
  r.last_batch_size = ~uint32_t{0};
  r.last_batch_micros = ~uint64_t{0};
  r.updated_at_micros = ~uint64_t{0};
  return r;
}

auto Decode = [](std::string_view in) { return DecodeCheckpointRecord(in); };

TEST(CheckpointRecordTest, RoundTrips) {
  for (const CheckpointRecord& r : {CanonicalCheckpointRecord(), CheckpointRecord{}, Maximal()}) {
    const auto decoded = DecodeCheckpointRecord(Encode(r));
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ(*decoded, r);
  }
}

TEST(CheckpointRecordTest, MatchesTheGrammar) {
  const CheckpointRecord r = CanonicalCheckpointRecord();
  std::string expected = "\x01";
  PutVarint64(&expected, r.batches_committed);
  PutVarint64(&expected, r.chunks_embedded);
  PutVarint64(&expected, r.chunks_failed);
  PutFixed64(&expected, r.last_chunk_id);
  PutVarint32(&expected, r.last_batch_size);
  PutVarint64(&expected, r.last_batch_micros);
  PutVarint64(&expected, r.updated_at_micros);
  EXPECT_EQ(BytesToHex(Encode(r)), BytesToHex(Seal(expected)));
}

TEST(CheckpointRecordTest, EncodesFrozenV1Bytes) {
  EXPECT_EQ(BytesToHex(Encode(CanonicalCheckpointRecord())),
            BytesToHex(testing::ReadFrozenHex("checkpoint_record_v1.hex")));
}

TEST(CheckpointRecordTest, ReencodesDecodedBytesIdentically) {
  for (const std::string& bytes : {testing::ReadFrozenHex("checkpoint_record_v1.hex"),
                                   Encode(CheckpointRecord{}), Encode(Maximal())}) {
    const auto decoded = DecodeCheckpointRecord(bytes);
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ(Encode(*decoded), bytes);
  }
}

TEST(CheckpointRecordTest, RejectsEveryTruncatedPrefix) {
  testing::ExpectEveryTruncatedPrefixIsCorruption(Decode, Encode(CanonicalCheckpointRecord()));
  testing::ExpectEveryTruncatedPrefixIsCorruption(Decode, Encode(CheckpointRecord{}));
}

TEST(CheckpointRecordTest, RejectsEverySingleByteChange) {
  testing::ExpectEverySingleByteChangeIsCorruption(Decode, Encode(CanonicalCheckpointRecord()));
}

TEST(CheckpointRecordTest, RejectsUnknownVersionAsNotSupported) {
  testing::ExpectOtherVersionsAreNotSupported(Decode, Encode(CanonicalCheckpointRecord()));
}

TEST(CheckpointRecordTest, RejectsTrailingBytes) {
  testing::ExpectTrailingBytesAreCorruption(Decode, Encode(CanonicalCheckpointRecord()));
}

TEST(CheckpointRecordTest, RejectsEveryTruncatedBodyEvenWithAValidChecksum) {
  const std::string body = testing::Unseal(Encode(Maximal()));
  for (size_t len = 1; len < body.size(); ++len) {
    const auto result = DecodeCheckpointRecord(Seal(body.substr(0, len)));
    EXPECT_EQ(result.status().ToString(), "corruption: checkpoint record: truncated fields") << len;
  }
}

TEST(CheckpointRecordTest, RejectsOverlongVarint) {
  std::string body = "\x01";
  body += std::string("\x81\x00", 2);  // batches_committed 1, non-canonically
  PutVarint64(&body, 0);
  PutVarint64(&body, 0);
  PutFixed64(&body, 0);
  body += std::string(3, '\0');
  EXPECT_TRUE(DecodeCheckpointRecord(Seal(body)).status().IsCorruption());
}

TEST(CheckpointRecordTest, RejectsLastBatchSizeBeyondThirtyTwoBits) {
  std::string body = "\x01";
  body += std::string(3, '\0');
  PutFixed64(&body, 0);
  PutVarint64(&body, uint64_t{1} << 32);
  body += std::string(2, '\0');
  EXPECT_TRUE(DecodeCheckpointRecord(Seal(body)).status().IsCorruption());
}

}  // namespace
}  // namespace roxi::format
