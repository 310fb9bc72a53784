// Tests of format/keys.cc (FORMAT.md §2): ChunkId packing, exact key bytes, key order, chunk
// ranges, and the key decoders' rejection of bad lengths and ids.
#include "format/keys.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <unordered_set>
#include <vector>

#include "format/coding.h"
#include "tests/format/record_test_util.h"

namespace roxi::format {
namespace {

using testing::BytesToHex;

TEST(KeysTest, ChunkIdPacksDocumentAboveChunkNumber) {
  const ChunkId id = MakeChunkId(DocumentId{42}, 7);
  EXPECT_EQ(id.value, (uint64_t{42} << 24) | 7);
  EXPECT_EQ(DocumentOf(id), DocumentId{42});
  EXPECT_EQ(ChunkNumberOf(id), 7u);

  const ChunkId last = MakeChunkId(DocumentId{kMaxDocumentId}, kMaxChunkNumber);
  EXPECT_EQ(last.value, (uint64_t{1} << 63) - 1);  // fits a non-negative int64 FAISS label
  EXPECT_EQ(DocumentOf(last), DocumentId{kMaxDocumentId});
  EXPECT_EQ(ChunkNumberOf(last), kMaxChunkNumber);
  EXPECT_EQ(ChunkNumberOf(MakeChunkId(DocumentId{1}, 0)), 0u);
}

TEST(KeysTest, LimitsAreTheDocumentedWidths) {
  EXPECT_EQ(kMaxDocumentId, (uint64_t{1} << 39) - 1);
  EXPECT_EQ(kMaxChunkNumber, (uint32_t{1} << 24) - 1);
  EXPECT_EQ(kIdKeySize, 8u);
  EXPECT_EQ(kMaxDocumentNameBytes, 4096u);
}

TEST(KeysDeathTest, MakeChunkIdRefusesOutOfRangeParts) {
  EXPECT_DEATH(MakeChunkId(DocumentId{kMaxDocumentId + 1}, 0), "check failed");
  EXPECT_DEATH(MakeChunkId(DocumentId{1}, kMaxChunkNumber + 1), "check failed");
}

TEST(KeysTest, KeysAreEightBigEndianBytes) {
  EXPECT_EQ(BytesToHex(EncodeDocumentKey(DocumentId{1})), "0000000000000001");
  EXPECT_EQ(BytesToHex(EncodeDocumentKey(DocumentId{0x0102030405})), "0000000102030405");
  EXPECT_EQ(BytesToHex(EncodeDocumentKey(DocumentId{kMaxDocumentId})), "0000007fffffffff");
  EXPECT_EQ(BytesToHex(EncodeChunkKey(MakeChunkId(DocumentId{42}, 7))), "000000002a000007");
  EXPECT_EQ(BytesToHex(EncodeChunkKey(MakeChunkId(DocumentId{kMaxDocumentId}, kMaxChunkNumber))),
            "7fffffffffffffff");
}

TEST(KeysTest, KeyOrderIsNumericOrder) {
  std::vector<uint64_t> docs = {1, 2, 255, 256, 65535, 65536, kMaxDocumentId - 1, kMaxDocumentId};
  std::mt19937_64 rng(7);
  for (int i = 0; i < 500; ++i) docs.push_back(1 + rng() % kMaxDocumentId);
  std::sort(docs.begin(), docs.end());
  for (size_t i = 1; i < docs.size(); ++i) {
    EXPECT_LE(EncodeDocumentKey(DocumentId{docs[i - 1]}), EncodeDocumentKey(DocumentId{docs[i]}));
  }
}

TEST(KeysTest, ChunkKeysSortByDocumentThenChunkNumber) {
  std::vector<ChunkId> ids;
  for (uint64_t doc : std::vector<uint64_t>{1, 2, 255, 256, kMaxDocumentId}) {
    for (uint32_t n : {0u, 1u, 255u, 256u, 65536u, kMaxChunkNumber}) {
      ids.push_back(MakeChunkId(DocumentId{doc}, n));
    }
  }
  std::vector<std::string> keys;
  for (ChunkId id : ids) keys.push_back(EncodeChunkKey(id));
  // `ids` was built in (document, number) order; the keys are already sorted byte-wise.
  EXPECT_TRUE(std::is_sorted(keys.begin(), keys.end()));
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
}

TEST(KeysTest, ChunkKeyRangeCoversExactlyOneDocument) {
  for (uint64_t doc : std::vector<uint64_t>{1, 2, 1000, kMaxDocumentId - 1, kMaxDocumentId}) {
    const DocumentId d{doc};
    const std::string begin = ChunkKeyRangeBegin(d);
    const std::string end = ChunkKeyRangeEnd(d);
    EXPECT_EQ(begin, EncodeChunkKey(MakeChunkId(d, 0)));
    EXPECT_EQ(DecodeBigEndian64(end.data()), (doc + 1) << 24);
    EXPECT_LT(begin, end);
    for (uint32_t n : {0u, 1u, kMaxChunkNumber}) {
      const std::string key = EncodeChunkKey(MakeChunkId(d, n));
      EXPECT_LE(begin, key);
      EXPECT_LT(key, end);
    }
    EXPECT_LT(EncodeChunkKey(MakeChunkId(DocumentId{doc - 1}, kMaxChunkNumber)), begin);
    if (doc < kMaxDocumentId) {
      EXPECT_EQ(end, EncodeChunkKey(MakeChunkId(DocumentId{doc + 1}, 0)));
    }
  }
  // The end of the last document is the first id past every chunk key: 2^63.
  EXPECT_EQ(BytesToHex(ChunkKeyRangeEnd(DocumentId{kMaxDocumentId})), "8000000000000000");
}

TEST(KeysTest, DocumentKeyRoundTrips) {
  for (uint64_t doc : std::vector<uint64_t>{1, 42, 0x0102030405, kMaxDocumentId}) {
    const auto decoded = DecodeDocumentKey(EncodeDocumentKey(DocumentId{doc}));
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ(decoded->value, doc);
  }
}

TEST(KeysTest, DocumentKeyRejectsBadLengths) {
  const std::string key = EncodeDocumentKey(DocumentId{42});
  for (size_t len : {0, 1, 7}) {
    EXPECT_TRUE(DecodeDocumentKey(key.substr(0, len)).status().IsCorruption()) << len;
  }
  EXPECT_TRUE(DecodeDocumentKey(key + std::string(1, '\0')).status().IsCorruption());
  EXPECT_TRUE(DecodeDocumentKey(key + key).status().IsCorruption());
}

TEST(KeysTest, DocumentKeyRejectsIdsOutOfRange) {
  EXPECT_TRUE(DecodeDocumentKey(std::string(8, '\0')).status().IsCorruption());
  std::string over;
  PutBigEndian64(&over, kMaxDocumentId + 1);
  const auto result = DecodeDocumentKey(over);
  EXPECT_TRUE(result.status().IsCorruption());
  EXPECT_EQ(result.status().message(), "document key: id 549755813888 out of range");
  EXPECT_TRUE(DecodeDocumentKey(std::string(8, '\xff')).status().IsCorruption());
}

TEST(KeysTest, ChunkKeyRoundTrips) {
  for (uint64_t doc : std::vector<uint64_t>{1, 42, kMaxDocumentId}) {
    for (uint32_t n : {0u, 7u, kMaxChunkNumber}) {
      const ChunkId id = MakeChunkId(DocumentId{doc}, n);
      const auto decoded = DecodeChunkKey(EncodeChunkKey(id));
      ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
      EXPECT_EQ(*decoded, id);
    }
  }
}

TEST(KeysTest, ChunkKeyRejectsBadLengths) {
  const std::string key = EncodeChunkKey(MakeChunkId(DocumentId{42}, 7));
  for (size_t len = 0; len < key.size(); ++len) {
    const auto result = DecodeChunkKey(key.substr(0, len));
    EXPECT_TRUE(result.status().IsCorruption()) << len;
  }
  const auto result = DecodeChunkKey(key + "x");
  EXPECT_TRUE(result.status().IsCorruption());
  EXPECT_EQ(result.status().message(), "chunk key: length 9, want 8");
}

TEST(KeysTest, ChunkKeyRejectsDocumentsOutOfRange) {
  // Document 0: every id below 2^24.
  for (uint64_t raw : {uint64_t{0}, uint64_t{7}, uint64_t{kMaxChunkNumber}}) {
    std::string key;
    PutBigEndian64(&key, raw);
    EXPECT_TRUE(DecodeChunkKey(key).status().IsCorruption()) << raw;
  }
  // Top bit set: document 2^39 and above.
  for (uint64_t raw : {uint64_t{1} << 63, ~uint64_t{0}}) {
    std::string key;
    PutBigEndian64(&key, raw);
    EXPECT_TRUE(DecodeChunkKey(key).status().IsCorruption()) << raw;
  }
}

TEST(KeysTest, ValidateDocumentName) {
  EXPECT_TRUE(ValidateDocumentName("notes/roxi.md").ok());
  EXPECT_TRUE(ValidateDocumentName("x").ok());
  EXPECT_TRUE(ValidateDocumentName(std::string(kMaxDocumentNameBytes, 'n')).ok());
  EXPECT_TRUE(ValidateDocumentName("").IsInvalidArgument());
  EXPECT_TRUE(
      ValidateDocumentName(std::string(kMaxDocumentNameBytes + 1, 'n')).IsInvalidArgument());
  EXPECT_TRUE(ValidateDocumentName(std::string("a\0b", 3)).IsInvalidArgument());
}

TEST(KeysTest, DescribeIds) {
  EXPECT_EQ(DescribeDocument(DocumentId{12}), "document 12");
  EXPECT_EQ(DescribeChunk(MakeChunkId(DocumentId{12}, 3)), "chunk 12:3");
}

TEST(KeysTest, TextVectorKeyIsModelHashChunkBigEndian) {
  const TextVectorKey key{0x0102030405060708, 0x1112131415161718, MakeChunkId(DocumentId{42}, 7)};
  EXPECT_EQ(BytesToHex(EncodeTextVectorKey(key)),
            "0102030405060708"
            "1112131415161718"
            "000000002a000007");
  EXPECT_EQ(EncodeTextVectorKey(key).substr(0, kTextVectorPrefixSize),
            TextVectorKeyPrefix(key.model, key.text_hash));
  const auto decoded = DecodeTextVectorKey(EncodeTextVectorKey(key));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, key);
}

TEST(KeysTest, TextVectorKeysOfOneTextAreContiguous) {
  // A lookup scans the prefix (model, text_hash): every chunk of that text must sort inside it.
  const std::string prefix = TextVectorKeyPrefix(5, 9);
  const std::string low = EncodeTextVectorKey({5, 9, MakeChunkId(DocumentId{1}, 0)});
  const std::string high =
      EncodeTextVectorKey({5, 9, MakeChunkId(DocumentId{kMaxDocumentId}, kMaxChunkNumber)});
  const std::string next_text = EncodeTextVectorKey({5, 10, MakeChunkId(DocumentId{1}, 0)});
  EXPECT_TRUE(low.starts_with(prefix) && high.starts_with(prefix));
  EXPECT_LT(high, next_text);
}

TEST(KeysTest, TextVectorKeyRejectsBadLengthsAndChunks) {
  const std::string key = EncodeTextVectorKey({1, 2, MakeChunkId(DocumentId{3}, 4)});
  for (size_t len : {0, 8, 16, 23}) {
    EXPECT_TRUE(DecodeTextVectorKey(key.substr(0, len)).status().IsCorruption()) << len;
  }
  EXPECT_TRUE(DecodeTextVectorKey(key + "x").status().IsCorruption());
  const auto zero_doc = DecodeTextVectorKey(TextVectorKeyPrefix(1, 2) + std::string(8, '\0'));
  EXPECT_TRUE(zero_doc.status().IsCorruption());
  EXPECT_NE(zero_doc.status().message().find("text vector key"), std::string::npos);
}

TEST(KeysTest, IdsHashByValue) {
  std::unordered_set<ChunkId> chunks = {MakeChunkId(DocumentId{1}, 1),
                                        MakeChunkId(DocumentId{1}, 1)};
  std::unordered_set<DocumentId> docs = {DocumentId{1}, DocumentId{2}};
  EXPECT_EQ(chunks.size(), 1u);
  EXPECT_EQ(docs.size(), 2u);
}

}  // namespace
}  // namespace roxi::format
