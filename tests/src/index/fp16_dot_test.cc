#include "src/index/fp16_dot.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "format/float16.h"
#include "tests/src/index/simd_paths.h"

namespace roxi::index {
namespace {

using test_paths::SupportedPaths;

// n * dim binary16 values, uniform in [-scale, scale), rounded.
std::vector<uint16_t> RandomHalfs(std::mt19937& rng, size_t count, float scale) {
  std::uniform_real_distribution<float> u(-scale, scale);
  std::vector<uint16_t> halfs(count);
  for (uint16_t& h : halfs) h = format::FloatToHalf(u(rng));
  return halfs;
}

std::vector<float> RandomFloats(std::mt19937& rng, size_t count, float scale) {
  std::uniform_real_distribution<float> u(-scale, scale);
  std::vector<float> v(count);
  for (float& x : v) x = u(rng);
  return v;
}

// The bound of fp16_dot.h: two summation orders of dim products differ by at most
// 2 * dim * 2^-24 * sum |q_i r_i|.
double Tolerance(const float* q, const uint16_t* row, uint32_t dim) {
  double magnitude = 0;
  for (uint32_t i = 0; i < dim; ++i) magnitude += std::fabs(double{q[i]} * format::HalfToFloat(row[i]));
  return 2.0 * dim * std::ldexp(1.0, -24) * magnitude + 1e-30;
}

TEST(Fp16DotTest, ScalarReferenceEqualsAPlainLoop) {
  std::mt19937 rng(1);
  const uint32_t dim = 37;
  const std::vector<uint16_t> rows = RandomHalfs(rng, 5 * dim, 1.0f);
  const std::vector<float> q = RandomFloats(rng, dim, 1.0f);
  std::vector<float> scores(5);
  Fp16DotRowsScalar(q.data(), rows.data(), 5, dim, scores.data());
  for (size_t r = 0; r < 5; ++r) {
    float sum = 0;
    for (uint32_t i = 0; i < dim; ++i) sum += q[i] * format::HalfToFloat(rows[r * dim + i]);
    EXPECT_EQ(scores[r], sum) << r;  // bit-identical: same order, same operations
  }
}

// Odd dimensions (every tail length of both vector paths) and odd row counts.
TEST(Fp16DotTest, EveryPathMatchesTheScalarReference) {
  for (SimdPath path : SupportedPaths()) {
    SCOPED_TRACE(std::string(SimdPathName(path)));
    const Fp16DotRowsFn kernel = Fp16DotRowsFor(path);
    std::mt19937 rng(42);
    for (uint32_t dim : {1u, 2u, 3u, 7u, 8u, 9u, 15u, 16u, 17u, 31u, 33u, 63u, 64u, 65u, 383u,
                         384u, 385u, 1000u}) {
      for (size_t n : {size_t{1}, size_t{3}, size_t{17}}) {
        SCOPED_TRACE(testing::Message() << "dim " << dim << " n " << n);
        const std::vector<uint16_t> rows = RandomHalfs(rng, n * dim, 2.0f);
        const std::vector<float> q = RandomFloats(rng, dim, 1.5f);
        std::vector<float> want(n), got(n, -1.0f);
        Fp16DotRowsScalar(q.data(), rows.data(), n, dim, want.data());
        kernel(q.data(), rows.data(), n, dim, got.data());
        for (size_t r = 0; r < n; ++r) {
          EXPECT_NEAR(got[r], want[r], Tolerance(q.data(), rows.data() + r * dim, dim)) << r;
        }
      }
    }
  }
}

// Values that are exact in float whatever the order (small dyadic numbers), including binary16
// subnormals, zeros of both signs and the largest finite half: every path must then agree exactly.
TEST(Fp16DotTest, ExactSumsAreExactOnEveryPath) {
  const std::vector<uint16_t> specials = {0x0000, 0x8000, 0x0001, 0x8001, 0x03ff, 0x3c00,
                                          0xbc00, 0x3800, 0x7bff, 0xfbff, 0x0400, 0x4000};
  for (SimdPath path : SupportedPaths()) {
    SCOPED_TRACE(std::string(SimdPathName(path)));
    for (uint32_t dim : {1u, 12u, 19u, 40u}) {
      std::vector<uint16_t> row(dim);
      std::vector<float> q(dim, 0.0f);
      for (uint32_t i = 0; i < dim; ++i) row[i] = specials[i % specials.size()];
      q[0] = 1.0f;  // picks element 0 alone
      if (dim > 5) q[5] = 0.5f;
      float expected = format::HalfToFloat(row[0]);
      if (dim > 5) expected += 0.5f * format::HalfToFloat(row[5]);
      float got = -7;
      Fp16DotRowsFor(path)(q.data(), row.data(), 1, dim, &got);
      EXPECT_EQ(got, expected) << dim;
    }
  }
}

// A row at the very end of an allocation: the kernels must not read past it (the sanitizer and
// the page after a std::vector's end would catch a stray wide load only sometimes; this at least
// checks the last row's tail is read from the right place).
TEST(Fp16DotTest, LastRowTailIsReadInPlace) {
  for (SimdPath path : SupportedPaths()) {
    SCOPED_TRACE(std::string(SimdPathName(path)));
    const uint32_t dim = 21;
    std::vector<uint16_t> rows(2 * dim, format::FloatToHalf(1.0f));
    rows.back() = format::FloatToHalf(3.0f);
    std::vector<float> q(dim, 1.0f);
    float scores[2];
    Fp16DotRowsFor(path)(q.data(), rows.data(), 2, dim, scores);
    EXPECT_EQ(scores[0], 21.0f);
    EXPECT_EQ(scores[1], 23.0f);
  }
}

}  // namespace
}  // namespace roxi::index
