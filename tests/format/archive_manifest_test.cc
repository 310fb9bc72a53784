// Tests of format/archive_manifest.cc (FORMAT.md §6.4).
#include "format/archive_manifest.h"

#include <gtest/gtest.h>

#include <cstring>
#include <functional>

#include "format/record_frame.h"
#include "tests/format/archive_test_util.h"

namespace roxi::format {
namespace {

using testing::CanonicalManifest;
using testing::ToHex;

std::string Encode(const ArchiveManifest& m) {
  std::string s;
  EncodeArchiveManifest(m, &s);
  return s;
}

auto Decode = [](std::string_view in) { return DecodeArchiveManifest(in); };

// Re-seals `bytes` after `edit` changed its body, so only the rule under test is broken.
std::string Resealed(std::string bytes, const std::function<void(std::string*)>& edit) {
  bytes.resize(bytes.size() - 8);
  edit(&bytes);
  SealRecord(&bytes, 0);
  return bytes;
}

void ExpectCorruption(const std::string& bytes, std::string_view detail) {
  auto r = DecodeArchiveManifest(bytes);
  ASSERT_FALSE(r.ok()) << "decoded";
  EXPECT_TRUE(r.status().IsCorruption()) << r.status().ToString();
  EXPECT_NE(r.status().message().find(detail), std::string_view::npos) << r.status().ToString();
}

ArchiveManifest Valid() { return CanonicalManifest(); }

TEST(ArchiveManifestTest, RoundTrips) {
  const ArchiveManifest m = Valid();
  auto decoded = DecodeArchiveManifest(Encode(m));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, m);
}

TEST(ArchiveManifestTest, RoundTripsAFullArchiveWithoutParents) {
  ArchiveManifest m = Valid();
  m.parents.clear();
  m.files.erase(m.files.begin());
  m.embedder_id.clear();
  auto decoded = DecodeArchiveManifest(Encode(m));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, m);
  EXPECT_EQ(ArchiveFramesEnd(m), 165u);
}

TEST(ArchiveManifestTest, EncodesFrozenV1Bytes) {
  EXPECT_EQ(ToHex(Encode(Valid())), ToHex(testing::ReadFrozenHex("archive_manifest_v1.hex")));
}

TEST(ArchiveManifestTest, ReencodesDecodedBytesIdentically) {
  const std::string bytes = testing::ReadFrozenHex("archive_manifest_v1.hex");
  auto decoded = DecodeArchiveManifest(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(Encode(*decoded), bytes);
}

TEST(ArchiveManifestTest, RejectsEveryTruncatedPrefix) {
  testing::ExpectEveryTruncatedPrefixFails(Decode, Encode(Valid()));
}

TEST(ArchiveManifestTest, RejectsEverySingleByteChange) {
  testing::ExpectEverySingleByteChangeIsCorruption(Decode, Encode(Valid()));
}

TEST(ArchiveManifestTest, RejectsUnknownVersionAsNotSupported) {
  const std::string v2 = Resealed(Encode(Valid()), [](std::string* b) { (*b)[0] = 2; });
  auto r = DecodeArchiveManifest(v2);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsNotSupported()) << r.status().ToString();
}

TEST(ArchiveManifestTest, RejectsTrailingBytes) {
  ExpectCorruption(Resealed(Encode(Valid()), [](std::string* b) { b->push_back(0); }),
                   "1 trailing bytes");
}

TEST(ArchiveManifestTest, RejectsNamesThatLeaveTheDirectory) {
  for (const char* name : {"..", ".", "a/b", "/etc", ""}) {
    ArchiveManifest m = Valid();
    m.files.back().name = "CURRENT";
    const std::string bytes = Encode(m);
    const std::string good = std::string(1, 7) + "CURRENT";
    const size_t at = bytes.find(good);
    ASSERT_NE(at, std::string::npos);
    const std::string bad_name = std::string(1, static_cast<char>(strlen(name))) + name;
    const std::string damaged =
        Resealed(bytes, [&](std::string* b) { b->replace(at, good.size(), bad_name); });
    auto r = DecodeArchiveManifest(damaged);
    EXPECT_FALSE(r.ok()) << name;
    EXPECT_FALSE(ValidArchiveFileName(name)) << name;
  }
  EXPECT_TRUE(ValidArchiveFileName("MANIFEST-000005"));
  EXPECT_FALSE(ValidArchiveFileName(std::string(256, 'a')));
  EXPECT_FALSE(ValidArchiveFileName(std::string("a\0b", 3)));
}

