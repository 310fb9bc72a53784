// Tests of format/archive_catalog.cc and format/archive_file_frame.cc (FORMAT.md §6.1, §7).
#include "format/archive_catalog.h"

#include <gtest/gtest.h>

#include <functional>

#include "format/archive_file_frame.h"
#include "format/archive_header.h"
#include "format/coding.h"
#include "format/hash.h"
#include "tests/format/archive_test_util.h"

namespace roxi::format {
namespace {

using testing::CanonicalCatalog;
using testing::ToHex;

std::string Encode(const BackupCatalog& c) {
  std::string s;
  EncodeBackupCatalog(c, &s);
  return s;
}

auto Decode = [](std::string_view in) { return DecodeBackupCatalog(in); };

std::string Resealed(std::string bytes, const std::function<void(std::string*)>& edit) {
  bytes.resize(bytes.size() - 8);
  edit(&bytes);
  SealMagicFile(&bytes, 0);
  return bytes;
}

TEST(BackupCatalogTest, RoundTrips) {
  BackupCatalog c = CanonicalCatalog();
  CatalogArchive b = c.archives[0];
  b.name = "20261125T120000Z-s.roxibak";
  b.parents = {c.archives[0].name};
  b.verify_state = VerifyState::kNever;
  b.verified_at_micros = 0;
  b.files.clear();
  c.archives.push_back(b);
  auto decoded = DecodeBackupCatalog(Encode(c));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, c);
  auto empty = DecodeBackupCatalog(Encode(BackupCatalog{}));
  ASSERT_TRUE(empty.ok()) << empty.status().ToString();
  EXPECT_TRUE(empty->archives.empty());
}

TEST(BackupCatalogTest, MatchesTheFrame) {
  const std::string bytes = Encode(CanonicalCatalog());
  EXPECT_EQ(bytes.substr(0, 8), kCatalogMagic);
  EXPECT_EQ(bytes[8], kCatalogV1);
  EXPECT_EQ(DecodeFixed64(bytes.data() + bytes.size() - 8),
            Xxh3(std::string_view(bytes).substr(0, bytes.size() - 8)));
}

TEST(BackupCatalogTest, EncodesFrozenV1Bytes) {
  EXPECT_EQ(ToHex(Encode(CanonicalCatalog())),
            ToHex(testing::ReadFrozenHex("backup_catalog_v1.hex")));
}

TEST(BackupCatalogTest, RejectsEveryTruncatedPrefix) {
  testing::ExpectEveryTruncatedPrefixFails(Decode, Encode(CanonicalCatalog()));
}

TEST(BackupCatalogTest, RejectsEverySingleByteChange) {
  testing::ExpectEverySingleByteChangeIsCorruption(Decode, Encode(CanonicalCatalog()));
}

TEST(BackupCatalogTest, NewerVersionIsNotSupported) {
  auto r = DecodeBackupCatalog(
      Resealed(Encode(CanonicalCatalog()), [](std::string* b) { (*b)[8] = 2; }));
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsNotSupported()) << r.status().ToString();
  EXPECT_NE(r.status().message().find("version 2 is newer"), std::string_view::npos);
}

TEST(BackupCatalogTest, RejectsAnotherFilesMagic) {
  std::string bytes = Encode(CanonicalCatalog());
  bytes.replace(0, 8, kArchiveMagic);
  auto r = DecodeBackupCatalog(bytes);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("not a roxi backup catalog"), std::string_view::npos);
}

TEST(BackupCatalogTest, RejectsStateAndTimeThatDisagree) {
  BackupCatalog c = CanonicalCatalog();
  const std::string bytes = Encode(c);
  // verify_state (01) precedes verified_at; make the state "never" with a time set.
  const size_t at = bytes.find(std::string("\x01\x80", 2), 40);
  ASSERT_NE(at, std::string::npos);
  auto r = DecodeBackupCatalog(Resealed(bytes, [&](std::string* b) { (*b)[at] = 0; }));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("does not match its state"), std::string_view::npos)
      << r.status().ToString();
  auto unknown = DecodeBackupCatalog(Resealed(bytes, [&](std::string* b) { (*b)[at] = 3; }));
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("unknown verify state 3"), std::string_view::npos);
}

TEST(BackupCatalogTest, RejectsArchivesOutOfOrder) {
  BackupCatalog c = CanonicalCatalog();
  c.archives.push_back(c.archives[0]);  // the same name twice
  auto r = DecodeBackupCatalog(Encode(c));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("not in strictly ascending order"), std::string_view::npos);
}

TEST(BackupCatalogTest, VerifyStatesHaveNames) {
  EXPECT_EQ(VerifyStateName(VerifyState::kNever), "never");
  EXPECT_EQ(VerifyStateName(VerifyState::kClean), "clean");
  EXPECT_EQ(VerifyStateName(VerifyState::kProblems), "problems");
}

}  // namespace
}  // namespace roxi::format
