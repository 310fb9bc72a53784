#include "src/index/vector_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <ostream>
#include <random>
#include <span>
#include <thread>
#include <vector>

#include "format/float16.h"

namespace roxi::index {

// Readable failure messages; found by argument-dependent lookup, so outside the anonymous
// namespace.
void PrintTo(const SearchHit& hit, std::ostream* os) {
  *os << "{" << hit.id << ", " << hit.score << "}";
}

namespace {

std::unique_ptr<VectorIndex> MakeIndex(uint32_t dim) {
  Result<std::unique_ptr<VectorIndex>> created = VectorIndex::Create(dim);
  EXPECT_TRUE(created.ok()) << created.status().ToString();
  return created.ok() ? std::move(created).value() : nullptr;
}

// n rows of dim values, uniform in [-1, 1) and then L2-normalised. The values come straight from
// mt19937's standardised output, so they are the same with every standard library.
std::vector<float> RandomUnitVectors(std::mt19937& rng, size_t n, uint32_t dim) {
  std::vector<float> v(n * dim);
  for (size_t r = 0; r < n; ++r) {
    float* row = v.data() + r * dim;
    double norm2 = 0;
    for (uint32_t c = 0; c < dim; ++c) {
      row[c] = static_cast<float>(rng() >> 8) * (2.0f / 16777216.0f) - 1.0f;
      norm2 += double{row[c]} * row[c];
    }
    const float inv = static_cast<float>(1.0 / std::sqrt(norm2));
    for (uint32_t c = 0; c < dim; ++c) row[c] *= inv;
  }
  return v;
}

// The reference: a float32 dot product per row, best first, ties by ascending id.
std::vector<SearchHit> BruteForce(std::span<const uint64_t> ids, std::span<const float> vectors,
                                  std::span<const float> query, size_t k) {
  const size_t dim = query.size();
  std::vector<SearchHit> all;
  for (size_t r = 0; r < ids.size(); ++r) {
    float dot = 0;
    for (size_t c = 0; c < dim; ++c) dot += query[c] * vectors[r * dim + c];
    all.push_back({ids[r], dot});
  }
  std::sort(all.begin(), all.end(), [](const SearchHit& a, const SearchHit& b) {
    return a.score != b.score ? a.score > b.score : a.id < b.id;
  });
  all.resize(std::min(k, all.size()));
  return all;
}

std::vector<uint64_t> IdsOf(const std::vector<SearchHit>& hits) {
  std::vector<uint64_t> ids;
  for (const SearchHit& h : hits) ids.push_back(h.id);
  return ids;
}

// Unit vectors with dyadic components, so every score below is exact in float.
constexpr uint32_t kDim = 4;
const std::vector<uint64_t> kIds = {40, 12, 31, 5, 77};
const std::vector<float> kVectors = {
    1,   0,    0,   0,     // 40: e1
    0.5, 0.5,  0.5, 0.5,   // 12: h
    0.5, -0.5, 0.5, -0.5,  // 31: g, orthogonal to h
    0,   1,    0,   0,     // 5:  e2
    -1,  0,    0,   0,     // 77: -e1
};

std::unique_ptr<VectorIndex> MakeSmallIndex() {
  std::unique_ptr<VectorIndex> index = MakeIndex(kDim);
  if (index == nullptr) return nullptr;
  Status s = index->Add(kIds, kVectors);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return index;
}

TEST(VectorIndexTest, CreateRejectsBadDims) {
  for (uint32_t dim : {0u, kMaxVectorDim + 1, std::numeric_limits<uint32_t>::max()}) {
    Result<std::unique_ptr<VectorIndex>> created = VectorIndex::Create(dim);
    EXPECT_TRUE(created.status().IsInvalidArgument()) << dim << ": " << created.status().ToString();
  }
  for (uint32_t dim : {1u, 384u, kMaxVectorDim}) {
    std::unique_ptr<VectorIndex> index = MakeIndex(dim);
    ASSERT_NE(index, nullptr);
    EXPECT_EQ(index->dim(), dim);
    EXPECT_EQ(index->size(), 0u);
  }
}

TEST(VectorIndexTest, ReturnsExactScoresBestFirst) {
  std::unique_ptr<VectorIndex> index = MakeSmallIndex();
  ASSERT_NE(index, nullptr);
  EXPECT_EQ(index->size(), 5u);

  const std::vector<float> e1 = {1, 0, 0, 0};
  Result<std::vector<SearchHit>> hits = index->Search(e1, 5);
  ASSERT_TRUE(hits.ok()) << hits.status().ToString();
  EXPECT_EQ(*hits, (std::vector<SearchHit>{{40, 1}, {12, 0.5}, {31, 0.5}, {5, 0}, {77, -1}}));

  const std::vector<float> h = {0.5, 0.5, 0.5, 0.5};
  hits = index->Search(h, 3);
  ASSERT_TRUE(hits.ok()) << hits.status().ToString();
  // 5 and 40 tie at 0.5: ascending id, although 40 was added first.
  EXPECT_EQ(*hits, (std::vector<SearchHit>{{12, 1}, {5, 0.5}, {40, 0.5}}));

  hits = index->Search(h, 1);
  ASSERT_TRUE(hits.ok()) << hits.status().ToString();
  EXPECT_EQ(*hits, (std::vector<SearchHit>{{12, 1}}));
}

TEST(VectorIndexTest, KAboveSizeReturnsEveryVector) {
  std::unique_ptr<VectorIndex> index = MakeSmallIndex();
  ASSERT_NE(index, nullptr);
  const std::vector<float> h = {0.5, 0.5, 0.5, 0.5};
  const std::vector<SearchHit> all = {{12, 1}, {5, 0.5}, {40, 0.5}, {31, 0}, {77, -0.5}};
  for (size_t k : {size_t{5}, size_t{6}, size_t{1000}, std::numeric_limits<size_t>::max()}) {
    Result<std::vector<SearchHit>> hits = index->Search(h, k);
    ASSERT_TRUE(hits.ok()) << k << ": " << hits.status().ToString();
    EXPECT_EQ(*hits, all) << k;
  }
}

TEST(VectorIndexTest, TiesAreOrderedByIdAndRepeatable) {
  std::unique_ptr<VectorIndex> index = MakeIndex(2);
  ASSERT_NE(index, nullptr);
  const std::vector<uint64_t> ids = {9, 3, 7, 1, 5};
  const std::vector<float> same = {1, 0, 1, 0, 1, 0, 1, 0, 1, 0};
  ASSERT_TRUE(index->Add(ids, same).ok());
  const std::vector<float> q = {1, 0};

  Result<std::vector<SearchHit>> all = index->Search(q, 5);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_EQ(IdsOf(*all), (std::vector<uint64_t>{1, 3, 5, 7, 9}));

  // The five tie for every place: k = 2 takes the two lowest ids, on every call.
  Result<std::vector<SearchHit>> first = index->Search(q, 2);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(*first, (std::vector<SearchHit>{{1, 1}, {3, 1}}));
  for (int i = 0; i < 10; ++i) {
    Result<std::vector<SearchHit>> again = index->Search(q, 2);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(*again, *first);
  }
}

TEST(VectorIndexTest, EmptyIndexReturnsNoHits) {
  std::unique_ptr<VectorIndex> index = MakeIndex(3);
  ASSERT_NE(index, nullptr);
  const std::vector<float> q = {1, 0, 0};
  Result<std::vector<SearchHit>> hits = index->Search(q, 10);
  ASSERT_TRUE(hits.ok()) << hits.status().ToString();
  EXPECT_TRUE(hits->empty());

  const std::vector<float> two = {1, 0, 0, 0, 1, 0};
  Result<std::vector<std::vector<SearchHit>>> batch = index->SearchBatch(two, 10);
  ASSERT_TRUE(batch.ok()) << batch.status().ToString();
  ASSERT_EQ(batch->size(), 2u);
  EXPECT_TRUE((*batch)[0].empty());
  EXPECT_TRUE((*batch)[1].empty());

  // k is still checked.
  EXPECT_TRUE(index->Search(q, 0).status().IsInvalidArgument());
}

TEST(VectorIndexTest, EmptyAddAndEmptyBatchAreNoOps) {
  std::unique_ptr<VectorIndex> index = MakeSmallIndex();
  ASSERT_NE(index, nullptr);
  EXPECT_TRUE(index->Add({}, {}).ok());
  EXPECT_TRUE(index->AddHalfs({}, {}).ok());
  EXPECT_EQ(index->size(), 5u);
  Result<std::vector<std::vector<SearchHit>>> batch = index->SearchBatch({}, 3);
  ASSERT_TRUE(batch.ok()) << batch.status().ToString();
  EXPECT_TRUE(batch->empty());
}

TEST(VectorIndexTest, RejectsZeroK) {
  std::unique_ptr<VectorIndex> index = MakeSmallIndex();
  ASSERT_NE(index, nullptr);
  const std::vector<float> q = {1, 0, 0, 0};
  Status s = index->Search(q, 0).status();
  EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
  EXPECT_TRUE(index->SearchBatch(q, 0).status().IsInvalidArgument());
}

TEST(VectorIndexTest, RejectsBadSizesAndAddsNothing) {
  std::unique_ptr<VectorIndex> index = MakeSmallIndex();
  ASSERT_NE(index, nullptr);
  const std::vector<uint64_t> two_ids = {100, 101};
  const std::vector<float> seven(7, 0.5f);
  const std::vector<float> twelve(12, 0.5f);
  const std::vector<uint16_t> seven_halfs(7, 0x3800);
  const std::vector<uint16_t> twelve_halfs(12, 0x3800);

  Status s = index->Add(two_ids, seven);
  EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
  EXPECT_EQ(s.ToString(), "invalid argument: vector index add: 7 values for 2 rows of dim 4");
  EXPECT_TRUE(index->Add(two_ids, twelve).IsInvalidArgument());
  EXPECT_TRUE(index->Add({}, twelve).IsInvalidArgument());
  EXPECT_TRUE(index->AddHalfs(two_ids, seven_halfs).IsInvalidArgument());
  EXPECT_TRUE(index->AddHalfs(two_ids, twelve_halfs).IsInvalidArgument());
  EXPECT_EQ(index->size(), 5u);

  const std::vector<float> three = {1, 0, 0};
  const std::vector<float> five = {1, 0, 0, 0, 0};
  const std::vector<float> eight = {1, 0, 0, 0, 0, 1, 0, 0};
  EXPECT_TRUE(index->Search(three, 1).status().IsInvalidArgument());
  EXPECT_TRUE(index->Search(five, 1).status().IsInvalidArgument());
  EXPECT_TRUE(index->Search(eight, 1).status().IsInvalidArgument());  // two queries: use a batch
  EXPECT_TRUE(index->Search({}, 1).status().IsInvalidArgument());
  EXPECT_TRUE(index->SearchBatch(five, 1).status().IsInvalidArgument());
}

TEST(VectorIndexTest, RejectsIdsFrom2To63AndAddsNothing) {
  std::unique_ptr<VectorIndex> index = MakeIndex(2);
  ASSERT_NE(index, nullptr);
  const std::vector<float> rows = {1, 0, 0, 1};
  const std::vector<uint16_t> halfs = {0x3c00, 0, 0, 0x3c00};
  for (uint64_t bad : {kMaxVectorId + 1, std::numeric_limits<uint64_t>::max()}) {
    const std::vector<uint64_t> ids = {1, bad};
    Status s = index->Add(ids, rows);
    EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
    s = index->AddHalfs(ids, halfs);
    EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
  }
  EXPECT_EQ(index->size(), 0u);

  const std::vector<uint64_t> ids = {0, kMaxVectorId};
  ASSERT_TRUE(index->Add(ids, rows).ok());
  const std::vector<float> q = {0, 1};
  Result<std::vector<SearchHit>> hits = index->Search(q, 1);
  ASSERT_TRUE(hits.ok()) << hits.status().ToString();
  EXPECT_EQ(*hits, (std::vector<SearchHit>{{kMaxVectorId, 1}}));
}

TEST(VectorIndexTest, RejectsNonFiniteValuesAndAddsNothing) {
  std::unique_ptr<VectorIndex> index = MakeSmallIndex();
  ASSERT_NE(index, nullptr);
  const std::vector<uint64_t> ids = {100, 101};
  for (float bad : {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity(),
                    -std::numeric_limits<float>::infinity()}) {
    std::vector<float> rows = {1, 0, 0, 0, 0, 1, 0, 0};
    rows[6] = bad;  // last row, so a partial add would show
    Status s = index->Add(ids, rows);
    EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
    EXPECT_EQ(s.ToString(),
              "invalid argument: vector index add: row 1 has a "
              "non-finite value at column 2");

    std::vector<float> query = {1, 0, 0, 0};
    query[3] = bad;
    EXPECT_TRUE(index->Search(query, 1).status().IsInvalidArgument());
    EXPECT_TRUE(index->SearchBatch(query, 1).status().IsInvalidArgument());
  }
  // binary16 +inf, -inf, quiet NaN and a NaN with payload.
  for (uint16_t bad : {uint16_t{0x7c00}, uint16_t{0xfc00}, uint16_t{0x7e00}, uint16_t{0x7c01}}) {
    std::vector<uint16_t> halfs = {0x3c00, 0, 0, 0, 0, 0x3c00, 0, 0};
    halfs[7] = bad;
    Status s = index->AddHalfs(ids, halfs);
    EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
  }
  EXPECT_EQ(index->size(), 5u);
}

TEST(VectorIndexTest, AcceptsZeroVector) {
  std::unique_ptr<VectorIndex> index = MakeIndex(3);
  ASSERT_NE(index, nullptr);
  const std::vector<uint64_t> ids = {1, 2};
  const std::vector<float> rows = {0, 0, 0, -1, 0, 0};
  ASSERT_TRUE(index->Add(ids, rows).ok());
  const std::vector<float> q = {1, 0, 0};
  Result<std::vector<SearchHit>> hits = index->Search(q, 2);
  ASSERT_TRUE(hits.ok()) << hits.status().ToString();
  EXPECT_EQ(*hits, (std::vector<SearchHit>{{1, 0}, {2, -1}}));
}

// Floats that are exact binary16 values are stored as exactly those halves: the result must be
// bit-identical to adding the halves.
TEST(VectorIndexTest, AddHalfsEqualsAddOfConvertedFloats) {
  for (uint32_t dim : {uint32_t{64}, kMaxVectorDim}) {
    SCOPED_TRACE(dim);
    std::mt19937 rng(7);
    const size_t n = 40;
    std::vector<float> source = RandomUnitVectors(rng, n, dim);
    std::vector<uint16_t> halfs(source.size());
    format::FloatsToHalfs(source.data(), source.size(), halfs.data());
    std::vector<float> converted(halfs.size());
    format::HalfsToFloats(halfs.data(), halfs.size(), converted.data());
    std::vector<uint64_t> ids(n);
    for (size_t i = 0; i < n; ++i) ids[i] = 1000 + 3 * i;

    std::unique_ptr<VectorIndex> from_halfs = MakeIndex(dim);
    std::unique_ptr<VectorIndex> from_floats = MakeIndex(dim);
    ASSERT_NE(from_halfs, nullptr);
    ASSERT_NE(from_floats, nullptr);
    ASSERT_TRUE(from_halfs->AddHalfs(ids, halfs).ok());
    ASSERT_TRUE(from_floats->Add(ids, converted).ok());
    EXPECT_EQ(from_halfs->size(), n);

    std::vector<float> queries = RandomUnitVectors(rng, 3, dim);
    Result<std::vector<std::vector<SearchHit>>> a = from_halfs->SearchBatch(queries, n);
    Result<std::vector<std::vector<SearchHit>>> b = from_floats->SearchBatch(queries, n);
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    ASSERT_TRUE(b.ok()) << b.status().ToString();
    EXPECT_EQ(*a, *b);
    EXPECT_EQ((*a)[0].size(), n);
  }
}

TEST(VectorIndexTest, AddHalfsAcrossCallsKeepsEveryRow) {
  const uint32_t dim = 8;
  std::mt19937 rng(11);
  std::vector<float> source = RandomUnitVectors(rng, 30, dim);
  std::vector<uint16_t> halfs(source.size());
  format::FloatsToHalfs(source.data(), source.size(), halfs.data());
  std::vector<uint64_t> ids(30);
  for (size_t i = 0; i < ids.size(); ++i) ids[i] = i;

  std::unique_ptr<VectorIndex> index = MakeIndex(dim);
  ASSERT_NE(index, nullptr);
  const std::span<const uint64_t> all_ids(ids);
  const std::span<const uint16_t> all_halfs(halfs);
  const std::vector<size_t> bounds = {0, 1, 4, 13, 30};
  for (size_t b = 0; b + 1 < bounds.size(); ++b) {
    const size_t count = bounds[b + 1] - bounds[b];
    ASSERT_TRUE(index
                    ->AddHalfs(all_ids.subspan(bounds[b], count),
                               all_halfs.subspan(bounds[b] * dim, count * dim))
                    .ok());
  }
  ASSERT_EQ(index->size(), 30u);
  // Every vector finds itself first (its own score is about 1, any other clearly below).
  for (size_t i = 0; i < ids.size(); ++i) {
    std::vector<float> q(dim);
    format::HalfsToFloats(halfs.data() + i * dim, dim, q.data());
    Result<std::vector<SearchHit>> hits = index->Search(q, 1);
    ASSERT_TRUE(hits.ok()) << hits.status().ToString();
    EXPECT_EQ(IdsOf(*hits), std::vector<uint64_t>{ids[i]});
  }
}

// 2,000 random unit vectors of dim 64, added in uneven batches; the top 10 of 25 queries, one at a
// time and as one batch, against a float32 loop over the vectors as the index holds them (rounded
// to binary16).
TEST(VectorIndexTest, MatchesBruteForceOnRandomVectors) {
  const uint32_t dim = 64;
  const size_t n = 2000;
  const size_t k = 10;
  std::mt19937 rng(20240607);
  const std::vector<float> vectors = RandomUnitVectors(rng, n, dim);
  std::vector<uint16_t> halfs(vectors.size());
  format::FloatsToHalfs(vectors.data(), vectors.size(), halfs.data());
  std::vector<float> held(vectors.size());
  format::HalfsToFloats(halfs.data(), halfs.size(), held.data());
  std::vector<uint64_t> ids(n);
  for (size_t i = 0; i < n; ++i) ids[i] = (uint64_t{i} * 7919) % 100003 + (uint64_t{1} << 40);

  std::unique_ptr<VectorIndex> index = MakeIndex(dim);
  ASSERT_NE(index, nullptr);
  const std::span<const uint64_t> all_ids(ids);
  const std::span<const float> all_vectors(vectors);
  for (size_t begin = 0, batch = 1; begin < n; begin += batch, batch = batch * 3 + 1) {
    const size_t count = std::min(batch, n - begin);
    ASSERT_TRUE(
        index->Add(all_ids.subspan(begin, count), all_vectors.subspan(begin * dim, count * dim))
            .ok());
  }
  ASSERT_EQ(index->size(), n);

  const size_t nq = 25;
  const std::vector<float> queries = RandomUnitVectors(rng, nq, dim);
  Result<std::vector<std::vector<SearchHit>>> batch = index->SearchBatch(queries, k);
  ASSERT_TRUE(batch.ok()) << batch.status().ToString();
  ASSERT_EQ(batch->size(), nq);
  for (size_t q = 0; q < nq; ++q) {
    SCOPED_TRACE(q);
    const std::span<const float> query(queries.data() + q * dim, dim);
    const std::vector<SearchHit> expected = BruteForce(ids, held, query, k);
    Result<std::vector<SearchHit>> single = index->Search(query, k);
    ASSERT_TRUE(single.ok()) << single.status().ToString();
    EXPECT_EQ(*single, (*batch)[q]);  // the same kernel scores both
    ASSERT_EQ(single->size(), k);
    EXPECT_EQ(IdsOf(*single), IdsOf(expected));
    for (size_t i = 0; i < k; ++i) EXPECT_NEAR((*single)[i].score, expected[i].score, 1e-5);
  }
}

TEST(VectorIndexTest, ReserveAndMemoryBytes) {
  const uint32_t dim = 32;
  std::unique_ptr<VectorIndex> index = MakeIndex(dim);
  ASSERT_NE(index, nullptr);
  const size_t empty_bytes = index->MemoryBytes();
  ASSERT_TRUE(index->Reserve(1000).ok());
  EXPECT_EQ(index->size(), 0u);
  EXPECT_GE(index->MemoryBytes(), empty_bytes + 1000 * (dim * sizeof(uint16_t) + 8));

  std::mt19937 rng(3);
  const std::vector<float> rows = RandomUnitVectors(rng, 1000, dim);
  std::vector<uint64_t> ids(1000);
  for (size_t i = 0; i < ids.size(); ++i) ids[i] = i;
  const size_t reserved_bytes = index->MemoryBytes();
  ASSERT_TRUE(index->Add(ids, rows).ok());
  EXPECT_EQ(index->MemoryBytes(),
            reserved_bytes);  // no reallocation past a Reserve

  Status s = index->Reserve(std::numeric_limits<size_t>::max());
  EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
}

TEST(VectorIndexTest, ConcurrentSearchesAgree) {
  const uint32_t dim = 16;
  std::mt19937 rng(5);
  const std::vector<float> rows = RandomUnitVectors(rng, 500, dim);
  std::vector<uint64_t> ids(500);
  for (size_t i = 0; i < ids.size(); ++i) ids[i] = i;
  std::unique_ptr<VectorIndex> built = MakeIndex(dim);
  ASSERT_NE(built, nullptr);
  ASSERT_TRUE(built->Add(ids, rows).ok());
  const std::shared_ptr<const VectorIndex> index = std::move(built);

  const std::vector<float> queries = RandomUnitVectors(rng, 8, dim);
  std::vector<std::vector<SearchHit>> expected;
  for (size_t q = 0; q < 8; ++q) {
    Result<std::vector<SearchHit>> hits = index->Search({queries.data() + q * dim, dim}, 5);
    ASSERT_TRUE(hits.ok());
    expected.push_back(*hits);
  }
  std::vector<int> mismatches(4, 0);
  {
    std::vector<std::jthread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < 200; ++i) {
          const size_t q = (t + i) % 8;
          Result<std::vector<SearchHit>> hits = index->Search({queries.data() + q * dim, dim}, 5);
          if (!hits.ok() || *hits != expected[q]) ++mismatches[t];
        }
      });
    }
  }
  EXPECT_EQ(mismatches, std::vector<int>(4, 0));
}

