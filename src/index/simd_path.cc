#include "src/index/simd_path.h"

#include <cstdlib>
#include <string>

namespace roxi::index {

std::string_view SimdPathName(SimdPath path) {
  switch (path) {
    case SimdPath::kScalar: return "scalar";
    case SimdPath::kAvx2: return "avx2";
    case SimdPath::kAvx512: return "avx512";
  }
  return "unknown";
}

bool CpuSupports(SimdPath path) {
  switch (path) {
    case SimdPath::kScalar: return true;
    case SimdPath::kAvx2:
      return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
             __builtin_cpu_supports("f16c");
    case SimdPath::kAvx512:
      // The AVX-512 kernel also uses F16C-era 256-bit loads; every AVX-512F CPU has AVX2 and FMA.
      return __builtin_cpu_supports("avx512f") && CpuSupports(SimdPath::kAvx2);
  }
  return false;
}

SimdPath BestSimdPath() {
  for (SimdPath path : {SimdPath::kAvx512, SimdPath::kAvx2}) {
    if (CpuSupports(path)) return path;
  }
  return SimdPath::kScalar;
}

Result<SimdPath> ParseSimdPath(std::string_view name) {
  for (SimdPath path : {SimdPath::kScalar, SimdPath::kAvx2, SimdPath::kAvx512}) {
    if (name != SimdPathName(path)) continue;
    if (!CpuSupports(path)) {
      return Status::NotSupported("simd path " + std::string(name),
                                  "this CPU lacks its instructions");
    }
    return path;
  }
  return Status::InvalidArgument("simd path '" + std::string(name) + "'",
                                 "want scalar, avx2 or avx512");
}

Result<SimdPath> DefaultSimdPath() {
  static const Result<SimdPath> chosen = []() -> Result<SimdPath> {
    const char* value = std::getenv("ROXI_SIMD");
    if (value == nullptr || *value == '\0') return BestSimdPath();
    Result<SimdPath> parsed = ParseSimdPath(value);
    if (!parsed.ok()) return parsed.status().WithContext("environment variable ROXI_SIMD");
    return parsed;
  }();
  return chosen;
}

}  // namespace roxi::index
