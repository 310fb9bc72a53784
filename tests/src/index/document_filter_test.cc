// Tests of src/index/document_filter.cc.
#include "src/index/document_filter.h"

#include <gtest/gtest.h>

namespace roxi::index {
namespace {

constexpr uint64_t kDay = 86'400'000'000;
constexpr uint64_t kDec1 = 1'796'083'200'000'000;  // 2026-12-01T00:00:00Z

format::DocumentRecord Doc(std::string name, uint64_t ingested, format::DocumentMetadata meta) {
  format::DocumentRecord d;
  d.name = std::move(name);
  d.ingested_at_micros = ingested;
  d.metadata = std::move(meta);
  return d;
}

TEST(DocumentFilterTest, ConditionsCombineWithAnd) {
  const auto doc = Doc("/docs/a.md", kDec1, {{"lang", "en"}, {"tags", "x"}, {"tags", "y"}});
  DocumentFilter f;
  EXPECT_TRUE(f.empty());
  EXPECT_TRUE(MatchesFilter(f, doc));
  f.metadata = {{"tags", "y"}};
  EXPECT_TRUE(MatchesFilter(f, doc));
  f.metadata = {{"lang", "en"}, {"tags", "x"}};
  EXPECT_TRUE(MatchesFilter(f, doc));
  f.metadata = {{"lang", "de"}, {"tags", "x"}};
  EXPECT_FALSE(MatchesFilter(f, doc));
  f.metadata.clear();
  f.prefix = "/docs/";
  EXPECT_TRUE(MatchesFilter(f, doc));
  f.prefix = "/doc/";
  EXPECT_FALSE(MatchesFilter(f, doc));
  f.prefix.reset();
  f.since_micros = kDec1;
  f.until_micros = kDec1 + 1;
  EXPECT_TRUE(MatchesFilter(f, doc));
  f.since_micros = kDec1 + 1;
  f.until_micros.reset();
  EXPECT_FALSE(MatchesFilter(f, doc));
  f.since_micros.reset();
  f.until_micros = kDec1;  // until is exclusive
  EXPECT_FALSE(MatchesFilter(f, doc));
}

TEST(DocumentFilterTest, TimeBoundsTakeDatesTimesAndDurations) {
  const uint64_t now = kDec1 + kDay;
  EXPECT_EQ(*ParseTimeBound("--since", "2026-12-01", now), kDec1);
  EXPECT_EQ(*ParseTimeBound("--since", "2026-12-01T00:00:01Z", now), kDec1 + 1'000'000);
  EXPECT_EQ(*ParseTimeBound("--since", "2026-12-01T02:00:00+02:00", now), kDec1);
  EXPECT_EQ(*ParseTimeBound("--since", "24h", now), kDec1);
  EXPECT_EQ(*ParseTimeBound("--since", "90m", now), now - 90 * 60'000'000ull);
  for (const char* bad : {"yesterday", "2026-13-01", "2026-12-01T25:00:00Z", "-5m", ""}) {
    Status s = ParseTimeBound("--since", bad, now).status();
    EXPECT_TRUE(s.IsInvalidArgument()) << bad;
    EXPECT_NE(s.ToString().find("--since"), std::string::npos) << s.ToString();
  }
  DocumentFilter f;
  f.since_micros = kDec1;
  f.until_micros = kDec1;
  EXPECT_TRUE(CheckFilter(f).IsInvalidArgument());
}

TEST(DocumentFilterTest, Conditions) {
  auto c = ParseFilterCondition("tags=a=b");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->key, "tags");
  EXPECT_EQ(c->value, "a=b");
  for (const char* bad : {"tags", "=x", "a b=c"}) {
    Status s = ParseFilterCondition(bad).status();
    EXPECT_TRUE(s.IsInvalidArgument()) << bad;
    EXPECT_NE(s.ToString().find("filter"), std::string::npos) << s.ToString();
  }
}

}  // namespace
}  // namespace roxi::index