TEST(VectorIndexTest, RejectsFloatsBeyondBinary16RangeAndAddsNothing) {
  std::unique_ptr<VectorIndex> index = MakeSmallIndex();
  ASSERT_NE(index, nullptr);
  const std::vector<uint64_t> ids = {100, 101};
  for (float bad : {65520.0f, -1e6f, 3e38f}) {
    std::vector<float> rows = {1, 0, 0, 0, 0, 1, 0, 0};
    rows[5] = bad;
    Status s = index->Add(ids, rows);
    EXPECT_EQ(s.ToString(),
              "invalid argument: vector index add: row 1 has a beyond binary16 range value at "
              "column 1");
  }
  // The largest value that rounds to a finite half is accepted.
  const std::vector<float> ok_rows = {65519.0f, 0, 0, 0, 0, 1, 0, 0};
  EXPECT_TRUE(index->Add(ids, ok_rows).ok());
  EXPECT_EQ(index->size(), 7u);
}

TEST(VectorIndexTest, MinScoreLeavesOutLowerScoresAndNanIsRejected) {
  std::unique_ptr<VectorIndex> index = MakeSmallIndex();
  ASSERT_NE(index, nullptr);
  const std::vector<float> e1 = {1, 0, 0, 0};
  Result<std::vector<SearchHit>> hits = index->Search(e1, 5, 0.5f);
  ASSERT_TRUE(hits.ok()) << hits.status().ToString();
  EXPECT_EQ(*hits, (std::vector<SearchHit>{{40, 1}, {12, 0.5}, {31, 0.5}}));
  hits = index->Search(e1, 5, 1.5f);
  ASSERT_TRUE(hits.ok());
  EXPECT_TRUE(hits->empty());
  Status s = index->Search(e1, 5, std::numeric_limits<float>::quiet_NaN()).status();
  EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
}

