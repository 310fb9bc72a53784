#include "src/index/fp16_dot.h"

#include <array>
#include <memory>

#include "format/dcheck.h"
#include "format/float16.h"

namespace roxi::index {
namespace {

// Every binary16 value widened, so the reference needs no conversion call per element:
// 256 KiB, built on first use.
const float* HalfTable() {
  static const std::unique_ptr<float[]> table = [] {
    auto t = std::make_unique<float[]>(65536);
    for (uint32_t h = 0; h < 65536; ++h) t[h] = format::HalfToFloat(static_cast<uint16_t>(h));
    return t;
  }();
  return table.get();
}

}  // namespace

void Fp16DotRowsScalar(const float* query, const uint16_t* rows, size_t n, uint32_t dim,
                       float* scores) {
  const float* widen = HalfTable();
  for (size_t r = 0; r < n; ++r) {
    const uint16_t* row = rows + r * dim;
    float sum = 0;
    for (uint32_t i = 0; i < dim; ++i) sum += query[i] * widen[row[i]];
    scores[r] = sum;
  }
}

Fp16DotRowsFn Fp16DotRowsFor(SimdPath path) {
  ROXI_DCHECK(CpuSupports(path));
  switch (path) {
    case SimdPath::kScalar: return Fp16DotRowsScalar;
    case SimdPath::kAvx2: return Fp16DotRowsAvx2;
    case SimdPath::kAvx512: return Fp16DotRowsAvx512;
  }
  return Fp16DotRowsScalar;
}

}  // namespace roxi::index
