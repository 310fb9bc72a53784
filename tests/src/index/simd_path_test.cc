#include "src/index/simd_path.h"

#include <gtest/gtest.h>

namespace roxi::index {
namespace {

TEST(SimdPathTest, NamesRoundTrip) {
  for (SimdPath p : {SimdPath::kScalar, SimdPath::kAvx2, SimdPath::kAvx512}) {
    Result<SimdPath> parsed = ParseSimdPath(SimdPathName(p));
    if (CpuSupports(p)) {
      ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
      EXPECT_EQ(*parsed, p);
    } else {
      EXPECT_TRUE(parsed.status().IsNotSupported()) << parsed.status().ToString();
      EXPECT_NE(parsed.status().ToString().find(SimdPathName(p)), std::string::npos);
    }
  }
}

TEST(SimdPathTest, RejectsUnknownNamesNamingThem) {
  for (const char* bad : {"", "AVX2", "sse", "avx512 "}) {
    Result<SimdPath> parsed = ParseSimdPath(bad);
    EXPECT_TRUE(parsed.status().IsInvalidArgument()) << bad;
    EXPECT_NE(parsed.status().ToString().find("'" + std::string(bad) + "'"), std::string::npos)
        << parsed.status().ToString();
  }
}

TEST(SimdPathTest, BestPathIsSupportedAndScalarAlwaysIs) {
  EXPECT_TRUE(CpuSupports(SimdPath::kScalar));
  EXPECT_TRUE(CpuSupports(BestSimdPath()));
  if (CpuSupports(SimdPath::kAvx512)) {
    EXPECT_TRUE(CpuSupports(SimdPath::kAvx2));
  }
}

}  // namespace
}  // namespace roxi::index