TEST(ArchiveManifestTest, RejectsFilesOutOfOrder) {
  const std::string bytes = Encode(Valid());
  // Swap the first letters of two names: "000012.sst" -> "Z00012.sst" sorts after "CURRENT".
  const size_t at = bytes.find("000012.sst");
  ExpectCorruption(Resealed(bytes, [&](std::string* b) { (*b)[at] = 'Z'; }),
                   "not in strictly ascending order");
}

TEST(ArchiveManifestTest, RejectsFramesThatDoNotFollowEachOther) {
  ArchiveManifest m = Valid();
  const std::string bytes = Encode(m);
  // The frame of CURRENT starts at 140 (0x8c 0x01); move it to 141.
  const std::string needle = std::string("\x8c\x01\x19", 3);
  const size_t at = bytes.find(needle);
  ASSERT_NE(at, std::string::npos);
  ExpectCorruption(Resealed(bytes, [&](std::string* b) { (*b)[at] = '\x8d'; }),
                   "is not where the previous frame ends");
}

TEST(ArchiveManifestTest, RejectsASourceWithoutParentAndAParentWithoutFile) {
  const std::string bytes = Encode(Valid());
  // 000009.sst has source 1 (its parent); make it 2, then 0.
  const size_t name = bytes.find("000009.sst");
  const size_t source = name + 10 + 2 + 8;  // after the name, size (e8 07) and xxh3
  ASSERT_EQ(bytes[name + 10], '\xe8');
  ASSERT_EQ(bytes[source + 1], 20);  // frame_offset
  ExpectCorruption(Resealed(bytes, [&](std::string* b) { (*b)[source] = 2; }),
                   "refers to parent 2 of 1");
  // With source 0 the frame at 20 collides with 000012.sst's.
  ExpectCorruption(Resealed(bytes, [&](std::string* b) { (*b)[source] = 0; }),
                   "is not where the previous frame ends");
}

TEST(ArchiveManifestTest, RejectsParentsNoFileRefersTo) {
  ArchiveManifest m = Valid();
  m.files.erase(m.files.begin());  // the only file in the parent
  ExpectCorruption(Encode(m), "holds no file");
}

TEST(ArchiveManifestTest, RejectsCountsThatDoNotAddUp) {
  ArchiveManifest m = Valid();
  m.failed = 2;  // 3 + 1 + 2 != 5
  ExpectCorruption(Encode(m), "chunks != vectors + pending + failed");
}

TEST(ArchiveManifestTest, RejectsCountsBeyondTheBytesLeft) {
  // A file count of 2^20 with three entries' worth of bytes is refused before allocating.
  const std::string bytes = Encode(Valid());
  const size_t at = bytes.find("000009.sst") - 2;  // the file count (3), then the name length
  ASSERT_EQ(bytes[at], 3);
  ExpectCorruption(
      Resealed(bytes, [&](std::string* b) { b->replace(at, 1, std::string("\x80\x80\x40", 3)); }),
      "file count 1048576 out of range");
}

TEST(ArchiveManifestTest, FooterMustFitTheArchive) {
  EXPECT_TRUE(CheckArchiveFooter({100, 48}, 180).ok());
  EXPECT_FALSE(CheckArchiveFooter({100, 49}, 180).ok());  // overlaps the footer
  EXPECT_FALSE(CheckArchiveFooter({100, 47}, 180).ok());  // leaves a gap
  EXPECT_FALSE(CheckArchiveFooter({10, 138}, 180).ok());  // inside the header
  EXPECT_FALSE(CheckArchiveFooter({20, 0}, 52).ok());     // empty manifest
  EXPECT_FALSE(CheckArchiveFooter({UINT64_MAX - 5, 10}, 180).ok());
  EXPECT_FALSE(CheckArchiveFooter({20, 1}, 40).ok());  // shorter than header + footer
}

TEST(ArchiveManifestTest, ManifestMustStartWhereFramesEnd) {
  const ArchiveManifest m = Valid();
  EXPECT_TRUE(CheckArchiveManifestPlacement(m, {165, 10}).ok());
  EXPECT_FALSE(CheckArchiveManifestPlacement(m, {166, 10}).ok());
}

}  // namespace
}  // namespace roxi::format
