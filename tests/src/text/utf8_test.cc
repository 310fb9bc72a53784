#include "src/text/utf8.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace roxi::text {
namespace {

// An independent statement of well-formedness for one complete sequence: the bytes are a lead
// plus continuations and decode to a scalar value that needs exactly that many bytes.
bool ReferenceValid(const std::vector<uint8_t>& s) {
  const size_t n = s.size();
  const uint8_t b0 = s[0];
  size_t want;
  char32_t cp;
  if (b0 < 0x80) {
    want = 1;
    cp = b0;
  } else if ((b0 & 0xE0) == 0xC0) {
    want = 2;
    cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    want = 3;
    cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    want = 4;
    cp = b0 & 0x07;
  } else {
    return false;
  }
  if (n != want) return false;
  for (size_t i = 1; i < n; ++i) {
    if ((s[i] & 0xC0) != 0x80) return false;
    cp = (cp << 6) | (s[i] & 0x3F);
  }
  static constexpr char32_t kMinForLength[] = {0, 0, 0x80, 0x800, 0x10000};
  return cp >= kMinForLength[n] && cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF);
}

std::string Bytes(const std::vector<uint8_t>& v) { return std::string(v.begin(), v.end()); }

TEST(Utf8Test, AcceptsEmptyAndAscii) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ascii text, long enough to cross several 8-byte words"));
  EXPECT_EQ(FirstInvalidUtf8Offset("abc"), 3u);
}

TEST(Utf8Test, AcceptsBoundaryCodePoints) {
  for (char32_t cp :
       {0x7Fu, 0x80u, 0x7FFu, 0x800u, 0xD7FFu, 0xE000u, 0xFFFDu, 0xFFFFu, 0x10000u, 0x10FFFFu}) {
    std::string s;
    AppendUtf8(cp, &s);
    EXPECT_TRUE(IsValidUtf8(s)) << std::hex << static_cast<uint32_t>(cp);
  }
}

TEST(Utf8Test, RejectsOverlongSurrogateAndOutOfRangeForms) {
  const std::vector<std::vector<uint8_t>> bad = {
      {0xC0, 0x80},
      {0xC1, 0xBF},
      {0xE0, 0x80, 0x80},
      {0xE0, 0x9F, 0xBF},
      {0xF0, 0x80, 0x80, 0x80},
      {0xF0, 0x8F, 0xBF, 0xBF},
      {0xED, 0xA0, 0x80},
      {0xED, 0xBF, 0xBF},
      {0xF4, 0x90, 0x80, 0x80},
      {0xF5, 0x80, 0x80, 0x80},
      {0xFF},
      {0xFE},
      {0x80},
      {0xBF},
  };
  for (const auto& seq : bad) {
    const std::string s = "ok" + Bytes(seq) + "ok";
    EXPECT_FALSE(IsValidUtf8(s)) << ::testing::PrintToString(seq);
    EXPECT_EQ(FirstInvalidUtf8Offset(s), 2u) << ::testing::PrintToString(seq);
  }
}

TEST(Utf8Test, RejectsEveryTruncatedPrefix) {
  for (char32_t cp : {0xE9u, 0x20ACu, 0x1F600u}) {
    std::string full;
    AppendUtf8(cp, &full);
    for (size_t len = 1; len < full.size(); ++len) {
      const std::string prefix = full.substr(0, len);
      EXPECT_EQ(FirstInvalidUtf8Offset("ab" + prefix), 2u)
          << "cp " << static_cast<uint32_t>(cp) << " len " << len;
      EXPECT_EQ(FirstInvalidUtf8Offset("ab" + prefix + "cd"), 2u)
          << "cp " << static_cast<uint32_t>(cp) << " len " << len;
    }
  }
}

TEST(Utf8Test, ReportsOffsetAfterLongAsciiRun) {
  std::string s(1000, 'a');
  s += "\xC3\xA9";  // é
  s += std::string(37, 'b');
  ASSERT_TRUE(IsValidUtf8(s));
  s += "\xE2\x82";  // truncated euro sign
  EXPECT_EQ(FirstInvalidUtf8Offset(s), 1039u);
}

TEST(Utf8Test, MatchesReferenceOnEveryTwoAndThreeByteSequence) {
  for (unsigned b0 = 0x80; b0 < 0x100; ++b0) {
    for (unsigned b1 = 0; b1 < 0x100; ++b1) {
      const std::vector<uint8_t> two = {uint8_t(b0), uint8_t(b1)};
      ASSERT_EQ(IsValidUtf8(Bytes(two)), ReferenceValid(two) || (ReferenceValid({uint8_t(b0)}) &&
                                                                 ReferenceValid({uint8_t(b1)})))
          << b0 << " " << b1;
      if (b0 < 0xE0 || b0 > 0xEF) continue;
      for (unsigned b2 = 0; b2 < 0x100; ++b2) {
        const std::vector<uint8_t> three = {uint8_t(b0), uint8_t(b1), uint8_t(b2)};
        ASSERT_EQ(IsValidUtf8(Bytes(three)), ReferenceValid(three)) << b0 << " " << b1 << " " << b2;
      }
    }
  }
}

