// Tests of format/archive_header.cc (FORMAT.md §6.2, §6.5).
#include "format/archive_header.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "format/coding.h"
#include "format/hash.h"
#include "tests/format/archive_test_util.h"

namespace roxi::format {
namespace {

using testing::ToHex;

std::string Header(uint32_t version = kArchiveVersion) {
  std::string s;
  EncodeArchiveHeader(ArchiveHeader{version}, &s);
  return s;
}

std::string Footer(uint64_t offset, uint64_t size) {
  std::string s;
  EncodeArchiveFooter(ArchiveFooter{offset, size}, &s);
  return s;
}

auto DecodeHeader = [](std::string_view in) { return DecodeArchiveHeader(in); };
auto DecodeFooter = [](std::string_view in) { return DecodeArchiveFooter(in); };

TEST(ArchiveHeaderTest, MatchesTheGrammar) {
  const std::string h = Header();
  ASSERT_EQ(h.size(), kArchiveHeaderSize);
  EXPECT_EQ(ToHex(h.substr(0, 8)), "895258420d0a1a0a");
  EXPECT_EQ(ToHex(h.substr(8, 4)), "01000000");
  EXPECT_EQ(DecodeFixed64(h.data() + 12), Xxh3(std::string_view(h).substr(0, 12)));
}

TEST(ArchiveHeaderTest, EncodesFrozenV1Bytes) {
  EXPECT_EQ(ToHex(Header()), ToHex(testing::ReadFrozenHex("archive_header_v1.hex")));
  EXPECT_EQ(ToHex(Footer(1234, 567)), ToHex(testing::ReadFrozenHex("archive_footer_v1.hex")));
}

TEST(ArchiveHeaderTest, RoundTrips) {
  auto h = DecodeArchiveHeader(Header());
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(h->version, kArchiveVersion);
  auto f = DecodeArchiveFooter(Footer(20, 99));
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(*f, (ArchiveFooter{20, 99}));
}

TEST(ArchiveHeaderTest, ReadsOnlyItsOwnBytes) {
  // The header is read from the start of a file, the footer from its end.
  auto h = DecodeArchiveHeader(Header() + "frames follow");
  EXPECT_TRUE(h.ok()) << h.status().ToString();
  auto f = DecodeArchiveFooter("the archive before it" + Footer(20, 99));
  EXPECT_TRUE(f.ok()) << f.status().ToString();
}

TEST(ArchiveHeaderTest, RejectsEveryTruncatedPrefix) {
  testing::ExpectEveryTruncatedPrefixFails(DecodeHeader, Header());
  testing::ExpectEveryTruncatedPrefixFails(DecodeFooter, Footer(20, 99));
}

TEST(ArchiveHeaderTest, RejectsEverySingleByteChange) {
  testing::ExpectEverySingleByteChangeIsCorruption(DecodeHeader, Header());
  testing::ExpectEverySingleByteChangeIsCorruption(DecodeFooter, Footer(20, 99));
}

TEST(ArchiveHeaderTest, NewerVersionIsNotSupportedNamingBoth) {
  auto h = DecodeArchiveHeader(Header(2));
  ASSERT_FALSE(h.ok());
  EXPECT_TRUE(h.status().IsNotSupported()) << h.status().ToString();
  EXPECT_EQ(h.status().message(),
            "archive format: version 2 is newer than what this roxi reads (1); use a newer roxi");
}

TEST(ArchiveHeaderTest, ForeignFileIsCorruptionSayingSo) {
  auto h = DecodeArchiveHeader("PK\x03\x04 this is a zip file, not an archive");
  ASSERT_FALSE(h.ok());
  EXPECT_TRUE(h.status().IsCorruption());
  EXPECT_NE(h.status().message().find("not a roxi backup archive"), std::string_view::npos);
}

TEST(ArchiveHeaderTest, TruncatedArchiveHasNoFooter) {
  std::string archive = Header() + std::string(100, 'x') + Footer(120, 10);
  archive.resize(archive.size() - 5);
  auto f = DecodeArchiveFooter(archive);
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.status().message().find("truncated"), std::string_view::npos);
}

}  // namespace
}  // namespace roxi::format

namespace roxi::format {
namespace {

TEST(ArchiveFormatDocTest, FormatMdShowsEveryFrozenFile) {
  std::ifstream in(std::string(ROXI_SOURCE_DIR) + "/format/FORMAT.md");
  const std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (const char* name :
       {"archive_header_v1.hex", "archive_footer_v1.hex", "archive_manifest_v1.hex",
        "backup_catalog_v1.hex", "restore_journal_v1.hex"}) {
    EXPECT_NE(doc.find(testing::ToHex(testing::ReadFrozenHex(name))), std::string::npos) << name;
  }
}

}  // namespace
}  // namespace roxi::format
