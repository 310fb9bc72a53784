// The SIMD paths the index tests run every kernel through: each path this CPU can run, the scalar
// reference always.
#pragma once

#include <vector>

#include "src/index/simd_path.h"

namespace roxi::index::test_paths {

inline std::vector<SimdPath> SupportedPaths() {
  std::vector<SimdPath> paths;
  for (SimdPath p : {SimdPath::kScalar, SimdPath::kAvx2, SimdPath::kAvx512}) {
    if (CpuSupports(p)) paths.push_back(p);
  }
  return paths;
}

}  // namespace roxi::index::test_paths