TEST(VectorIndexTest, SearchFilteredScoresOnlyAcceptedIds) {
  std::unique_ptr<VectorIndex> index = MakeSmallIndex();
  ASSERT_NE(index, nullptr);
  const std::vector<float> e1 = {1, 0, 0, 0};
  const auto no_inf = -std::numeric_limits<float>::infinity();
  // The best vector (id 40) is not accepted, so k = 2 gives the next two, not fewer.
  Result<std::vector<SearchHit>> hits =
      index->SearchFiltered(e1, 2, no_inf, [](uint64_t id) { return id != 40; });
  ASSERT_TRUE(hits.ok()) << hits.status().ToString();
  EXPECT_EQ(*hits, (std::vector<SearchHit>{{12, 0.5}, {31, 0.5}}));
  hits = index->SearchFiltered(e1, 5, no_inf, [](uint64_t) { return false; });
  ASSERT_TRUE(hits.ok());
  EXPECT_TRUE(hits->empty());
  hits = index->SearchFiltered(e1, 5, no_inf, {});
  ASSERT_TRUE(hits.ok());
  EXPECT_EQ(*hits, *index->Search(e1, 5));
  // A bad request is refused even when the filter accepts nothing.
  const std::vector<float> bad = {std::numeric_limits<float>::infinity(), 0, 0, 0};
  EXPECT_TRUE(index->SearchFiltered(bad, 5, no_inf, [](uint64_t) { return false; })
                  .status()
                  .IsInvalidArgument());
  EXPECT_TRUE(index->SearchFiltered(e1, 0, no_inf, [](uint64_t) { return false; })
                  .status()
                  .IsInvalidArgument());
}

