#include "src/text/unicode.h"

#include <gtest/gtest.h>

#include "src/text/utf8.h"

namespace roxi::text {
namespace {

size_t EncodedLength(char32_t cp) {
  char buf[4];
  return EncodeUtf8(cp, buf);
}

// char32_t has no stream operator, so compare (and print) code points as integers.
#define EXPECT_FOLDS(from, to) \
  EXPECT_EQ(static_cast<uint32_t>(FoldCase(from)), static_cast<uint32_t>(to))

bool IsScalar(char32_t cp) { return cp <= kMaxCodePoint && (cp < 0xD800 || cp > 0xDFFF); }

TEST(UnicodeTest, FoldsAsciiAndLatin) {
  EXPECT_FOLDS(U'A', U'a');
  EXPECT_FOLDS(U'z', U'z');
  EXPECT_FOLDS(U'@', U'@');
  EXPECT_FOLDS(U'É', U'é');
  EXPECT_FOLDS(U'Ø', U'ø');
  EXPECT_FOLDS(U'×', U'×');
  EXPECT_FOLDS(U'ß', U'ß');
  EXPECT_FOLDS(U'Ÿ', U'ÿ');
  EXPECT_FOLDS(U'Ł', U'ł');
  EXPECT_FOLDS(U'ł', U'ł');
  EXPECT_FOLDS(U'Ž', U'ž');
  EXPECT_FOLDS(U'İ', U'i');
  EXPECT_FOLDS(U'ſ', U's');
  EXPECT_FOLDS(U'Ș', U'ș');
  EXPECT_FOLDS(U'Ấ', U'ấ');
  EXPECT_FOLDS(U'ẞ', U'ß');
  EXPECT_FOLDS(U'Ａ', U'ａ');
  EXPECT_FOLDS(U'K', U'k');  // kelvin sign
}

TEST(UnicodeTest, FoldsGreekIncludingFinalSigma) {
  EXPECT_FOLDS(U'Σ', U'σ');
  EXPECT_FOLDS(U'ς', U'σ');
  EXPECT_FOLDS(U'Ω', U'ω');
  EXPECT_FOLDS(U'Ά', U'ά');
  EXPECT_FOLDS(U'Ώ', U'ώ');
  EXPECT_FOLDS(U'Ϊ', U'ϊ');
  EXPECT_FOLDS(U'Ἀ', U'ἀ');
}

TEST(UnicodeTest, FoldsCyrillicAndArmenian) {
  EXPECT_FOLDS(U'Д', U'д');
  EXPECT_FOLDS(U'Я', U'я');
  EXPECT_FOLDS(U'Ё', U'ё');
  EXPECT_FOLDS(U'Ї', U'ї');
  EXPECT_FOLDS(U'Ѣ', U'ѣ');
  EXPECT_FOLDS(U'Ґ', U'ґ');
  EXPECT_FOLDS(U'Ӏ', U'ӏ');
  EXPECT_FOLDS(U'Ӂ', U'ӂ');
  EXPECT_FOLDS(U'Ա', U'ա');
}

TEST(UnicodeTest, LeavesUncoveredCodePointsAlone) {
  for (char32_t cp : {U'中', U'あ', U'한', U'א', U'ب', U'😀', U'\u2028'}) {
    EXPECT_FOLDS(cp, cp);
  }
}

TEST(UnicodeTest, FoldingIsIdempotentAndNeverLengthensEncoding) {
  // TokenizeWords relies on the length property to fold in place.
  for (char32_t cp = 0; cp <= kMaxCodePoint; ++cp) {
    if (!IsScalar(cp)) continue;
    const char32_t folded = FoldCase(cp);
    ASSERT_TRUE(IsScalar(folded)) << std::hex << static_cast<uint32_t>(cp);
    ASSERT_EQ(static_cast<uint32_t>(FoldCase(folded)), static_cast<uint32_t>(folded))
        << std::hex << static_cast<uint32_t>(cp);
    ASSERT_LE(EncodedLength(folded), EncodedLength(cp)) << std::hex << static_cast<uint32_t>(cp);
    ASSERT_EQ(IsWordCodePoint(folded), IsWordCodePoint(cp))
        << std::hex << static_cast<uint32_t>(cp);
  }
}

TEST(UnicodeTest, ClassifiesWordCodePoints) {
  for (char32_t cp : {U'a', U'Z', U'0', U'9', U'é', U'ß', U'ж', U'Ω', U'\u0301', U'中', U'あ',
                      U'ア', U'한', U'א', U'ب', U'५', U'ก'}) {
    EXPECT_TRUE(IsWordCodePoint(cp)) << std::hex << static_cast<uint32_t>(cp);
  }
  for (char32_t cp : {U' ', U'-', U'_', U'\'', U'.', U'\u00A0', U'×', U'÷', U'«', U'—', U'…', U'€',
                      U'😀', U'\u3000', U'。', U'\uFFFD'}) {
    EXPECT_FALSE(IsWordCodePoint(cp)) << std::hex << static_cast<uint32_t>(cp);
  }
}

}  // namespace
}  // namespace roxi::text
