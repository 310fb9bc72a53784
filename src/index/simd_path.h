// SimdPath: which instruction-set path the fp16 inner-product kernel (fp16_dot.h) runs on, chosen
// once per process from the CPU's features and overridable with the ROXI_SIMD environment variable
// (scalar, avx2 or avx512), so that tests and benchmarks can force every path.
//
// The binary is built for baseline x86-64: the vector paths live in files whose functions carry
// their own target attributes and are only called after the CPU was checked here.
//
// Thread-safety: pure functions, and DefaultSimdPath's one-time choice is thread-safe.
#pragma once

#include <string_view>

#include "format/status.h"

namespace roxi::index {

enum class SimdPath {
  kScalar,  // portable C++: the reference every other path is tested against
  kAvx2,    // AVX2 + FMA + F16C, 8 lanes
  kAvx512,  // AVX-512F (which has the 16-lane binary16 conversion), 16 lanes
};

// "scalar", "avx2" or "avx512".
std::string_view SimdPathName(SimdPath path);

// True if this CPU can run `path` (kScalar always).
bool CpuSupports(SimdPath path);

// The fastest path this CPU supports.
SimdPath BestSimdPath();

// Parses a name as SimdPathName writes it. InvalidArgument naming the value if it is none of them;
// NotSupported naming the path if this CPU lacks its instructions.
Result<SimdPath> ParseSimdPath(std::string_view name);

// The path for indexes that do not ask for one: ROXI_SIMD when set and not empty, else
// BestSimdPath(). Decided on the first call and fixed for the process. Returns ParseSimdPath's
// error (with the variable named) when ROXI_SIMD is bad or asks for a path the CPU lacks.
Result<SimdPath> DefaultSimdPath();

}  // namespace roxi::index
