// Tests of format/archive_restore_journal.cc (FORMAT.md §8).
#include "format/archive_restore_journal.h"

#include <gtest/gtest.h>

#include "tests/format/archive_test_util.h"

namespace roxi::format {
namespace {

using testing::CanonicalJournal;
using testing::ToHex;

std::string Encode(const RestoreJournal& j) {
  std::string s;
  EncodeRestoreJournal(j, &s);
  return s;
}

auto Decode = [](std::string_view in) { return DecodeRestoreJournal(in); };

TEST(RestoreJournalTest, RoundTrips) {
  RestoreJournal j = CanonicalJournal();
  for (bool discard : {false, true}) {
    for (const char* previous : {"", "data.before-restore-x"}) {
      j.discard_previous = discard;
      j.previous = previous;
      auto decoded = DecodeRestoreJournal(Encode(j));
      ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
      EXPECT_EQ(*decoded, j);
    }
  }
}

TEST(RestoreJournalTest, EncodesFrozenV1Bytes) {
  EXPECT_EQ(ToHex(Encode(CanonicalJournal())),
            ToHex(testing::ReadFrozenHex("restore_journal_v1.hex")));
}

TEST(RestoreJournalTest, RejectsEveryTruncatedPrefix) {
  testing::ExpectEveryTruncatedPrefixFails(Decode, Encode(CanonicalJournal()));
}

TEST(RestoreJournalTest, RejectsEverySingleByteChange) {
  testing::ExpectEverySingleByteChangeIsCorruption(Decode, Encode(CanonicalJournal()));
}

TEST(RestoreJournalDeathTest, EncoderRefusesNamesWithSlashes) {
  RestoreJournal j = CanonicalJournal();
  j.incoming = "../elsewhere";
  std::string dst;
  EXPECT_DEATH(EncodeRestoreJournal(j, &dst), "check failed");
}

}  // namespace
}  // namespace roxi::format
