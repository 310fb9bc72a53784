// ScanJson against nlohmann::json, the reference: the same documents accepted and rejected, and,
// through DecodeEmbeddingResponse, the same verdict and vectors as a decoder that walks an
// nlohmann document, on valid responses and on thousands of random mutations of them.
#include "src/embedders/json_scanner.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <string>

#include "src/embedders/embedding_response.h"

namespace roxi::embedders {
namespace {

using nlohmann::json;

class NullHandler final : public JsonHandler {
 public:
  void StartObject() override {}
  void EndObject() override {}
  void StartArray() override {}
  void EndArray() override {}
  void Key(std::string_view) override {}
  void Number(double, bool, int64_t) override {}
  void OtherScalar() override {}
};

bool Scans(std::string_view text) {
  NullHandler h;
  return ScanJson(text, &h);
}

Status Invalid(const std::string& problem) {
  return Status::Unavailable("invalid response", problem);
}

std::string ItemName(size_t position) { return "data[" + std::to_string(position) + "]"; }

// The document-walking decoder ScanJson replaced, kept as the reference.
Status ReferenceTakeItem(const json& item, size_t position, size_t count, uint32_t dim,
                         std::vector<bool>* seen, std::vector<float>* out) {
  if (!item.is_object()) return Invalid(ItemName(position) + " is not an object");
  const auto index_it = item.find("index");
  if (index_it == item.end() || !index_it->is_number_integer()) {
    return Invalid(ItemName(position) + " has no integer index");
  }
  const int64_t index = index_it->get<int64_t>();
  if (index < 0 || static_cast<uint64_t>(index) >= count) {
    return Invalid(ItemName(position) + " has index " + std::to_string(index) + ", outside 0.." +
                   std::to_string(count - 1));
  }
  if ((*seen)[index]) {
    return Invalid(ItemName(position) + " repeats index " + std::to_string(index));
  }
  (*seen)[index] = true;
  const auto embedding = item.find("embedding");
  if (embedding == item.end() || !embedding->is_array()) {
    return Invalid(ItemName(position) + " has no embedding array");
  }
  if (embedding->size() != dim) {
    return Invalid(ItemName(position) + " has " + std::to_string(embedding->size()) +
                   " dimensions, expected " + std::to_string(dim));
  }
  float* row = out->data() + static_cast<size_t>(index) * dim;
  for (uint32_t d = 0; d < dim; ++d) {
    const json& v = (*embedding)[d];
    if (!v.is_number()) {
      return Invalid(ItemName(position) + " component " + std::to_string(d) + " is not a number");
    }
    const double value = v.get<double>();
    if (!std::isfinite(value) || std::fabs(value) > std::numeric_limits<float>::max()) {
      return Invalid(ItemName(position) + " component " + std::to_string(d) + " is not finite");
    }
    row[d] = static_cast<float>(value);
  }
  return Status::OK();
}
Result<uint32_t> ReferenceDecode(std::string_view body, size_t count, uint32_t dim,
                                 std::vector<float>* out) {
  const json doc = json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Invalid("malformed json");
  if (!doc.is_object()) return Invalid("not a json object");
  const auto data = doc.find("data");
  if (data == doc.end() || !data->is_array()) {
    const std::string why = ServerErrorMessage(body);
    return Invalid("no data array" + (why.empty() ? "" : " (" + why + ")"));
  }
  if (data->size() != count) {
    return Invalid("data has " + std::to_string(data->size()) + " items for " +
                   std::to_string(count) + " inputs");
  }
  if (count == 0) return dim;
  if (dim == 0) {
    const json& first = (*data)[0];
    const auto e = first.is_object() ? first.find("embedding") : first.end();
    if (first.is_object() && e != first.end() && e->is_array()) {
      if (e->empty() || e->size() > std::numeric_limits<uint32_t>::max()) {
        return Invalid(ItemName(0) + " has an empty or oversized embedding");
      }
      dim = static_cast<uint32_t>(e->size());
    } else {
      return Invalid(ItemName(0) + " has no embedding array");
    }
  }
  out->assign(count * dim, 0.0f);
  std::vector<bool> seen(count, false);
  for (size_t i = 0; i < count; ++i) {
    ROXI_RETURN_IF_ERROR(ReferenceTakeItem((*data)[i], i, count, dim, &seen, out));
  }
  return dim;
}

Result<uint32_t> Reference(std::string_view body, size_t count, uint32_t dim,
                           std::vector<float>* out) {
  try {
    return ReferenceDecode(body, count, dim, out);
  } catch (const std::exception& e) {
    return Invalid(std::string("unexpected json: ") + e.what());
  }
}

TEST(JsonScannerTest, AcceptsWhatJsonAccepts) {
  const char* documents[] = {
      "{}",
      "[]",
      " {\"a\" : [1, -0, 0.5, -1e-3, 2E+10, true, false, null, \"s\"]} ",
      "\"\\u00e9\\ud83d\\ude00\\n\\\\\\/\\\"\"",
      "0",
      "-0.0e0",
      "{\"\\u0064ata\":1}",
      "\"caf\xc3\xa9\"",
      "[[[[[]]]]]",
      "1e400",
      "-1e-400",
      "123456789012345678901234567890",
      // Rejected by both:
      "",
      " ",
      "{",
      "}",
      "[1,]",
      "{\"a\":1,}",
      "[01]",
      "[+1]",
      "[.5]",
      "[1.]",
      "[1e]",
      "[-]",
      "[NaN]",
      "[Infinity]",
      "[nul]",
      "[tru]",
      "\"\\x\"",
      "\"\\u12\"",
      "\"a\nb\"",
      "{1:2}",
      "{\"a\" 1}",
      "[1 2]",
      "{} {}",
      "\"\xff\"",
      "\"\xc3\"",
      "\"\\udc00\"",
      "\"\\ud800\"",
      "\"\\ud800\\u0041\"",
      "[1]x",
      "'a'",
      "{\"a\":}",
  };
  for (const char* d : documents) {
    EXPECT_EQ(Scans(d), json::accept(d)) << d;
  }
  std::string deep;
  for (int i = 0; i < kMaxJsonDepth; ++i) deep += "[";
  for (int i = 0; i < kMaxJsonDepth; ++i) deep += "]";
  EXPECT_TRUE(Scans(deep));
  EXPECT_FALSE(Scans("[" + deep + "]"));  // a limit nlohmann does not have, against stack abuse
}

TEST(JsonScannerTest, ReportsNumbersAndKeysExactly) {
  struct Recorder final : JsonHandler {
    void StartObject() override { log += "{"; }
    void EndObject() override { log += "}"; }
    void StartArray() override { log += "["; }
    void EndArray() override { log += "]"; }
    void Key(std::string_view k) override { log += "k:" + std::string(k) + ";"; }
    void Number(double v, bool integer, int64_t n) override {
      log += integer ? "i:" + std::to_string(n) + ";" : "d:" + std::to_string(v) + ";";
    }
    void OtherScalar() override { log += "s;"; }
    std::string log;
  } r;
  ASSERT_TRUE(ScanJson(R"({"a\u00e9":[1,-2,0.25,1e2,9223372036854775808,"x",null]})", &r));
  EXPECT_EQ(r.log,
            "{k:a\xc3\xa9;[i:1;i:-2;d:0.250000;d:100.000000;d:9223372036854775808.000000;s;s;]}");
  Recorder tiny;
  ASSERT_TRUE(ScanJson("[1e-400,-1e-400]", &tiny));
  EXPECT_EQ(tiny.log, "[d:0.000000;d:-0.000000;]");
  Recorder huge;
  EXPECT_FALSE(ScanJson("[1e400]", &huge));
}

std::string ValidResponse(std::mt19937_64* rng, size_t count, uint32_t dim) {
  json data = json::array();
  std::vector<size_t> order(count);
  for (size_t i = 0; i < count; ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), *rng);
  for (size_t i : order) {
    std::vector<double> v(dim);
    for (double& x : v)
      x = static_cast<double>(static_cast<int64_t>((*rng)() % 20001) - 10000) / 997.0;
    data.push_back({{"object", "embedding"}, {"index", i}, {"embedding", v}});
  }
  return json{{"object", "list"}, {"data", data}, {"model", "m"}, {"usage", {{"total_tokens", 3}}}}
      .dump((*rng)() % 2 == 0 ? -1 : 1);
}

void ExpectSameVerdict(const std::string& body, size_t count, uint32_t dim) {
  std::vector<float> ours, theirs;
  Result<uint32_t> a = DecodeEmbeddingResponse(body, count, dim, &ours);
  Result<uint32_t> b = Reference(body, count, dim, &theirs);
  ASSERT_EQ(a.ok(), b.ok()) << body << "\nours: " << a.status().ToString()
                            << "\nreference: " << b.status().ToString();
  if (a.ok()) {
    EXPECT_EQ(*a, *b) << body;
    EXPECT_EQ(ours, theirs) << body;
  } else {
    EXPECT_EQ(a.status().ToString(), b.status().ToString()) << body;
  }
}

TEST(JsonScannerTest, DecodesResponsesAsTheDocumentWalkerDoes) {
  std::mt19937_64 rng(20261124);
  for (int round = 0; round < 200; ++round) {
    const size_t count = 1 + rng() % 4;
    const uint32_t dim = 1 + static_cast<uint32_t>(rng() % 5);
    const std::string body = ValidResponse(&rng, count, dim);
    ExpectSameVerdict(body, count, dim);
    ExpectSameVerdict(body, count, 0);
    ExpectSameVerdict(body, count + 1, dim);
  }
}

TEST(JsonScannerTest, AgreesWithTheDocumentWalkerOnMutatedResponses) {
  std::mt19937_64 rng(7);
  const char kAlphabet[] = "{}[],:\"0123456789.-+eE \\naeiltnrsu";
  for (int round = 0; round < 5000; ++round) {
    const size_t count = 1 + rng() % 3;
    const uint32_t dim = 1 + static_cast<uint32_t>(rng() % 3);
    std::string body = ValidResponse(&rng, count, dim);
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits && !body.empty(); ++e) {
      const size_t at = rng() % body.size();
      switch (rng() % 3) {
        case 0:
          body[at] = kAlphabet[rng() % (sizeof kAlphabet - 1)];
          break;
        case 1:
          body.erase(at, 1 + rng() % 4);
          break;
        case 2:
          body.insert(at, 1, kAlphabet[rng() % (sizeof kAlphabet - 1)]);
          break;
      }
    }
    ExpectSameVerdict(body, count, rng() % 2 == 0 ? dim : 0);
    if (HasFailure()) return;
  }
}

}  // namespace
}  // namespace roxi::embedders
