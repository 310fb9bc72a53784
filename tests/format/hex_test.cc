// Tests of format/hex.cc.
#include "format/hex.h"

#include <gtest/gtest.h>

#include <array>
#include <string>

namespace roxi::format {
namespace {

TEST(HexTest, EncodesEveryByteAsTwoLowerCaseDigits) {
  EXPECT_EQ(HexEncode(std::string_view()), "");
  EXPECT_EQ(HexEncode(std::string("\x00\x0a\xff\x7f", 4)), "000aff7f");
  std::string all;
  for (int b = 0; b < 256; ++b) all.push_back(static_cast<char>(b));
  const std::string hex = HexEncode(all);
  ASSERT_EQ(hex.size(), 512u);
  EXPECT_EQ(hex.substr(0, 8), "00010203");
  EXPECT_EQ(hex.substr(504), "fcfdfeff");
}

TEST(HexTest, EncodesByteArrays) {
  const std::array<uint8_t, 3> id = {0xde, 0xad, 0x01};
  EXPECT_EQ(HexEncode(id), "dead01");
}

}  // namespace
}  // namespace roxi::format