TEST(Utf8Test, MatchesReferenceOnFourByteLeadsAndSecondBytes) {
  for (unsigned b0 = 0xF0; b0 < 0x100; ++b0) {
    for (unsigned b1 = 0; b1 < 0x100; ++b1) {
      const std::vector<uint8_t> four = {uint8_t(b0), uint8_t(b1), 0x80, 0xBF};
      ASSERT_EQ(IsValidUtf8(Bytes(four)), ReferenceValid(four)) << b0 << " " << b1;
    }
  }
}

TEST(Utf8Test, DecodeRoundTripsEveryScalarValue) {
  for (char32_t cp = 0; cp <= kMaxCodePoint; ++cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    char buf[4];
    const size_t len = EncodeUtf8(cp, buf);
    const std::string_view s(buf, len);
    size_t pos = 0;
    ASSERT_EQ(static_cast<uint32_t>(DecodeUtf8(s, &pos)), static_cast<uint32_t>(cp));
    ASSERT_EQ(pos, len);
    ASSERT_TRUE(IsValidUtf8(s)) << static_cast<uint32_t>(cp);
  }
}

TEST(Utf8Test, DecodeReplacesMaximalSubparts) {
  const std::string s =
      "\xE2\x82"
      "a"
      "\xF0\x9F\x98"
      "\xC0\x80"
      "\xC3\xA9";
  std::vector<uint32_t> cps;
  std::vector<size_t> ends;
  for (size_t pos = 0; pos < s.size();) {
    cps.push_back(DecodeUtf8(s, &pos));
    ends.push_back(pos);
  }
  EXPECT_EQ(cps, (std::vector<uint32_t>{0xFFFD, 'a', 0xFFFD, 0xFFFD, 0xFFFD, 0xE9}));
  EXPECT_EQ(ends, (std::vector<size_t>{2, 3, 6, 7, 8, 10}));
}

TEST(Utf8Test, CheckUtf8NamesWhatAndOffset) {
  EXPECT_TRUE(CheckUtf8("fine", "doc").ok());
  const Status s = CheckUtf8("abc\xFF", "document notes.txt");
  EXPECT_TRUE(s.IsInvalidArgument());
  EXPECT_EQ(s.message(), "document notes.txt: invalid utf-8 at byte 3");
}

TEST(Utf8Test, LooksBinarySpotsNulAndControlBytes) {
  EXPECT_FALSE(LooksBinary(""));
  EXPECT_FALSE(LooksBinary("Plain text.\r\n\tIndented line\f\x1b[31mred\x1b[0m\n"));
  EXPECT_TRUE(LooksBinary(std::string("PK\x03\x04", 4) + std::string("\0", 1)));
  EXPECT_TRUE(LooksBinary(std::string(100, '\x01')));
  // One control byte in 16 is tolerated, more is not.
  std::string mostly_text(160, 'a');
  for (size_t i = 0; i < 10; ++i) mostly_text[i * 16] = '\x02';
  EXPECT_FALSE(LooksBinary(mostly_text));
  mostly_text[1] = '\x02';
  EXPECT_TRUE(LooksBinary(mostly_text));
  // Only the first kBinarySniffBytes count.
  std::string late_nul(kBinarySniffBytes, 'a');
  late_nul.push_back('\0');
  EXPECT_FALSE(LooksBinary(late_nul));
}

TEST(Utf8Test, CodePointBoundaries) {
  const std::string s =
      "a\xC3\xA9"
      "\xF0\x9F\x98\x80"
      "b";  // a é 😀 b
  EXPECT_EQ(FloorCodePointBoundary(s, 0), 0u);
  EXPECT_EQ(FloorCodePointBoundary(s, 2), 1u);
  EXPECT_EQ(FloorCodePointBoundary(s, 6), 3u);
  EXPECT_EQ(FloorCodePointBoundary(s, 7), 7u);
  EXPECT_EQ(FloorCodePointBoundary(s, s.size()), s.size());
  EXPECT_EQ(CeilCodePointBoundary(s, 2), 3u);
  EXPECT_EQ(CeilCodePointBoundary(s, 4), 7u);
  EXPECT_EQ(CeilCodePointBoundary(s, 8), 8u);
  EXPECT_EQ(CeilCodePointBoundary(s, s.size()), s.size());
  // Ill-formed runs of continuation bytes: at most three steps.
  const std::string junk(10, '\x80');
  EXPECT_EQ(FloorCodePointBoundary(junk, 9), 6u);
  EXPECT_EQ(CeilCodePointBoundary(junk, 1), 4u);
}

}  // namespace
}  // namespace roxi::text
