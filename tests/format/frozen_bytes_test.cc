// The frozen bytes of tests/format/testdata/ (FORMAT.md §5): every file decodes with today's
// decoder, to the canonical example it was made from, and re-encodes to exactly the same bytes. The
// files are never edited: a failure here means the code no longer reads or writes a released
// format.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <set>
#include <string>

#include "format/checkpoint_record.h"
#include "format/chunk_record.h"
#include "format/deletions_record.h"
#include "format/document_record.h"
#include "format/ingest_stage_record.h"
#include "format/meta_records.h"
#include "format/name_record.h"
#include "format/reembed_record.h"
#include "format/vector_record.h"
#include "tests/format/canonical_records.h"
#include "tests/format/record_test_util.h"

namespace roxi::format {
namespace {

using testing::BytesToHex;

// Decodes `bytes`, checks the result equals the canonical example, and returns its re-encoding.
template <class Record, class DecodeFn, class EncodeFn>
std::string DecodeAndReencode(const std::string& bytes, DecodeFn decode, EncodeFn encode,
                              const Record& expected) {
  const auto decoded = decode(bytes);
  EXPECT_TRUE(decoded.ok()) << decoded.status().ToString();
  if (!decoded.ok()) return "";
  EXPECT_TRUE(*decoded == expected);
  std::string out;
  encode(*decoded, &out);
  return out;
}

// File name -> decode, compare with its example, and re-encode.
using Reader = std::function<std::string(const std::string&)>;

const std::map<std::string, Reader>& Readers() {
  static const std::map<std::string, Reader> readers = {
      {"document_record_v1.hex",
       [](const std::string& b) {
         return DecodeAndReencode(b, DecodeDocumentRecord, EncodeDocumentRecord,
                                  testing::CanonicalDocumentRecord());
       }},
      {"document_record_v2.hex",
       [](const std::string& b) {
         return DecodeAndReencode(b, DecodeDocumentRecord, EncodeDocumentRecord,
                                  testing::CanonicalDocumentRecordV2());
       }},
      {"name_record_v1.hex",
       [](const std::string& b) {
         return DecodeAndReencode(b, DecodeNameRecord, EncodeNameRecord,
                                  testing::CanonicalNameRecord());
       }},
      {"chunk_record_v1.hex",
       [](const std::string& b) {
         return DecodeAndReencode(b, DecodeChunkRecord, EncodeChunkRecord,
                                  testing::CanonicalChunkRecord());
       }},
      {"vector_record_v1.hex",
       [](const std::string& b) {
         return DecodeAndReencode(b, DecodeVectorRecord, EncodeVectorRecord,
                                  testing::CanonicalVectorRecord());
       }},
      {"checkpoint_record_v1.hex",
       [](const std::string& b) {
         return DecodeAndReencode(b, DecodeCheckpointRecord, EncodeCheckpointRecord,
                                  testing::CanonicalCheckpointRecord());
       }},
      {"store_info_record_v1.hex",
       [](const std::string& b) {
         return DecodeAndReencode(b, DecodeStoreInfoRecord, EncodeStoreInfoRecord,
                                  testing::CanonicalStoreInfoRecord());
       }},
      {"embedder_record_v1.hex",
       [](const std::string& b) {
         return DecodeAndReencode(b, DecodeEmbedderRecord, EncodeEmbedderRecord,
                                  testing::CanonicalEmbedderRecord());
       }},
      {"reembed_record_v1.hex",
       [](const std::string& b) {
         return DecodeAndReencode(b, DecodeReembedRecord, EncodeReembedRecord,
                                  testing::CanonicalReembedRecord());
       }},
      {"vector_family_record_v1.hex",
       [](const std::string& b) {
         return DecodeAndReencode(b, DecodeVectorFamilyRecord, EncodeVectorFamilyRecord,
                                  testing::CanonicalVectorFamilyRecord());
       }},
      {"deletions_record_v1.hex",
       [](const std::string& b) {
         return DecodeAndReencode(b, DecodeDeletionsRecord, EncodeDeletionsRecord,
                                  testing::CanonicalDeletionsRecord());
       }},
      {"ingest_stage_record_v1.hex",
       [](const std::string& b) {
         return DecodeAndReencode(b, DecodeIngestStageRecord, EncodeIngestStageRecord,
                                  testing::CanonicalIngestStageRecord());
       }},
      {"counters_record_v1.hex",
       [](const std::string& b) {
         return DecodeAndReencode(b, DecodeCountersRecord, EncodeCountersRecord,
                                  testing::CanonicalCountersRecord());
       }},
  };
  return readers;
}

std::set<std::string> FrozenFiles() {
  std::set<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(testing::TestdataDir())) {
    if (entry.path().extension() == ".hex") names.insert(entry.path().filename().string());
  }
  return names;
}

TEST(FrozenBytesTest, EveryFileDecodesAndReencodesIdentically) {
  const std::set<std::string> files = FrozenFiles();
  for (const std::string& name : files) {
    SCOPED_TRACE(name);
    const auto reader = Readers().find(name);
    ASSERT_NE(reader, Readers().end()) << "no decoder registered for frozen file " << name;
    const std::string bytes = testing::ReadFrozenHex(name);
    EXPECT_EQ(BytesToHex(reader->second(bytes)), BytesToHex(bytes));
  }
  for (const auto& [name, reader] : Readers()) {
    EXPECT_TRUE(files.count(name)) << "missing frozen file " << name;
  }
}

TEST(FrozenBytesTest, EveryFileStartsWithAComment) {
  for (const std::string& name : FrozenFiles()) {
    std::ifstream in(testing::TestdataDir() / name);
    std::string first;
    std::getline(in, first);
    EXPECT_EQ(first.rfind("# ", 0), 0u) << name << " must say what it encodes";
  }
}

TEST(FrozenBytesTest, FormatSpecShowsEveryFrozenExample) {
  const std::filesystem::path spec =
      std::filesystem::path(ROXI_SOURCE_DIR) / "format" / "FORMAT.md";
  std::ifstream in(spec);
  ASSERT_TRUE(in) << "cannot read " << spec;
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (const std::string& name : FrozenFiles()) {
    const std::string hex = BytesToHex(testing::ReadFrozenHex(name));
    EXPECT_NE(text.find(hex), std::string::npos)
        << "FORMAT.md does not show " << name << ": " << hex;
  }
}

}  // namespace
}  // namespace roxi::format
