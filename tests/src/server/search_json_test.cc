#include "src/server/search_json.h"

#include <gtest/gtest.h>

namespace roxi::server {
namespace {

SearchReply Sample() {
  SearchReply r;
  r.query = "spring tides";
  r.k = 2;
  r.min_score = 0.25f;
  index::SearchResult hit;
  hit.rank = 1;
  hit.score = 0.5f;
  hit.document = "/notes/tides.md";
  hit.chunk = 3;
  hit.byte_offset = 100;
  hit.byte_length = 42;
  hit.snippet = "Spring tides...";
  r.results = {hit};
  r.embedder = "builtin:hash-v2:384:abc";
  r.stats.index = "flat";
  r.stats.searched_vectors = 1000;
  r.stats.search_micros = 1234;
  r.stats.index_micros = 800;
  r.stats.pending_chunks = 7;
  return r;
}

TEST(SearchJsonTest, ReplyRoundTripsWithEveryField) {
  const nlohmann::json doc = SearchReplyToJson(Sample());
  EXPECT_EQ(doc["index"], "flat");
  EXPECT_EQ(doc["search_micros"], 1234);
  EXPECT_EQ(doc["index_micros"], 800);
  EXPECT_EQ(doc["pending"], 7);
  EXPECT_EQ(doc["searched_vectors"], 1000);
  EXPECT_EQ(doc["min_score"], 0.25);
  Result<SearchReply> back = SearchReplyFromJson(doc);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(SearchReplyToJson(*back), doc);
}

TEST(SearchJsonTest, MinScoreIsLeftOutWhenNotGivenAndOlderRepliesParse) {
  SearchReply r = Sample();
  r.min_score.reset();
  EXPECT_FALSE(SearchReplyToJson(r).contains("min_score"));
  // A reply of a server from before `index` and the timings existed.
  Result<SearchReply> old = SearchReplyFromJson(
      {{"query", "q"}, {"k", 5}, {"results", nlohmann::json::array()}, {"pending", 2}});
  ASSERT_TRUE(old.ok()) << old.status().ToString();
  EXPECT_EQ(old->stats.index, "");
  EXPECT_EQ(old->stats.pending_chunks, 2u);
  EXPECT_FALSE(old->min_score.has_value());
}

TEST(SearchJsonTest, MalformedRepliesAreInvalidArgument) {
  EXPECT_TRUE(SearchReplyFromJson({{"k", "five"}}).status().IsInvalidArgument());
  EXPECT_TRUE(SearchReplyFromJson({{"results", {{{"rank", 1}}}}}).status().IsInvalidArgument());
  EXPECT_TRUE(SearchReplyFromJson(nlohmann::json::array()).status().IsInvalidArgument());
}

}  // namespace
}  // namespace roxi::server
