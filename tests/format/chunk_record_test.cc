// Tests of format/chunk_record.cc (FORMAT.md §3.3).
#include "format/chunk_record.h"

#include <gtest/gtest.h>

#include <string>

#include "format/coding.h"
#include "format/hash.h"
#include "tests/format/canonical_records.h"
#include "tests/format/record_test_util.h"
#include "tests/support/allocation_probe.h"

namespace roxi::format {
namespace {

using testing::BytesToHex;
using testing::CanonicalChunkRecord;
using testing::Seal;

std::string Encode(const ChunkRecord& r) {
  std::string s;
  EncodeChunkRecord(r, &s);
  return s;
}

ChunkRecord Minimal() {
  ChunkRecord r;
  r.text_hash = Xxh3("");
  return r;
}

ChunkRecord Maximal() {
  ChunkRecord r;
  r.state = ChunkState::kEmbedded;
  r.attempts = ~uint32_t{0};
  r.byte_offset = ~uint64_t{0};
  r.text = std::string(kMaxChunkTextBytes, 't');
  r.text_hash = Xxh3(r.text);
  r.last_error = std::string(kMaxErrorBytes, 'e');
  return r;
}

// A v1 body (no checksum) with the given state, text, stored hash and error.
std::string Body(uint8_t state, std::string_view text, uint64_t text_hash,
                 std::string_view error = "") {
  std::string body(1, static_cast<char>(kChunkRecordV1));
  body.push_back(static_cast<char>(state));
  PutVarint32(&body, 0);
  PutVarint64(&body, 0);
  PutFixed64(&body, text_hash);
  PutLengthPrefixed(&body, text);
  PutLengthPrefixed(&body, error);
  return body;
}

auto Decode = [](std::string_view in) { return DecodeChunkRecord(in); };

TEST(ChunkRecordTest, RoundTrips) {
  for (const ChunkRecord& r : {CanonicalChunkRecord(), Minimal(), Maximal()}) {
    const auto decoded = DecodeChunkRecord(Encode(r));
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ(*decoded, r);
  }
}

TEST(ChunkRecordTest, RoundTripsEveryState) {
  for (ChunkState state : {ChunkState::kPending, ChunkState::kEmbedded, ChunkState::kFailed}) {
    ChunkRecord r = CanonicalChunkRecord();
    r.state = state;
    const auto decoded = DecodeChunkRecord(Encode(r));
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ(decoded->state, state);
  }
}

TEST(ChunkRecordTest, MatchesTheGrammar) {
  const ChunkRecord r = CanonicalChunkRecord();
  std::string expected = "\x01";
  expected.push_back(static_cast<char>(r.state));
  PutVarint32(&expected, r.attempts);
  PutVarint64(&expected, r.byte_offset);
  PutFixed64(&expected, Xxh3(r.text));
  PutLengthPrefixed(&expected, r.text);
  PutLengthPrefixed(&expected, r.last_error);
  EXPECT_EQ(BytesToHex(Encode(r)), BytesToHex(Seal(expected)));
}

TEST(ChunkRecordTest, EncodesFrozenV1Bytes) {
  EXPECT_EQ(BytesToHex(Encode(CanonicalChunkRecord())),
            BytesToHex(testing::ReadFrozenHex("chunk_record_v1.hex")));
}

TEST(ChunkRecordTest, ReencodesDecodedBytesIdentically) {
  for (const std::string& bytes :
       {testing::ReadFrozenHex("chunk_record_v1.hex"), Encode(Minimal()), Encode(Maximal())}) {
    const auto decoded = DecodeChunkRecord(bytes);
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ(Encode(*decoded), bytes);
  }
}

TEST(ChunkRecordTest, EncoderWritesTheHashOfTheText) {
  // The stored text_hash is always computed from the text; the field of the argument is ignored.
  ChunkRecord r = CanonicalChunkRecord();
  r.text_hash = 12345;
  EXPECT_EQ(Encode(r), Encode(CanonicalChunkRecord()));
}

TEST(ChunkRecordTest, EncoderTruncatesLastErrorToTheLimit) {
  ChunkRecord r = Minimal();
  r.last_error = std::string(kMaxErrorBytes + 100, 'e');
  const auto decoded = DecodeChunkRecord(Encode(r));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->last_error, std::string(kMaxErrorBytes, 'e'));
}

TEST(ChunkRecordDeathTest, EncoderRefusesTextOverLimit) {
  ChunkRecord r;
  r.text = std::string(kMaxChunkTextBytes + 1, 't');
  std::string dst;
  EXPECT_DEATH(EncodeChunkRecord(r, &dst), "check failed");
}

TEST(ChunkRecordDeathTest, EncoderRefusesUnknownState) {
  ChunkRecord r;
  r.state = static_cast<ChunkState>(3);
  std::string dst;
  EXPECT_DEATH(EncodeChunkRecord(r, &dst), "check failed");
}

TEST(ChunkRecordTest, RejectsEveryTruncatedPrefix) {
  testing::ExpectEveryTruncatedPrefixIsCorruption(Decode, Encode(CanonicalChunkRecord()));
  testing::ExpectEveryTruncatedPrefixIsCorruption(Decode, Encode(Minimal()));
}

TEST(ChunkRecordTest, RejectsEverySingleByteChange) {
  testing::ExpectEverySingleByteChangeIsCorruption(Decode, Encode(CanonicalChunkRecord()));
}

TEST(ChunkRecordTest, RejectsUnknownVersionAsNotSupported) {
  testing::ExpectOtherVersionsAreNotSupported(Decode, Encode(CanonicalChunkRecord()));
}

TEST(ChunkRecordTest, RejectsTrailingBytes) {
  testing::ExpectTrailingBytesAreCorruption(Decode, Encode(CanonicalChunkRecord()));
}

TEST(ChunkRecordTest, RejectsEveryTruncatedBodyEvenWithAValidChecksum) {
  const std::string body = testing::Unseal(Encode(CanonicalChunkRecord()));
  for (size_t len = 1; len < body.size(); ++len) {
    const auto result = DecodeChunkRecord(Seal(body.substr(0, len)));
    EXPECT_TRUE(result.status().IsCorruption()) << len << ": " << result.status().ToString();
  }
}

TEST(ChunkRecordTest, RejectsUnknownState) {
  for (int state : {3, 0x80, 0xff}) {
    EXPECT_EQ(DecodeChunkRecord(Seal(Body(static_cast<uint8_t>(state), "", Xxh3(""))))
                  .status()
                  .ToString(),
              "corruption: chunk record: unknown state " + std::to_string(state));
  }
}

TEST(ChunkRecordTest, RejectsTextHashMismatch) {
  EXPECT_TRUE(DecodeChunkRecord(Seal(Body(0, "text", Xxh3("text")))).ok());
  EXPECT_EQ(DecodeChunkRecord(Seal(Body(0, "text", Xxh3("Text")))).status().ToString(),
            "corruption: chunk record: text hash does not match text");
}

TEST(ChunkRecordTest, RejectsTextOverLimitBeforeAllocating) {
  const std::string text(kMaxChunkTextBytes + 1, 't');
  const std::string record = Seal(Body(0, text, Xxh3(text)));
  const size_t largest = roxi::testing::LargestAllocationDuring([&] {
    EXPECT_EQ(DecodeChunkRecord(record).status().ToString(), "corruption: chunk record: bad text");
  });
  EXPECT_LT(largest, 256u);
}

TEST(ChunkRecordTest, RejectsLastErrorOverLimitBeforeAllocating) {
  const std::string record = Seal(Body(2, "", Xxh3(""), std::string(kMaxErrorBytes + 1, 'e')));
  const size_t largest = roxi::testing::LargestAllocationDuring([&] {
    EXPECT_EQ(DecodeChunkRecord(record).status().ToString(),
              "corruption: chunk record: bad last error");
  });
  EXPECT_LT(largest, 256u);
}

TEST(ChunkRecordTest, RejectsAttemptsBeyondThirtyTwoBits) {
  std::string body = "\x01\x02";
  PutVarint64(&body, uint64_t{1} << 32);
  PutVarint64(&body, 0);
  PutFixed64(&body, Xxh3(""));
  PutLengthPrefixed(&body, "");
  PutLengthPrefixed(&body, "");
  EXPECT_EQ(DecodeChunkRecord(Seal(body)).status().ToString(),
            "corruption: chunk record: truncated fields");
}

TEST(ChunkRecordTest, StateNames) {
  EXPECT_EQ(ChunkStateName(ChunkState::kPending), "pending");
  EXPECT_EQ(ChunkStateName(ChunkState::kEmbedded), "embedded");
  EXPECT_EQ(ChunkStateName(ChunkState::kFailed), "failed");
}

}  // namespace
}  // namespace roxi::format
