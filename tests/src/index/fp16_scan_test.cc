#include "src/index/fp16_scan.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <random>
#include <vector>

#include "format/float16.h"
#include "tests/src/index/simd_paths.h"

namespace roxi::index {
namespace {

using test_paths::SupportedPaths;

struct Rows {
  uint32_t dim = 0;
  std::vector<uint16_t> halfs;
  std::vector<uint64_t> ids;
  std::vector<float> queries;
};

// n rows; scores are coarse (values in steps of 1/4) so that many rows tie exactly.
Rows MakeRows(uint32_t dim, size_t n, size_t nq, unsigned seed) {
  std::mt19937 rng(seed);
  Rows r;
  r.dim = dim;
  r.halfs.resize(n * dim);
  for (uint16_t& h : r.halfs) h = format::FloatToHalf(static_cast<float>(rng() % 9) * 0.25f - 1.0f);
  r.ids.resize(n);
  for (size_t i = 0; i < n; ++i) r.ids[i] = (i * 7919) % 1000003;
  r.queries.resize(nq * dim);
  for (float& q : r.queries) q = static_cast<float>(rng() % 5) * 0.5f - 1.0f;
  return r;
}

// The first k of every row's score (from the same kernel) sorted by HitBefore.
std::vector<SearchHit> Sorted(const Rows& r, size_t q, size_t k, Fp16DotRowsFn kernel,
                              float min_score = -std::numeric_limits<float>::infinity()) {
  const size_t n = r.ids.size();
  std::vector<float> scores(n);
  kernel(r.queries.data() + q * r.dim, r.halfs.data(), n, r.dim, scores.data());
  std::vector<SearchHit> all;
  for (size_t i = 0; i < n; ++i) {
    if (scores[i] >= min_score) all.push_back({r.ids[i], scores[i]});
  }
  std::sort(all.begin(), all.end(), HitBefore);
  all.resize(std::min(k, all.size()));
  return all;
}

ScanRequest RequestFor(const Rows& r, size_t k, SimdPath path, size_t threads) {
  ScanRequest req;
  req.rows = r.halfs;
  req.ids = r.ids;
  req.dim = r.dim;
  req.queries = r.queries;
  req.k = k;
  req.kernel = Fp16DotRowsFor(path);
  req.threads = threads;
  return req;
}

TEST(Fp16ScanTest, TopKEqualsASortedBruteForceOnEveryPath) {
  for (SimdPath path : SupportedPaths()) {
    SCOPED_TRACE(std::string(SimdPathName(path)));
    for (uint32_t dim : {1u, 3u, 17u, 383u, 384u, 385u, 1000u}) {
      for (size_t n : {size_t{1}, size_t{5}, size_t{255}, size_t{257}, size_t{1031}}) {
        SCOPED_TRACE(testing::Message() << "dim " << dim << " n " << n);
        const Rows r = MakeRows(dim, n, 3, dim * 31 + static_cast<unsigned>(n));
        for (size_t k : {size_t{1}, size_t{10}, n, n + 5}) {
          const size_t kk = std::min(k, n);
          Result<std::vector<std::vector<SearchHit>>> got = ScanTopK(RequestFor(r, kk, path, 1));
          ASSERT_TRUE(got.ok()) << got.status().ToString();
          ASSERT_EQ(got->size(), 3u);
          for (size_t q = 0; q < 3; ++q) {
            EXPECT_EQ((*got)[q], Sorted(r, q, kk, Fp16DotRowsFor(path))) << "k " << k;
          }
        }
      }
    }
  }
}

TEST(Fp16ScanTest, ThreadSplitEqualsOneThread) {
  const Rows r = MakeRows(385, 5000, 4, 77);
  for (SimdPath path : SupportedPaths()) {
    SCOPED_TRACE(std::string(SimdPathName(path)));
    Result<std::vector<std::vector<SearchHit>>> one = ScanTopK(RequestFor(r, 50, path, 1));
    ASSERT_TRUE(one.ok());
    for (size_t threads : {size_t{2}, size_t{3}, size_t{7}, size_t{64}}) {
      Result<std::vector<std::vector<SearchHit>>> split = ScanTopK(RequestFor(r, 50, path, threads));
      ASSERT_TRUE(split.ok());
      EXPECT_EQ(*split, *one) << threads;
    }
  }
}

TEST(Fp16ScanTest, MinScoreLeavesOutLowerScores) {
  const Rows r = MakeRows(16, 600, 1, 5);
  ScanRequest req = RequestFor(r, 600, SimdPath::kScalar, 2);
  req.min_score = 0.5f;
  Result<std::vector<std::vector<SearchHit>>> got = ScanTopK(req);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ((*got)[0], Sorted(r, 0, 600, Fp16DotRowsScalar, 0.5f));
  for (const SearchHit& h : (*got)[0]) EXPECT_GE(h.score, 0.5f);
}

TEST(Fp16ScanTest, RowFilterKeepsOnlyMarkedRows) {
  const Rows r = MakeRows(8, 300, 1, 6);
  std::vector<uint64_t> bitmap((300 + 63) / 64, 0);
  Rows kept;
  kept.dim = r.dim;
  kept.queries = r.queries;
  for (size_t i = 0; i < 300; ++i) {
    if (i % 3 == 1 || i == 299) {
      bitmap[i / 64] |= uint64_t{1} << (i % 64);
      kept.ids.push_back(r.ids[i]);
      kept.halfs.insert(kept.halfs.end(), r.halfs.begin() + i * 8, r.halfs.begin() + (i + 1) * 8);
    }
  }
  ScanRequest req = RequestFor(r, 20, SimdPath::kScalar, 2);
  req.row_filter = bitmap;
  Result<std::vector<std::vector<SearchHit>>> got = ScanTopK(req);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ((*got)[0], Sorted(kept, 0, 20, Fp16DotRowsScalar));
}

// Bitmaps of every shape the run finder meets: empty, full, single rows, runs crossing the 64-row
// words and the 256-row blocks, the last row alone; the scan over the marked rows must equal a
// brute force over just those rows, on every path and thread split.
TEST(Fp16ScanTest, RowFilterOfEveryShapeEqualsABruteForceOverTheKeptRows) {
  const size_t n = 1031;
  const Rows r = MakeRows(17, n, 2, 9);
  std::mt19937 rng(3);
  std::vector<std::function<bool(size_t)>> shapes = {
      [](size_t) { return false; },
      [](size_t) { return true; },
      [](size_t i) { return i == 0 || i == n - 1; },
      [](size_t i) { return i % 2 == 0; },
      [](size_t i) { return i >= 60 && i < 70; },     // crosses a word
      [](size_t i) { return i >= 250 && i < 520; },   // crosses blocks
      [](size_t i) { return (i / 64) % 3 == 1; },     // whole words
      [](size_t i) { return i % 97 == 5; },           // sparse
  };
  std::vector<bool> random_rows(n);
  for (size_t i = 0; i < n; ++i) random_rows[i] = rng() % 10 == 0;
  shapes.push_back([&](size_t i) { return random_rows[i]; });
  for (size_t shape = 0; shape < shapes.size(); ++shape) {
    std::vector<uint64_t> bitmap((n + 63) / 64, 0);
    Rows kept;
    kept.dim = r.dim;
    kept.queries = r.queries;
    for (size_t i = 0; i < n; ++i) {
      if (!shapes[shape](i)) continue;
      bitmap[i / 64] |= uint64_t{1} << (i % 64);
      kept.ids.push_back(r.ids[i]);
      kept.halfs.insert(kept.halfs.end(), r.halfs.begin() + i * r.dim,
                        r.halfs.begin() + (i + 1) * r.dim);
    }
    for (SimdPath path : SupportedPaths()) {
      for (size_t threads : {size_t{1}, size_t{3}}) {
        SCOPED_TRACE(testing::Message() << "shape " << shape << " path " << SimdPathName(path)
                                        << " threads " << threads);
        ScanRequest req = RequestFor(r, 25, path, threads);
        req.row_filter = bitmap;
        Result<std::vector<std::vector<SearchHit>>> got = ScanTopK(req);
        ASSERT_TRUE(got.ok());
        for (size_t q = 0; q < 2; ++q) {
          const std::vector<SearchHit> want =
              kept.ids.empty() ? std::vector<SearchHit>{} : Sorted(kept, q, 25, Fp16DotRowsFor(path));
          EXPECT_EQ((*got)[q], want);
        }
      }
    }
  }
}

}  // namespace
}  // namespace roxi::index