std::vector<SimdPath> SupportedPaths() {
  std::vector<SimdPath> paths;
  for (SimdPath p : {SimdPath::kScalar, SimdPath::kAvx2, SimdPath::kAvx512}) {
    if (CpuSupports(p)) paths.push_back(p);
  }
  return paths;
}

TEST(VectorIndexTest, CreateRefusesAPathTheCpuLacks) {
  for (SimdPath p : {SimdPath::kAvx2, SimdPath::kAvx512}) {
    VectorIndexOptions options;
    options.simd = p;
    Result<std::unique_ptr<VectorIndex>> created = VectorIndex::Create(8, options);
    if (CpuSupports(p)) {
      ASSERT_TRUE(created.ok()) << created.status().ToString();
      EXPECT_EQ((*created)->simd_path(), p);
    } else {
      EXPECT_TRUE(created.status().IsNotSupported()) << created.status().ToString();
    }
  }
  VectorIndexOptions zero;
  zero.min_rows_per_thread = 0;
  EXPECT_TRUE(VectorIndex::Create(8, zero).status().IsInvalidArgument());
}

// Every path, one thread or split across several, against the scalar path on one thread: the ids
// agree exactly, the scores within float rounding (odd dim, odd size).
TEST(VectorIndexTest, EveryPathAndThreadSplitAgreeWithTheScalarPath) {
  const uint32_t dim = 383;
  const size_t n = 3001;
  std::mt19937 rng(99);
  const std::vector<float> rows = RandomUnitVectors(rng, n, dim);
  std::vector<uint64_t> ids(n);
  for (size_t i = 0; i < n; ++i) ids[i] = n - i;
  const std::vector<float> queries = RandomUnitVectors(rng, 5, dim);

  auto build = [&](SimdPath path, size_t threads) {
    VectorIndexOptions options;
    options.simd = path;
    options.max_threads = threads;
    options.min_rows_per_thread = 500;
    Result<std::unique_ptr<VectorIndex>> created = VectorIndex::Create(dim, options);
    EXPECT_TRUE(created.ok());
    std::unique_ptr<VectorIndex> index = std::move(created).value();
    EXPECT_TRUE(index->Add(ids, rows).ok());
    return index;
  };
  std::unique_ptr<VectorIndex> reference = build(SimdPath::kScalar, 1);
  Result<std::vector<std::vector<SearchHit>>> want = reference->SearchBatch(queries, 20);
  ASSERT_TRUE(want.ok());
  for (SimdPath path : SupportedPaths()) {
    std::unique_ptr<VectorIndex> one = build(path, 1);
    std::unique_ptr<VectorIndex> many = build(path, 4);
    Result<std::vector<std::vector<SearchHit>>> got_one = one->SearchBatch(queries, 20);
    Result<std::vector<std::vector<SearchHit>>> got_many = many->SearchBatch(queries, 20);
    ASSERT_TRUE(got_one.ok() && got_many.ok());
    EXPECT_EQ(*got_many, *got_one) << SimdPathName(path);  // the split changes nothing
    for (size_t q = 0; q < queries.size() / dim; ++q) {
      ASSERT_EQ((*got_one)[q].size(), 20u);
      EXPECT_EQ(IdsOf((*got_one)[q]), IdsOf((*want)[q])) << SimdPathName(path) << " query " << q;
      for (size_t i = 0; i < 20; ++i) {
        EXPECT_NEAR((*got_one)[q][i].score, (*want)[q][i].score, 2e-6) << SimdPathName(path);
      }
    }
  }
}

}  // namespace
}  // namespace roxi::index
