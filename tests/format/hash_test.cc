// Tests of format/hash.cc (FORMAT.md §1.5): Xxh3 is XXH3-64 with seed 0, and its values never
// change, since every stored checksum and fingerprint depends on them.
#include "format/hash.h"

#include <gtest/gtest.h>

#include <string>

namespace roxi::format {
namespace {

TEST(HashTest, EmptyInputIsTheReferenceValue) {
  // The value xxHash documents for XXH3_64bits of no bytes with seed 0.
  EXPECT_EQ(Xxh3(""), 0x2d06800538d394c2u);
}

TEST(HashTest, FrozenValues) {
  EXPECT_EQ(Xxh3("roxi"), 0x53138e174846075eu);
  EXPECT_EQ(Xxh3("builtin:hash-v1:384"), 0xeaa7f496df9820aeu);
  EXPECT_EQ(Xxh3(std::string(1000, 'x')), 0xc0a4877b962cba82u);
}

TEST(HashTest, ChecksumIsEightBytes) { EXPECT_EQ(kXxh3Size, 8u); }

}  // namespace
}  // namespace roxi::format
