// Tests of format/archive_hash.cc.
#include "format/archive_hash.h"

#include <gtest/gtest.h>

#include <random>

#include "format/hash.h"

namespace roxi::format {
namespace {

TEST(Xxh3StreamTest, EqualsTheOneShotHashWhateverTheSplit) {
  std::mt19937 rng(11);
  std::string data(5000, '\0');
  for (auto& c : data) c = static_cast<char>(rng());
  for (int trial = 0; trial < 50; ++trial) {
    const size_t n = rng() % data.size();
    Xxh3Stream stream;
    size_t at = 0;
    while (at < n) {
      const size_t piece = std::min<size_t>(n - at, 1 + rng() % 700);
      stream.Update(std::string_view(data).substr(at, piece));
      at += piece;
    }
    EXPECT_EQ(stream.Digest(), Xxh3(std::string_view(data).substr(0, n))) << n;
  }
}

TEST(Xxh3StreamTest, EmptyAndReset) {
  Xxh3Stream stream;
  EXPECT_EQ(stream.Digest(), 0x2d06800538d394c2u);  // XXH3-64 of no bytes (FORMAT.md §1.5)
  stream.Update("abc");
  stream.Reset();
  EXPECT_EQ(stream.Digest(), 0x2d06800538d394c2u);
}

}  // namespace
}  // namespace roxi::format
