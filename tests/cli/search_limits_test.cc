// Search requests out of bounds (k 0 or above 1000, a min_score that is not a finite number) are
// refused with a message naming the value, exit code 2 from `roxi search` and HTTP 400 from a
// running server, and change nothing; good requests report which index answered and how long the
// search took.
#include <httplib.h>

#include <string>
#include <utility>
#include <vector>

#include "format/server_file.h"
#include "tests/cli/serve_fixture.h"

namespace roxi::testing {
namespace {

class SearchLimitsTest : public ServeTest {
 protected:
  void SetUp() override {
    for (int i = 0; i < 12; ++i) {
      WriteDoc("doc" + std::to_string(i) + ".md", GeneratedParagraph(i, 120));
    }
    RoxiJson("ingest", {docs_dir()});
    RoxiJson("process");
    baseline_ = Status();
  }

  void ExpectStoreUnchanged() {
    ExpectCountsUnchanged(baseline_);
  }

  // POSTs `body` to /v1/search of the server named in roxi.server; returns status and body.
  std::pair<int, std::string> PostSearch(const std::string& body) {
    auto record = format::DecodeServerFile(ReadFile(data_dir() + "/roxi.server"));
    EXPECT_TRUE(record.ok());
    if (!record.ok()) return {0, ""};
    httplib::Client client(record->host, static_cast<int>(record->port));
    auto res = client.Post("/v1/search", body, "application/json");
    EXPECT_TRUE(res);
    if (!res) return {0, ""};
    return {res->status, res->body};
  }

  // The refusals of `roxi search`, wherever it is answered.
  void ExpectCliRefusals() {
    struct Case {
      std::vector<std::string> args;
      std::string named;
    };
    const std::vector<Case> cases = {{{"-k", "0"}, "k 0"},
                                     {{"-k", "1001"}, "k 1001"},
                                     {{"--min-score", "nan"}, "min_score nan"},
                                     {{"--min-score", "inf"}, "min_score inf"}};
    for (const Case& c : cases) {
      std::vector<std::string> args = c.args;
      args.push_back("lantern harbor");
      RunResult r = Roxi("search", args);
      EXPECT_EQ(r.exit_code, 2) << c.named << ": " << r.err;
      EXPECT_NE(r.err.find(c.named), std::string::npos) << r.err;
      args.push_back("--json");
      r = Roxi("search", args);
      EXPECT_EQ(r.exit_code, 2) << c.named;
      EXPECT_NE(r.out.find("\"exit_code\": 2"), std::string::npos) << r.out;
    }
  }

  // A good search: index and timings in the document, min_score respected, k up to 1000.
  void ExpectGoodSearches() {
    nlohmann::json doc = RoxiJson("search", {"lantern harbor", "-k", "1000"});
    EXPECT_EQ(doc["index"], "flat");
    EXPECT_TRUE(doc["search_micros"].is_number_unsigned());
    EXPECT_TRUE(doc["index_micros"].is_number_unsigned());
    EXPECT_EQ(doc["searched_vectors"], baseline_["embedded"]);
    EXPECT_EQ(doc["results"].size(), baseline_["embedded"].get<size_t>());
    ASSERT_GE(doc["results"].size(), 3u);
    const std::string cut = std::to_string(doc["results"][1]["score"].get<float>() - 0.001f);
    nlohmann::json above = RoxiJson("search", {"lantern harbor", "--min-score", cut});
    EXPECT_EQ(above["min_score"].get<float>(), std::stof(cut));
    EXPECT_GE(above["results"].size(), 2u);
    EXPECT_LT(above["results"].size(), 5u);
    for (const auto& r : above["results"]) EXPECT_GE(r["score"].get<float>(), std::stof(cut));
  }

  nlohmann::json baseline_;
};

TEST_F(SearchLimitsTest, WithoutAServer) {
  ExpectCliRefusals();
  ExpectGoodSearches();
  ExpectStoreUnchanged();
}

TEST_F(SearchLimitsTest, ThroughARunningServer) {
  auto server = StartServe();
  ASSERT_TRUE(server->Running());
  ExpectCliRefusals();
  ExpectGoodSearches();

  struct Case {
    std::string body;
    std::string named;
  };
  const std::vector<Case> cases = {
      {R"({"query": "lantern", "k": 0})", "k 0"},
      {R"({"query": "lantern", "k": 1001})", "k 1001"},
      {R"({"query": "lantern", "min_score": 1e999})", "1e999"},
      {R"({"query": "lantern", "min_score": "NaN"})", "min_score"},
      {R"({"query": "lantern", "min_score": NaN})", "request body"}};
  for (const Case& c : cases) {
    auto [status, body] = PostSearch(c.body);
    EXPECT_EQ(status, 400) << c.body << ": " << body;
    EXPECT_NE(body.find(c.named), std::string::npos) << c.body << ": " << body;
  }
  auto [status, body] = PostSearch(R"({"query": "lantern harbor", "k": 3, "min_score": -1})");
  ASSERT_EQ(status, 200) << body;
  nlohmann::json doc = nlohmann::json::parse(body);
  EXPECT_EQ(doc["index"], "flat");
  EXPECT_EQ(doc["results"].size(), 3u);
  EXPECT_TRUE(doc["search_micros"].is_number_unsigned());
  EXPECT_EQ(doc["pending"], 0);
  ExpectStoreUnchanged();
  EXPECT_EQ(StopServe(&server), 0);
}

}  // namespace
}  // namespace roxi::testing
