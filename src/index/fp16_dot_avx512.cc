// The AVX-512F path of fp16_dot.h. Only this function is compiled for those instructions (a target
// attribute, not a file-wide flag), so the binary still runs on baseline x86-64; callers check the
// CPU first (simd_path.h). AVX-512F alone has the 16-lane binary16 conversion (vcvtph2ps zmm).
#include <immintrin.h>

// GCC 12's AVX-512 intrinsics start from _mm512_undefined_ps(), a self-initialised variable that
// -Wmaybe-uninitialized reports wherever they are inlined (GCC bug 105593); nothing here is
// uninitialised.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include <cstring>

#include "src/index/fp16_dot.h"

namespace roxi::index {
namespace {

// The sum of v's 16 lanes.
__attribute__((target("avx512f"))) inline float SumLanes(__m512 v) {
  __m512 t = _mm512_add_ps(v, _mm512_shuffle_f32x4(v, v, _MM_SHUFFLE(1, 0, 3, 2)));
  t = _mm512_add_ps(t, _mm512_shuffle_f32x4(t, t, _MM_SHUFFLE(2, 3, 0, 1)));
  __m128 s = _mm512_castps512_ps128(t);
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}

}  // namespace

__attribute__((target("avx512f,avx2,fma,f16c"))) void Fp16DotRowsAvx512(const float* query,
                                                                        const uint16_t* rows,
                                                                        size_t n, uint32_t dim,
                                                                        float* scores) {
  const uint32_t wide_end = dim & ~63u;  // four 16-lane steps per turn: four independent sums
  const uint32_t lane_end = dim & ~15u;
  const uint32_t tail = dim - lane_end;
  // The query's last partial group of 16, zero-padded once; each row's is copied the same way, so
  // no load reads past a row.
  alignas(64) float query_tail[16] = {};
  std::memcpy(query_tail, query + lane_end, tail * sizeof(float));
  const __m512 q_tail = _mm512_load_ps(query_tail);
  for (size_t r = 0; r < n; ++r) {
    const uint16_t* row = rows + r * dim;
    __m512 a0 = _mm512_setzero_ps();
    __m512 a1 = _mm512_setzero_ps();
    __m512 a2 = _mm512_setzero_ps();
    __m512 a3 = _mm512_setzero_ps();
    uint32_t i = 0;
    for (; i < wide_end; i += 64) {
      const __m256i* p = reinterpret_cast<const __m256i*>(row + i);
      a0 = _mm512_fmadd_ps(_mm512_cvtph_ps(_mm256_loadu_si256(p)), _mm512_loadu_ps(query + i), a0);
      a1 = _mm512_fmadd_ps(_mm512_cvtph_ps(_mm256_loadu_si256(p + 1)),
                           _mm512_loadu_ps(query + i + 16), a1);
      a2 = _mm512_fmadd_ps(_mm512_cvtph_ps(_mm256_loadu_si256(p + 2)),
                           _mm512_loadu_ps(query + i + 32), a2);
      a3 = _mm512_fmadd_ps(_mm512_cvtph_ps(_mm256_loadu_si256(p + 3)),
                           _mm512_loadu_ps(query + i + 48), a3);
    }
    for (; i < lane_end; i += 16) {
      const __m256i h = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(row + i));
      a0 = _mm512_fmadd_ps(_mm512_cvtph_ps(h), _mm512_loadu_ps(query + i), a0);
    }
    if (tail != 0) {
      alignas(32) uint16_t row_tail[16] = {};
      std::memcpy(row_tail, row + lane_end, tail * sizeof(uint16_t));
      const __m256i h = _mm256_load_si256(reinterpret_cast<const __m256i*>(row_tail));
      a1 = _mm512_fmadd_ps(_mm512_cvtph_ps(h), q_tail, a1);
    }
    scores[r] = SumLanes(_mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3)));
  }
}

}  // namespace roxi::index
