// The AVX2 + FMA + F16C path of fp16_dot.h. Only this function is compiled for those instructions
// (a target attribute, not a file-wide flag), so the binary still runs on baseline x86-64; callers
// check the CPU first (simd_path.h).
#include <immintrin.h>

#include <cstring>

#include "src/index/fp16_dot.h"

namespace roxi::index {

__attribute__((target("avx2,fma,f16c"))) void Fp16DotRowsAvx2(const float* query,
                                                              const uint16_t* rows, size_t n,
                                                              uint32_t dim, float* scores) {
  const uint32_t wide_end = dim & ~31u;  // four 8-lane steps per turn: four independent sums
  const uint32_t lane_end = dim & ~7u;
  const uint32_t tail = dim - lane_end;
  // The query's last partial group of 8, zero-padded once; each row's is copied the same way, so
  // no load reads past a row.
  alignas(32) float query_tail[8] = {};
  std::memcpy(query_tail, query + lane_end, tail * sizeof(float));
  const __m256 q_tail = _mm256_load_ps(query_tail);
  for (size_t r = 0; r < n; ++r) {
    const uint16_t* row = rows + r * dim;
    __m256 a0 = _mm256_setzero_ps();
    __m256 a1 = _mm256_setzero_ps();
    __m256 a2 = _mm256_setzero_ps();
    __m256 a3 = _mm256_setzero_ps();
    uint32_t i = 0;
    for (; i < wide_end; i += 32) {
      const __m128i* p = reinterpret_cast<const __m128i*>(row + i);
      a0 = _mm256_fmadd_ps(_mm256_cvtph_ps(_mm_loadu_si128(p)), _mm256_loadu_ps(query + i), a0);
      a1 = _mm256_fmadd_ps(_mm256_cvtph_ps(_mm_loadu_si128(p + 1)), _mm256_loadu_ps(query + i + 8),
                           a1);
      a2 = _mm256_fmadd_ps(_mm256_cvtph_ps(_mm_loadu_si128(p + 2)),
                           _mm256_loadu_ps(query + i + 16), a2);
      a3 = _mm256_fmadd_ps(_mm256_cvtph_ps(_mm_loadu_si128(p + 3)),
                           _mm256_loadu_ps(query + i + 24), a3);
    }
    for (; i < lane_end; i += 8) {
      const __m128i h = _mm_loadu_si128(reinterpret_cast<const __m128i*>(row + i));
      a0 = _mm256_fmadd_ps(_mm256_cvtph_ps(h), _mm256_loadu_ps(query + i), a0);
    }
    if (tail != 0) {
      alignas(16) uint16_t row_tail[8] = {};
      std::memcpy(row_tail, row + lane_end, tail * sizeof(uint16_t));
      const __m128i h = _mm_load_si128(reinterpret_cast<const __m128i*>(row_tail));
      a1 = _mm256_fmadd_ps(_mm256_cvtph_ps(h), q_tail, a1);
    }
    const __m256 sum = _mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3));
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(sum), _mm256_extractf128_ps(sum, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    scores[r] = _mm_cvtss_f32(s);
  }
}

}  // namespace roxi::index
