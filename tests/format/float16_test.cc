// Tests of format/float16.cc (FORMAT.md §1.4), exhaustive over the 65,536 halves. The expected
// values come from an independent reference written with exact double arithmetic: every half and
// every midpoint between adjacent halves is exactly representable as a double (and as a float), so
// rounding a float reduces to exact comparisons against midpoints.
#include "format/float16.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

namespace roxi::format {
namespace {

constexpr int kHalves = 1 << 16;
constexpr uint16_t kSignBit = 0x8000;
constexpr uint16_t kPositiveInfinity = 0x7c00;
constexpr uint16_t kMaxFinite = 0x7bff;  // 65504

bool IsHalfNaN(uint16_t h) { return (h & 0x7c00) == 0x7c00 && (h & 0x03ff) != 0; }

// The value of a non-NaN half, from the IEEE 754 definition.
double ReferenceHalfValue(uint16_t h) {
  const double sign = (h & kSignBit) ? -1.0 : 1.0;
  const int exp = (h >> 10) & 0x1f;
  const int mant = h & 0x3ff;
  if (exp == 0x1f) return sign * std::numeric_limits<double>::infinity();
  if (exp == 0) return sign * std::ldexp(mant, -24);
  return sign * std::ldexp(1024 + mant, exp - 25);
}

// Round-to-nearest-even of a non-NaN float to binary16, by exact comparisons: finds the adjacent
// finite halves around |x| and compares |x| with their midpoint.
uint16_t ReferenceFloatToHalf(float x) {
  const uint16_t sign = std::signbit(x) ? kSignBit : 0;
  const double a = std::fabs(static_cast<double>(x));
  // Beyond the midpoint of 65504 and 65536 (the next value, were the exponent unbounded): infinity.
  if (a >= 65520.0) return sign | kPositiveInfinity;
  // Positive finite halves are ordered like their bit patterns: binary search for the largest <= a.
  uint16_t lo = 0, hi = kMaxFinite;
  while (lo < hi) {
    const uint16_t mid = static_cast<uint16_t>((lo + hi + 1) / 2);
    if (ReferenceHalfValue(mid) <= a) {
      lo = mid;
    } else {
      hi = static_cast<uint16_t>(mid - 1);
    }
  }
  // Above 65504 and below 65520, the nearest finite half is 65504.
  if (ReferenceHalfValue(lo) == a || lo == kMaxFinite) return sign | lo;
  const double midpoint = (ReferenceHalfValue(lo) + ReferenceHalfValue(lo + 1)) / 2;  // exact
  uint16_t rounded;
  if (a < midpoint) {
    rounded = lo;
  } else if (a > midpoint) {
    rounded = static_cast<uint16_t>(lo + 1);
  } else {
    rounded = (lo & 1) ? static_cast<uint16_t>(lo + 1) : lo;  // tie: even mantissa
  }
  return sign | rounded;
}

float FloatFromBits(uint32_t bits) { return std::bit_cast<float>(bits); }

TEST(Float16Test, HalfToFloatIsExactForEveryHalf) {
  for (int i = 0; i < kHalves; ++i) {
    const auto h = static_cast<uint16_t>(i);
    const float f = HalfToFloat(h);
    if (IsHalfNaN(h)) {
      EXPECT_TRUE(std::isnan(f)) << std::hex << h;
      EXPECT_EQ(std::signbit(f), (h & kSignBit) != 0) << std::hex << h;
      // The payload moves into the top of the float's mantissa unchanged.
      EXPECT_EQ(std::bit_cast<uint32_t>(f) & 0x7fffff, uint32_t{h & 0x3ffu} << 13) << std::hex << h;
      continue;
    }
    EXPECT_EQ(static_cast<double>(f), ReferenceHalfValue(h)) << std::hex << h;
    EXPECT_EQ(std::signbit(f), (h & kSignBit) != 0) << std::hex << h;
  }
}

TEST(Float16Test, EveryHalfRoundTripsBitExactly) {
  for (int i = 0; i < kHalves; ++i) {
    const auto h = static_cast<uint16_t>(i);
    const uint16_t back = FloatToHalf(HalfToFloat(h));
    if (IsHalfNaN(h)) {
      // NaN stays NaN with its sign and payload; the quiet bit is set.
      EXPECT_EQ(back, h | 0x0200) << std::hex << h;
    } else {
      EXPECT_EQ(back, h) << std::hex << h;
    }
  }
}

TEST(Float16Test, MidpointsBetweenAdjacentHalvesRoundToEven) {
  for (int i = 0; i < kMaxFinite; ++i) {
    for (uint16_t sign : {uint16_t{0}, kSignBit}) {
      const auto lo = static_cast<uint16_t>(i);
      const auto hi = static_cast<uint16_t>(i + 1);
      const double mid = (ReferenceHalfValue(lo) + ReferenceHalfValue(hi)) / 2;
      const auto midpoint = static_cast<float>(sign ? -mid : mid);
      ASSERT_EQ(std::fabs(static_cast<double>(midpoint)), mid) << "midpoint not a float";
      const uint16_t even = (lo & 1) ? hi : lo;
      EXPECT_EQ(FloatToHalf(midpoint), sign | even) << std::hex << lo;
      // One float ulp either side of the midpoint rounds to the nearer half.
      EXPECT_EQ(FloatToHalf(std::nextafter(midpoint, 0.0f)), sign | lo) << std::hex << lo;
      EXPECT_EQ(FloatToHalf(std::nextafter(midpoint, sign ? -INFINITY : INFINITY)), sign | hi)
          << std::hex << lo;
    }
  }
}

TEST(Float16Test, FloatsNextToEveryHalfRoundBackToIt) {
  for (int i = 0; i <= kMaxFinite; ++i) {
    for (uint16_t sign : {uint16_t{0}, kSignBit}) {
      const auto h = static_cast<uint16_t>(sign | i);
      const float f = HalfToFloat(h);
      for (float neighbour : {std::nextafter(f, -INFINITY), std::nextafter(f, INFINITY)}) {
        EXPECT_EQ(FloatToHalf(neighbour), ReferenceFloatToHalf(neighbour)) << std::hex << h;
      }
    }
  }
}

TEST(Float16Test, FloatToHalfMatchesReferenceOnAStrideOfAllFloats) {
  // Every 977th bit pattern (a prime stride, so all exponents and low mantissa bits are visited),
  // about 4.4 million floats, plus the exact neighbourhood of the overflow threshold.
  size_t checked = 0;
  for (uint64_t bits = 0; bits <= 0xffffffffull; bits += 977) {
    const float f = FloatFromBits(static_cast<uint32_t>(bits));
    if (std::isnan(f)) continue;
    ASSERT_EQ(FloatToHalf(f), ReferenceFloatToHalf(f)) << std::hex << bits;
    ++checked;
  }
  EXPECT_GT(checked, 4000000u);
}

// A second reference, used for the exhaustive check: scales |x| by the half ulp of its binade (a
// power of two, so exact in double) and rounds to an integer with nearbyint, which rounds ties to
// even in the default rounding mode. Returns the magnitude of the rounded half.
double ReferenceRoundedMagnitude(float x) {
  const double a = std::fabs(static_cast<double>(x));
  if (a == 0 || std::isinf(a)) return a;
  int exp = 0;
  std::frexp(a, &exp);                        // a is in [2^(exp-1), 2^exp)
  const int binade = std::max(exp - 1, -14);  // subnormal halves share the ulp of 2^-14
  const double ulp = std::ldexp(1.0, binade - 10);
  const double rounded = std::nearbyint(a / ulp) * ulp;
  return rounded >= 65536.0 ? INFINITY : rounded;
}

// Every one of the 2^32 floats: about two minutes, so not part of the default run. Run it with
// roxi_unit_tests --gtest_also_run_disabled_tests --gtest_filter='Float16Test.DISABLED_*'.
TEST(Float16Test, DISABLED_FloatToHalfMatchesReferenceOnEveryFloat) {
  uint64_t mismatches = 0;
  for (uint64_t bits = 0; bits <= 0xffffffffull; ++bits) {
    const float f = FloatFromBits(static_cast<uint32_t>(bits));
    if (std::isnan(f)) continue;
    const float got = HalfToFloat(FloatToHalf(f));
    if (std::fabs(static_cast<double>(got)) != ReferenceRoundedMagnitude(f) ||
        std::signbit(got) != std::signbit(f)) {
      if (++mismatches <= 10) ADD_FAILURE() << std::hex << bits;
    }
  }
  EXPECT_EQ(mismatches, 0u);
}

TEST(Float16Test, SecondReferenceAgreesOnAStrideOfAllFloats) {
  for (uint64_t bits = 0; bits <= 0xffffffffull; bits += 9973) {
    const float f = FloatFromBits(static_cast<uint32_t>(bits));
    if (std::isnan(f)) continue;
    ASSERT_EQ(std::fabs(static_cast<double>(HalfToFloat(ReferenceFloatToHalf(f)))),
              ReferenceRoundedMagnitude(f))
        << std::hex << bits;
  }
}

TEST(Float16Test, SpecialValues) {
  EXPECT_EQ(FloatToHalf(0.0f), 0x0000);
  EXPECT_EQ(FloatToHalf(-0.0f), 0x8000);
  EXPECT_EQ(FloatToHalf(INFINITY), 0x7c00);
  EXPECT_EQ(FloatToHalf(-INFINITY), 0xfc00);
  EXPECT_EQ(FloatToHalf(1.0f), 0x3c00);
  EXPECT_EQ(FloatToHalf(-2.0f), 0xc000);
  EXPECT_EQ(FloatToHalf(65504.0f), 0x7bff);
  EXPECT_EQ(FloatToHalf(0x1p-14f), 0x0400);    // smallest normal
  EXPECT_EQ(FloatToHalf(0x3ffp-24f), 0x03ff);  // largest subnormal
  EXPECT_TRUE(std::signbit(HalfToFloat(0x8000)));
  EXPECT_EQ(HalfToFloat(0x8000), 0.0f);
}

TEST(Float16Test, OverflowRoundsToInfinityFrom65520) {
  EXPECT_EQ(FloatToHalf(std::nextafter(65520.0f, 0.0f)), 0x7bff);  // just below the midpoint
  EXPECT_EQ(FloatToHalf(65520.0f), 0x7c00);  // the tie rounds to even: infinity
  EXPECT_EQ(FloatToHalf(-65520.0f), 0xfc00);
  EXPECT_EQ(FloatToHalf(65536.0f), 0x7c00);
  EXPECT_EQ(FloatToHalf(1e10f), 0x7c00);
  EXPECT_EQ(FloatToHalf(std::numeric_limits<float>::max()), 0x7c00);
  EXPECT_EQ(FloatToHalf(-std::numeric_limits<float>::max()), 0xfc00);
}

TEST(Float16Test, SmallestSubnormalAndHalfOfIt) {
  EXPECT_EQ(FloatToHalf(0x1p-24f), 0x0001);
  EXPECT_EQ(HalfToFloat(0x0001), 0x1p-24f);
  // 2^-25 is the midpoint of 0 and 2^-24: the tie goes to the even one, zero.
  EXPECT_EQ(FloatToHalf(0x1p-25f), 0x0000);
  EXPECT_EQ(FloatToHalf(-0x1p-25f), 0x8000);
  EXPECT_EQ(FloatToHalf(std::nextafter(0x1p-25f, 1.0f)), 0x0001);
  // 3 * 2^-25 is the midpoint of 2^-24 (odd) and 2^-23 (even): rounds up to 2^-23.
  EXPECT_EQ(FloatToHalf(0x3p-25f), 0x0002);
  // 5 * 2^-25 is the midpoint of 2 * 2^-24 (even) and 3 * 2^-24: rounds down.
  EXPECT_EQ(FloatToHalf(0x5p-25f), 0x0002);
  EXPECT_EQ(FloatToHalf(0x1p-26f), 0x0000);
  EXPECT_EQ(FloatToHalf(std::numeric_limits<float>::denorm_min()), 0x0000);
  EXPECT_EQ(FloatToHalf(-std::numeric_limits<float>::denorm_min()), 0x8000);
  EXPECT_EQ(FloatToHalf(std::numeric_limits<float>::min()), 0x0000);
}

TEST(Float16Test, NaNStaysNaN) {
  // Signalling float NaNs whose payload lies only in bits the half drops must not become infinity.
  for (uint32_t bits : {0x7fc00000u, 0xffc00000u, 0x7f800001u, 0xff800001u, 0x7f801fffu,
                        0x7fffffffu, 0x7fa00000u}) {
    const uint16_t h = FloatToHalf(FloatFromBits(bits));
    EXPECT_TRUE(IsHalfNaN(h)) << std::hex << bits << " -> " << h;
    EXPECT_EQ((h & kSignBit) != 0, (bits >> 31) != 0) << std::hex << bits;
    EXPECT_NE(h & 0x0200, 0) << "quiet bit " << std::hex << bits;
    // The top ten payload bits are kept.
    EXPECT_EQ(h & 0x01ff, (bits >> 13) & 0x01ff) << std::hex << bits;
  }
}

TEST(Float16Test, BulkFormsMatchScalar) {
  std::vector<float> floats;
  for (int i = -300; i <= 300; ++i) floats.push_back(static_cast<float>(i) * 0.37f);
  floats.push_back(INFINITY);
  floats.push_back(0x1p-25f);
  std::vector<uint16_t> halfs(floats.size());
  FloatsToHalfs(floats.data(), floats.size(), halfs.data());
  std::vector<float> back(halfs.size());
  HalfsToFloats(halfs.data(), halfs.size(), back.data());
  for (size_t i = 0; i < floats.size(); ++i) {
    EXPECT_EQ(halfs[i], FloatToHalf(floats[i])) << i;
    EXPECT_EQ(std::bit_cast<uint32_t>(back[i]), std::bit_cast<uint32_t>(HalfToFloat(halfs[i])));
  }
}

}  // namespace
}  // namespace roxi::format
