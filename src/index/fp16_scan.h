// The exact top-k scan over binary16 rows: scores a block of rows at a time with an fp16_dot.h
// kernel into a small float buffer, then offers each score to a bounded heap per query (top_k.h).
// A large scan is split into contiguous row ranges on several threads, each with its own heaps,
// merged at the end; since ties are settled by id, the result does not depend on the split.
//
// Thread-safety: ScanTopK is reentrant; it only reads the rows, ids and queries it is given.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "format/status.h"
#include "src/index/fp16_dot.h"
#include "src/index/search_hit.h"

namespace roxi::index {

// Rows scored per kernel call: 64 KiB of scores' worth of work, small enough that the scores stay
// in L1 while they are offered to the heaps.
inline constexpr size_t kScanBlockRows = 256;

struct ScanRequest {
  // The rows: n * dim binary16 values, row-major; ids[r] is row r's id.
  std::span<const uint16_t> rows;
  std::span<const uint64_t> ids;
  uint32_t dim = 0;
  // nq * dim float32 values, row-major, one query per row; finite.
  std::span<const float> queries;
  // Hits wanted per query; at least 1.
  size_t k = 1;
  // Scores below this (and NaN scores, unless it is -infinity) are left out.
  float min_score = -std::numeric_limits<float>::infinity();
  // Empty: every row is a candidate. Otherwise a bitmap over rows (bit r % 64 of word r / 64):
  // only rows whose bit is set are candidates. REQUIRES: at least (n + 63) / 64 words.
  std::span<const uint64_t> row_filter;
  Fp16DotRowsFn kernel = Fp16DotRowsScalar;
  // Threads to split the rows across (the calling thread is one of them); at least 1. Fewer are
  // used when a thread cannot be started.
  size_t threads = 1;
};

// For each query, its best min(k, candidates) hits in HitBefore order. Internal if memory runs
// out; no exception leaves it. REQUIRES: rows.size() == ids.size() * dim, queries.size() a
// multiple of dim, dim >= 1, k >= 1, threads >= 1.
Result<std::vector<std::vector<SearchHit>>> ScanTopK(const ScanRequest& request);

}  // namespace roxi::index
