#include "format/float16.h"

#include <bit>

namespace roxi::format {

uint16_t FloatToHalf(float value) {
  const uint32_t f = std::bit_cast<uint32_t>(value);
  const uint16_t sign = static_cast<uint16_t>((f >> 16) & 0x8000);
  const uint32_t exp = (f >> 23) & 0xff;
  uint32_t mant = f & 0x7fffff;

  if (exp == 0xff) {  // infinity or NaN
    if (mant == 0) return sign | 0x7c00;
    // Keep the top payload bits and force the quiet bit so a NaN never becomes infinity.
    return static_cast<uint16_t>(sign | 0x7e00 | (mant >> 13));
  }
  const int32_t half_exp = static_cast<int32_t>(exp) - 127 + 15;
  if (half_exp >= 0x1f) return sign | 0x7c00;  // overflow to infinity
  if (half_exp <= 0) {
    // Subnormal half (or zero): shift the mantissa with its implicit bit into place.
    if (half_exp < -10) return sign;  // below half the smallest subnormal: rounds to zero
    mant |= 0x800000;
    const int shift = 14 - half_exp;  // 14..24
    uint32_t half_mant = mant >> shift;
    const uint32_t rem = mant & ((1u << shift) - 1);
    const uint32_t halfway = 1u << (shift - 1);
    if (rem > halfway || (rem == halfway && (half_mant & 1))) ++half_mant;
    return static_cast<uint16_t>(sign | half_mant);  // a carry into the exponent is correct
  }
  uint32_t half = (static_cast<uint32_t>(half_exp) << 10) | (mant >> 13);
  const uint32_t rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem == 0x1000 && (half & 1))) ++half;  // carry may reach infinity: correct
  return static_cast<uint16_t>(sign | half);
}

float HalfToFloat(uint16_t half) {
  const uint32_t sign = static_cast<uint32_t>(half & 0x8000) << 16;
  const uint32_t exp = (half >> 10) & 0x1f;
  uint32_t mant = half & 0x3ff;
  uint32_t f;
  if (exp == 0) {
    if (mant == 0) {
      f = sign;
    } else {
      // Normalise the subnormal: find its leading bit.
      int e = -1;
      do {
        ++e;
        mant <<= 1;
      } while ((mant & 0x400) == 0);
      f = sign | (static_cast<uint32_t>(127 - 15 - e) << 23) | ((mant & 0x3ff) << 13);
    }
  } else if (exp == 0x1f) {
    f = sign | 0x7f800000 | (mant << 13);
  } else {
    f = sign | ((exp - 15 + 127) << 23) | (mant << 13);
  }
  return std::bit_cast<float>(f);
}

void FloatsToHalfs(const float* src, size_t n, uint16_t* dst) {
  for (size_t i = 0; i < n; ++i) dst[i] = FloatToHalf(src[i]);
}

void HalfsToFloats(const uint16_t* src, size_t n, float* dst) {
  for (size_t i = 0; i < n; ++i) dst[i] = HalfToFloat(src[i]);
}

}  // namespace roxi::format
