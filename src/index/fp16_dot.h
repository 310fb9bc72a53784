// The inner-product kernel of the exact search: a float32 query against rows of IEEE binary16
// values (as stored, FORMAT.md §1.4), one score per row. One scalar reference and one function per
// SIMD path beside it; every path is tested against the reference (tests/src/index/
// fp16_dot_test.cc). The vector paths widen binary16 with the hardware conversion (exact, as is
// the reference's) and differ from the reference only in the order of the float additions, so
// their scores agree within float rounding: |path - reference| <= 2 * dim * 2^-24 * sum |q_i r_i|.
//
// All kernels share one signature:
//   query:  dim floats.
//   rows:   n * dim binary16 bit patterns, row-major; no alignment needed.
//   scores: n floats; scores[r] = sum over i of query[i] * rows[r * dim + i].
// REQUIRES: dim >= 1; the path's instructions available (CpuSupports, simd_path.h).
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>

#include "src/index/simd_path.h"

namespace roxi::index {

using Fp16DotRowsFn = void (*)(const float* query, const uint16_t* rows, size_t n, uint32_t dim,
                               float* scores);

// The reference: in index order, one float multiply and add at a time.
void Fp16DotRowsScalar(const float* query, const uint16_t* rows, size_t n, uint32_t dim,
                       float* scores);
// AVX2 + FMA + F16C. REQUIRES: CpuSupports(SimdPath::kAvx2).
void Fp16DotRowsAvx2(const float* query, const uint16_t* rows, size_t n, uint32_t dim,
                     float* scores);
// AVX-512F. REQUIRES: CpuSupports(SimdPath::kAvx512).
void Fp16DotRowsAvx512(const float* query, const uint16_t* rows, size_t n, uint32_t dim,
                       float* scores);

// The kernel of `path`. REQUIRES: CpuSupports(path).
Fp16DotRowsFn Fp16DotRowsFor(SimdPath path);

}  // namespace roxi::index
