// IEEE 754 binary16 ("half") conversion, used for every stored vector (FORMAT.md §1.4).
//
// FloatToHalf rounds to nearest, ties to even: magnitudes of 65520 and above become infinity,
// magnitudes of 2^-25 (half the smallest subnormal) and below become zero, both keeping the sign;
// NaN stays NaN (quiet bit set, sign and top payload bits kept), never infinity.
// HalfToFloat is exact for every one of the 65,536 halves, so FloatToHalf(HalfToFloat(h)) == h for
// every non-NaN half.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>

namespace roxi::format {

uint16_t FloatToHalf(float value);
float HalfToFloat(uint16_t half);

// Bulk forms: n values from src to dst.
void FloatsToHalfs(const float* src, size_t n, uint16_t* dst);
void HalfsToFloats(const uint16_t* src, size_t n, float* dst);

}  // namespace roxi::format
