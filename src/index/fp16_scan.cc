#include "src/index/fp16_scan.h"

#include <algorithm>
#include <bit>
#include <exception>
#include <functional>
#include <new>
#include <string>
#include <system_error>
#include <thread>

#include "format/dcheck.h"
#include "src/index/top_k.h"

namespace roxi::index {
namespace {

// A run of candidate rows within a block: [begin, end), offsets from the block's first row.
struct RowRun {
  uint32_t begin;
  uint32_t end;
};

// The runs of rows in [block, block + n) whose bit is set in `filter`; returns their number.
// Words with no bit set are skipped 64 rows at a time.
size_t CandidateRuns(std::span<const uint64_t> filter, size_t block, size_t n, RowRun* runs) {
  size_t count = 0;
  size_t i = 0;
  while (i < n) {
    const size_t r = block + i;
    const uint64_t word = filter[r >> 6] >> (r & 63);
    if (word == 0) {
      i += 64 - (r & 63);  // the rest of this word has no candidate
      continue;
    }
    i += static_cast<size_t>(std::countr_zero(word));
    if (i >= n) break;
    const size_t begin = i;
    while (i < n && ((filter[(block + i) >> 6] >> ((block + i) & 63)) & 1) != 0) ++i;
    runs[count++] = {static_cast<uint32_t>(begin), static_cast<uint32_t>(i)};
  }
  return count;
}

// Scans rows [begin, end) for every query into heaps[q]. With a row filter only the candidate
// rows are scored (the kernel scores each row on its own, so a run scores exactly as a block
// would), which makes a selective filter cheaper than a full scan rather than dearer.
void ScanRange(const ScanRequest& req, size_t begin, size_t end, std::vector<TopK>* heaps) {
  const size_t nq = req.queries.size() / req.dim;
  const bool filtered = !req.row_filter.empty();
  const bool has_min = req.min_score > -std::numeric_limits<float>::infinity();
  float scores[kScanBlockRows];
  RowRun runs[kScanBlockRows / 2 + 1];
  for (size_t block = begin; block < end; block += kScanBlockRows) {
    const size_t n = std::min(kScanBlockRows, end - block);
    const uint16_t* rows = req.rows.data() + block * req.dim;
    size_t run_count = 1;
    runs[0] = {0, static_cast<uint32_t>(n)};
    if (filtered) {
      run_count = CandidateRuns(req.row_filter, block, n, runs);
      if (run_count == 0) continue;
    }
    // Every query reads the block while it is still in cache.
    for (size_t q = 0; q < nq; ++q) {
      TopK& heap = (*heaps)[q];
      for (size_t run = 0; run < run_count; ++run) {
        const RowRun& rr = runs[run];
        req.kernel(req.queries.data() + q * req.dim, rows + size_t{rr.begin} * req.dim,
                   rr.end - rr.begin, req.dim, scores + rr.begin);
        for (size_t i = rr.begin; i < rr.end; ++i) {
          if (has_min && !(scores[i] >= req.min_score)) continue;
          heap.Push(req.ids[block + i], scores[i]);
        }
      }
    }
  }
}

}  // namespace

Result<std::vector<std::vector<SearchHit>>> ScanTopK(const ScanRequest& req) {
  ROXI_DCHECK(req.dim >= 1 && req.k >= 1 && req.threads >= 1);
  ROXI_DCHECK(req.rows.size() == req.ids.size() * req.dim);
  ROXI_DCHECK(req.queries.size() % req.dim == 0);
  const size_t n = req.ids.size();
  ROXI_DCHECK(req.row_filter.empty() || req.row_filter.size() >= (n + 63) / 64);
  const size_t nq = req.queries.size() / req.dim;
  try {
    const size_t parts = std::max<size_t>(1, std::min(req.threads, n / kScanBlockRows));
    // Each part gets whole blocks, so every part scores exactly the blocks one scan would.
    const size_t blocks = (n + kScanBlockRows - 1) / kScanBlockRows;
    auto part_begin = [&](size_t p) { return std::min(n, blocks * p / parts * kScanBlockRows); };
    std::vector<std::vector<TopK>> heaps(parts);
    for (size_t p = 0; p < parts; ++p) {
      heaps[p].reserve(nq);
      for (size_t q = 0; q < nq; ++q) heaps[p].emplace_back(req.k, part_begin(p + 1) - part_begin(p));
    }
    {
      std::vector<std::jthread> helpers;
      std::vector<size_t> on_this_thread = {0};
      for (size_t p = 1; p < parts; ++p) {
        try {
          // Nothing in ScanRange allocates, so it cannot throw.
          helpers.emplace_back(ScanRange, std::cref(req), part_begin(p), part_begin(p + 1),
                               &heaps[p]);
        } catch (const std::system_error&) {
          on_this_thread.push_back(p);  // no thread to be had: scan it here instead
        }
      }
      for (size_t p : on_this_thread) ScanRange(req, part_begin(p), part_begin(p + 1), &heaps[p]);
    }  // joins the helpers
    std::vector<std::vector<SearchHit>> out(nq);
    for (size_t q = 0; q < nq; ++q) {
      for (size_t p = 1; p < parts; ++p) heaps[0][q].Merge(heaps[p][q]);
      out[q] = heaps[0][q].Take();
    }
    return out;
  } catch (const std::bad_alloc&) {
    return Status::Internal("vector search", "out of memory");
  } catch (const std::exception& e) {
    return Status::Internal("vector search", e.what());
  }
}

}  // namespace roxi::index
