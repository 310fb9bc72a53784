// Tests of format/meta_records.cc (FORMAT.md §3.6): the store, embedder and counters records.
#include "format/meta_records.h"

#include <gtest/gtest.h>

#include <string>

#include "format/coding.h"
#include "format/hash.h"
#include "format/vector_record.h"
#include "tests/format/canonical_records.h"
#include "tests/format/record_test_util.h"
#include "tests/support/allocation_probe.h"

namespace roxi::format {
namespace {

using testing::BytesToHex;
using testing::Seal;

template <class Record, class EncodeFn>
std::string EncodeWith(EncodeFn encode, const Record& r) {
  std::string s;
  encode(r, &s);
  return s;
}

std::string Encode(const StoreInfoRecord& r) { return EncodeWith(EncodeStoreInfoRecord, r); }
std::string Encode(const EmbedderRecord& r) { return EncodeWith(EncodeEmbedderRecord, r); }
std::string Encode(const CountersRecord& r) { return EncodeWith(EncodeCountersRecord, r); }

auto DecodeStoreInfo = [](std::string_view in) { return DecodeStoreInfoRecord(in); };
auto DecodeEmbedder = [](std::string_view in) { return DecodeEmbedderRecord(in); };
auto DecodeCounters = [](std::string_view in) { return DecodeCountersRecord(in); };

TEST(MetaRecordsTest, KeysAndSchemaVersion) {
  EXPECT_EQ(kMetaStoreKey, "store");
  EXPECT_EQ(kMetaEmbedderKey, "embedder");
  EXPECT_EQ(kMetaCountersKey, "counters");
  EXPECT_EQ(kSchemaVersion, 4u);
}

// ---- StoreInfoRecord

StoreInfoRecord MaximalStoreInfo() {
  StoreInfoRecord r;
  r.schema_version = ~uint32_t{0};
  r.store_id.fill(0xff);
  r.created_at_micros = ~uint64_t{0};
  r.created_by = std::string(kMaxCreatedByBytes, 'r');
  return r;
}

std::string StoreInfoBody(std::string_view store_id, std::string_view created_by) {
  std::string body = "\x01\x01";
  body += store_id;
  PutVarint64(&body, 0);
  PutLengthPrefixed(&body, created_by);
  return body;
}

TEST(StoreInfoRecordTest, RoundTrips) {
  for (const StoreInfoRecord& r :
       {testing::CanonicalStoreInfoRecord(), StoreInfoRecord{}, MaximalStoreInfo()}) {
    const auto decoded = DecodeStoreInfoRecord(Encode(r));
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ(*decoded, r);
  }
}

TEST(StoreInfoRecordTest, MatchesTheGrammar) {
  const StoreInfoRecord r = testing::CanonicalStoreInfoRecord();
  std::string expected = "\x01";
  PutVarint32(&expected, r.schema_version);
  expected.append(reinterpret_cast<const char*>(r.store_id.data()), 16);
  PutVarint64(&expected, r.created_at_micros);
  PutLengthPrefixed(&expected, r.created_by);
  EXPECT_EQ(BytesToHex(Encode(r)), BytesToHex(Seal(expected)));
}

TEST(StoreInfoRecordTest, EncodesFrozenV1Bytes) {
  EXPECT_EQ(BytesToHex(Encode(testing::CanonicalStoreInfoRecord())),
            BytesToHex(testing::ReadFrozenHex("store_info_record_v1.hex")));
}

TEST(StoreInfoRecordTest, ReencodesDecodedBytesIdentically) {
  for (const std::string& bytes : {testing::ReadFrozenHex("store_info_record_v1.hex"),
                                   Encode(StoreInfoRecord{}), Encode(MaximalStoreInfo())}) {
    const auto decoded = DecodeStoreInfoRecord(bytes);
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ(Encode(*decoded), bytes);
  }
}

TEST(StoreInfoRecordTest, DecodesANewerSchemaVersion) {
  // Refusing a newer schema is the store's decision (FORMAT.md §5), made with the number in hand.
  StoreInfoRecord r = testing::CanonicalStoreInfoRecord();
  r.schema_version = kSchemaVersion + 1;
  const auto decoded = DecodeStoreInfoRecord(Encode(r));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->schema_version, kSchemaVersion + 1);
}

TEST(StoreInfoRecordDeathTest, EncoderRefusesCreatedByOverLimit) {
  StoreInfoRecord r;
  r.created_by = std::string(kMaxCreatedByBytes + 1, 'r');
  std::string dst;
  EXPECT_DEATH(EncodeStoreInfoRecord(r, &dst), "check failed");
}

TEST(StoreInfoRecordTest, RejectsEveryTruncatedPrefix) {
  testing::ExpectEveryTruncatedPrefixIsCorruption(DecodeStoreInfo,
                                                  Encode(testing::CanonicalStoreInfoRecord()));
}

TEST(StoreInfoRecordTest, RejectsEverySingleByteChange) {
  testing::ExpectEverySingleByteChangeIsCorruption(DecodeStoreInfo,
                                                   Encode(testing::CanonicalStoreInfoRecord()));
}

TEST(StoreInfoRecordTest, RejectsUnknownVersionAsNotSupported) {
  testing::ExpectOtherVersionsAreNotSupported(DecodeStoreInfo,
                                              Encode(testing::CanonicalStoreInfoRecord()));
}

TEST(StoreInfoRecordTest, RejectsTrailingBytes) {
  testing::ExpectTrailingBytesAreCorruption(DecodeStoreInfo,
                                            Encode(testing::CanonicalStoreInfoRecord()));
}

TEST(StoreInfoRecordTest, RejectsEveryTruncatedBodyEvenWithAValidChecksum) {
  const std::string body = testing::Unseal(Encode(testing::CanonicalStoreInfoRecord()));
  for (size_t len = 1; len < body.size(); ++len) {
    EXPECT_EQ(DecodeStoreInfoRecord(Seal(body.substr(0, len))).status().ToString(),
              "corruption: store info record: truncated fields")
        << len;
  }
}

TEST(StoreInfoRecordTest, RejectsCreatedByOverLimitBeforeAllocating) {
  EXPECT_TRUE(DecodeStoreInfoRecord(
                  Seal(StoreInfoBody(std::string(16, 'i'), std::string(kMaxCreatedByBytes, 'r'))))
                  .ok());
  const std::string record =
      Seal(StoreInfoBody(std::string(16, 'i'), std::string(kMaxCreatedByBytes + 1, 'r')));
  const size_t largest = roxi::testing::LargestAllocationDuring(
      [&] { EXPECT_TRUE(DecodeStoreInfoRecord(record).status().IsCorruption()); });
  EXPECT_LT(largest, 128u);
}

// ---- EmbedderRecord

EmbedderRecord Embedder(std::string id, uint32_t dim) {
  EmbedderRecord r;
  r.fingerprint = Xxh3(id);
  r.id = std::move(id);
  r.dim = dim;
  return r;
}

std::string EmbedderBody(std::string_view id, uint64_t fingerprint, uint32_t dim) {
  std::string body = "\x01";
  PutLengthPrefixed(&body, id);
  PutFixed64(&body, fingerprint);
  PutVarint32(&body, dim);
  return body;
}

TEST(EmbedderRecordTest, RoundTrips) {
  for (const EmbedderRecord& r : {testing::CanonicalEmbedderRecord(), Embedder("x", 1),
                                  Embedder(std::string(kMaxEmbedderIdBytes, 'e'), kMaxDim)}) {
    const auto decoded = DecodeEmbedderRecord(Encode(r));
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ(*decoded, r);
  }
}

TEST(EmbedderRecordTest, MatchesTheGrammar) {
  const EmbedderRecord r = testing::CanonicalEmbedderRecord();
  EXPECT_EQ(BytesToHex(Encode(r)), BytesToHex(Seal(EmbedderBody(r.id, r.fingerprint, r.dim))));
}

TEST(EmbedderRecordTest, EncodesFrozenV1Bytes) {
  EXPECT_EQ(BytesToHex(Encode(testing::CanonicalEmbedderRecord())),
            BytesToHex(testing::ReadFrozenHex("embedder_record_v1.hex")));
}

TEST(EmbedderRecordTest, ReencodesDecodedBytesIdentically) {
  for (const std::string& bytes :
       {testing::ReadFrozenHex("embedder_record_v1.hex"), Encode(Embedder("x", 1))}) {
    const auto decoded = DecodeEmbedderRecord(bytes);
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ(Encode(*decoded), bytes);
  }
}

TEST(EmbedderRecordDeathTest, EncoderRefusesWhatTheDecoderRejects) {
  std::string dst;
  EXPECT_DEATH(EncodeEmbedderRecord(Embedder("", 4), &dst), "check failed");
  EXPECT_DEATH(EncodeEmbedderRecord(Embedder(std::string(kMaxEmbedderIdBytes + 1, 'e'), 4), &dst),
               "check failed");
  EXPECT_DEATH(EncodeEmbedderRecord(Embedder("x", 0), &dst), "check failed");
  EXPECT_DEATH(EncodeEmbedderRecord(Embedder("x", kMaxDim + 1), &dst), "check failed");
  EmbedderRecord wrong_fingerprint = Embedder("x", 4);
  wrong_fingerprint.fingerprint ^= 1;
  EXPECT_DEATH(EncodeEmbedderRecord(wrong_fingerprint, &dst), "check failed");
}

TEST(EmbedderRecordTest, RejectsEveryTruncatedPrefix) {
  testing::ExpectEveryTruncatedPrefixIsCorruption(DecodeEmbedder,
                                                  Encode(testing::CanonicalEmbedderRecord()));
}

TEST(EmbedderRecordTest, RejectsEverySingleByteChange) {
  testing::ExpectEverySingleByteChangeIsCorruption(DecodeEmbedder,
                                                   Encode(testing::CanonicalEmbedderRecord()));
}

TEST(EmbedderRecordTest, RejectsUnknownVersionAsNotSupported) {
  testing::ExpectOtherVersionsAreNotSupported(DecodeEmbedder,
                                              Encode(testing::CanonicalEmbedderRecord()));
}

TEST(EmbedderRecordTest, RejectsTrailingBytes) {
  testing::ExpectTrailingBytesAreCorruption(DecodeEmbedder,
                                            Encode(testing::CanonicalEmbedderRecord()));
}

TEST(EmbedderRecordTest, RejectsEveryTruncatedBodyEvenWithAValidChecksum) {
  const std::string body = testing::Unseal(Encode(testing::CanonicalEmbedderRecord()));
  for (size_t len = 1; len < body.size(); ++len) {
    const auto result = DecodeEmbedderRecord(Seal(body.substr(0, len)));
    EXPECT_TRUE(result.status().IsCorruption()) << len << ": " << result.status().ToString();
  }
}

TEST(EmbedderRecordTest, RejectsEmptyId) {
  EXPECT_EQ(DecodeEmbedderRecord(Seal(EmbedderBody("", Xxh3(""), 4))).status().ToString(),
            "corruption: embedder record: bad id");
}

TEST(EmbedderRecordTest, RejectsIdOverLimitBeforeAllocating) {
  const std::string id(kMaxEmbedderIdBytes + 1, 'e');
  const std::string record = Seal(EmbedderBody(id, Xxh3(id), 4));
  const size_t largest = roxi::testing::LargestAllocationDuring([&] {
    EXPECT_EQ(DecodeEmbedderRecord(record).status().ToString(),
              "corruption: embedder record: bad id");
  });
  EXPECT_LT(largest, 128u);
}

TEST(EmbedderRecordTest, RejectsDimensionOutOfRange) {
  for (uint32_t dim : {0u, kMaxDim + 1, ~uint32_t{0}}) {
    EXPECT_EQ(DecodeEmbedderRecord(Seal(EmbedderBody("x", Xxh3("x"), dim))).status().ToString(),
              "corruption: embedder record: dimension " + std::to_string(dim));
  }
}

TEST(EmbedderRecordTest, RejectsFingerprintNotMatchingId) {
  EXPECT_EQ(DecodeEmbedderRecord(Seal(EmbedderBody("x", Xxh3("y"), 4))).status().ToString(),
            "corruption: embedder record: fingerprint does not match id");
}

// ---- CountersRecord

CountersRecord MaximalCounters() {
  CountersRecord r;
  r.documents = ~uint64_t{0};
  r.chunks = ~uint64_t{0};
  r.embedded = ~uint64_t{0} - 2;
  r.pending = 1;
  r.failed = 1;
  r.next_document_id = ~uint64_t{0};
  r.embeddings_reused = ~uint64_t{0};
  return r;
}

std::string CountersBody(std::initializer_list<uint64_t> values) {
  std::string body = "\x01";
  for (uint64_t v : values) PutVarint64(&body, v);
  return body;
}

TEST(CountersRecordTest, RoundTrips) {
  for (const CountersRecord& r :
       {testing::CanonicalCountersRecord(), CountersRecord{}, MaximalCounters()}) {
    const auto decoded = DecodeCountersRecord(Encode(r));
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ(*decoded, r);
  }
}

TEST(CountersRecordTest, MatchesTheGrammar) {
  const CountersRecord r = testing::CanonicalCountersRecord();
  EXPECT_EQ(BytesToHex(Encode(r)),
            BytesToHex(Seal(CountersBody({r.documents, r.chunks, r.embedded, r.pending, r.failed,
                                          r.next_document_id, r.embeddings_reused}))));
}

TEST(CountersRecordTest, EncodesFrozenV1Bytes) {
  EXPECT_EQ(BytesToHex(Encode(testing::CanonicalCountersRecord())),
            BytesToHex(testing::ReadFrozenHex("counters_record_v1.hex")));
}

TEST(CountersRecordTest, ReencodesDecodedBytesIdentically) {
  for (const std::string& bytes : {testing::ReadFrozenHex("counters_record_v1.hex"),
                                   Encode(CountersRecord{}), Encode(MaximalCounters())}) {
    const auto decoded = DecodeCountersRecord(bytes);
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ(Encode(*decoded), bytes);
  }
}

TEST(CountersRecordDeathTest, EncoderRefusesWhatTheDecoderRejects) {
  std::string dst;
  CountersRecord r;
  r.next_document_id = 0;
  EXPECT_DEATH(EncodeCountersRecord(r, &dst), "check failed");
  r = testing::CanonicalCountersRecord();
  ++r.pending;
  EXPECT_DEATH(EncodeCountersRecord(r, &dst), "check failed");
  r = testing::CanonicalCountersRecord();
  r.pending = ~uint64_t{0};  // underflowed
  r.embedded += 1;           // and miscounted so that the sum wraps to chunks
  EXPECT_DEATH(EncodeCountersRecord(r, &dst), "check failed");
}

TEST(CountersRecordTest, RejectsEveryTruncatedPrefix) {
  testing::ExpectEveryTruncatedPrefixIsCorruption(DecodeCounters,
                                                  Encode(testing::CanonicalCountersRecord()));
}

TEST(CountersRecordTest, RejectsEverySingleByteChange) {
  testing::ExpectEverySingleByteChangeIsCorruption(DecodeCounters,
                                                   Encode(testing::CanonicalCountersRecord()));
}

TEST(CountersRecordTest, RejectsUnknownVersionAsNotSupported) {
  testing::ExpectOtherVersionsAreNotSupported(DecodeCounters,
                                              Encode(testing::CanonicalCountersRecord()));
}

TEST(CountersRecordTest, RejectsTrailingBytes) {
  testing::ExpectTrailingBytesAreCorruption(DecodeCounters,
                                            Encode(testing::CanonicalCountersRecord()));
}

TEST(CountersRecordTest, RejectsEveryTruncatedBodyEvenWithAValidChecksum) {
  const std::string body = testing::Unseal(Encode(testing::CanonicalCountersRecord()));
  for (size_t len = 1; len < body.size(); ++len) {
    EXPECT_EQ(DecodeCountersRecord(Seal(body.substr(0, len))).status().ToString(),
              "corruption: counters record: truncated fields")
        << len;
  }
}

TEST(CountersRecordTest, RejectsNextDocumentIdZero) {
  EXPECT_EQ(DecodeCountersRecord(Seal(CountersBody({0, 0, 0, 0, 0, 0, 0}))).status().ToString(),
            "corruption: counters record: next document id is 0");
}

TEST(CountersRecordTest, RejectsStateCountsNotSummingToChunks) {
  EXPECT_EQ(DecodeCountersRecord(Seal(CountersBody({3, 10, 7, 2, 0, 4, 0}))).status().ToString(),
            "corruption: counters record: embedded + pending + failed != chunks");
}

TEST(CountersRecordTest, RejectsStateCountsThatSumToChunksOnlyModulo2To64) {
  // Regression: the decoder added embedded + pending + failed in uint64_t, so counters in which a
  // count had underflowed to 2^64 - 1 wrapped around to `chunks` and were accepted, hiding exactly
  // the miscount the check exists to catch. Found by counters_fuzz; its input is kept as
  // tests/fuzz/corpus/counters/regression_state_counts_wrap_around.
  const uint64_t kMinusOne = ~uint64_t{0};
  for (const std::string& body :
       {CountersBody({589, 5, 1, kMinusOne, 5, 47, 589}),  // the fuzzer's input
        CountersBody({0, 0, 1, kMinusOne, 0, 1, 0}),       // one chunk removed twice
        CountersBody({0, 4, uint64_t{1} << 63, uint64_t{1} << 63, 4, 1, 0}),
        CountersBody({0, 4, kMinusOne, kMinusOne, 6, 1, 0})}) {
    EXPECT_EQ(DecodeCountersRecord(Seal(body)).status().ToString(),
              "corruption: counters record: embedded + pending + failed != chunks");
  }
  // Counts at the top of the range that really do sum to chunks are accepted.
  EXPECT_TRUE(
      DecodeCountersRecord(Seal(CountersBody({0, kMinusOne, kMinusOne - 1, 1, 0, 1, 0}))).ok());
}

}  // namespace
}  // namespace roxi::format
