// Retrieval quality of the built-in embedder, end to end: the real roxi binary ingests the demo
// corpus (tools/demo-corpus/docs), embeds it with the default embedder and answers every labelled
// query of tools/demo-corpus/queries.tsv with `roxi search`. Chunks are mapped back to their
// documents, keeping each document's first (best) rank, and the metrics of the corpus README are
// computed over the distinct documents:
//   - recall@5: the share of a query's relevant documents among its first 5 documents;
//   - hit@5: whether any relevant document is among the first 5 (it can differ from recall@5 only
//     for the three queries with two relevant documents);
//   - MRR: 1 / rank of the first relevant document (0 if none is found).
// Each is averaged over all queries, and reported per kind: keyword, question, paraphrase.
//
// The floors below are the figures the current embedder reaches minus a small margin, so an edit
// that makes retrieval worse fails here: one test guards recall@5, one MRR (each runs the whole
// pipeline, about 2 s, since ctest runs every test in its own process). When an embedder change
// raises the figures, raise the floors with it and record the new figures in benchmarks/RESULTS.md.
// Run
//   build/tests/roxi_cli_tests --gtest_filter='RetrievalQuality*'
// to print the table.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/cli/cli_fixture.h"

namespace roxi::testing {
namespace {

// Floors: the figures builtin:hash-v2 reaches (recall@5 0.818, MRR 0.763; see
// benchmarks/RESULTS.md) minus 0.03, about two queries in 66.
constexpr double kMinRecallAt5 = 0.788;
constexpr double kMinMrr = 0.733;

// Chunks fetched per query: enough to reach 5 distinct documents even when one document holds
// many of the best chunks (the corpus has 51 documents in about 370 chunks).
constexpr int kChunksPerQuery = 120;
constexpr size_t kCutoff = 5;

enum class Kind { kKeyword, kQuestion, kParaphrase };
constexpr const char* kKindNames[] = {"keyword", "question", "paraphrase"};

struct LabelledQuery {
  std::string text;  // without the paraphrase marker
  Kind kind = Kind::kKeyword;
  std::set<std::string> relevant;  // file names in docs/
};

std::filesystem::path CorpusDir() {
  return std::filesystem::path(ROXI_SOURCE_DIR) / "tools" / "demo-corpus";
}

// Questions start with an interrogative or auxiliary word; the corpus README counts 15 of them.
Kind QuestionOrKeyword(const std::string& text) {
  static const std::set<std::string> kOpeners = {
      "how", "what", "when", "why", "where", "who", "which", "can", "is", "does", "do", "should"};
  const std::string first = text.substr(0, text.find(' '));
  return kOpeners.contains(first) ? Kind::kQuestion : Kind::kKeyword;
}

std::vector<LabelledQuery> ReadQueries() {
  const std::filesystem::path path = CorpusDir() / "queries.tsv";
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::vector<LabelledQuery> queries;
  std::string line;
  constexpr std::string_view kMarker = " [paraphrase]";
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const size_t tab = line.find('\t');
    if (tab == std::string::npos) {
      ADD_FAILURE() << path << ": no tab in line: " << line;
      continue;
    }
    LabelledQuery q;
    q.text = line.substr(0, tab);
    if (q.text.ends_with(kMarker)) {
      q.text.resize(q.text.size() - kMarker.size());
      q.kind = Kind::kParaphrase;
    } else {
      q.kind = QuestionOrKeyword(q.text);
    }
    std::stringstream relevant(line.substr(tab + 1));
    std::string name;
    while (std::getline(relevant, name, ',')) {
      EXPECT_TRUE(std::filesystem::exists(CorpusDir() / "docs" / name)) << name;
      q.relevant.insert(name);
    }
    queries.push_back(std::move(q));
  }
  return queries;
}

struct Scores {
  double recall = 0;  // sums, divided by count when printed
  double hit = 0;
  double reciprocal_rank = 0;
  int count = 0;

  void Add(const Scores& s) {
    recall += s.recall;
    hit += s.hit;
    reciprocal_rank += s.reciprocal_rank;
    count += s.count;
  }
  double Recall() const { return count == 0 ? 0 : recall / count; }
  double Hit() const { return count == 0 ? 0 : hit / count; }
  double Mrr() const { return count == 0 ? 0 : reciprocal_rank / count; }
};

// The documents of ranked chunks (best first), each kept at its first rank only.
std::vector<std::string> DistinctDocuments(const std::vector<std::string>& chunk_documents) {
  std::vector<std::string> documents;
  for (const std::string& d : chunk_documents) {
    if (std::find(documents.begin(), documents.end(), d) == documents.end()) documents.push_back(d);
  }
  return documents;
}

// Scores one query from its ranked distinct documents.
Scores ScoreQuery(const LabelledQuery& q, const std::vector<std::string>& documents) {
  Scores s;
  s.count = 1;
  size_t found = 0;
  for (size_t rank = 1; rank <= documents.size(); ++rank) {
    if (!q.relevant.contains(documents[rank - 1])) continue;
    if (s.reciprocal_rank == 0) s.reciprocal_rank = 1.0 / static_cast<double>(rank);
    if (rank <= kCutoff) ++found;
  }
  s.recall = static_cast<double>(found) / static_cast<double>(q.relevant.size());
  s.hit = found > 0 ? 1 : 0;
  return s;
}

class RetrievalQualityTest : public CliTest {
 protected:
  // Ingests, embeds and runs every query; prints the table; returns the scores over all queries.
  Scores Measure();
};

Scores RetrievalQualityTest::Measure() {
  const std::vector<LabelledQuery> queries = ReadQueries();
  EXPECT_EQ(queries.size(), 66u);

  const nlohmann::json ingest = RoxiJson("ingest", {(CorpusDir() / "docs").string()});
  EXPECT_EQ(ingest["created"], 51);
  const nlohmann::json process = RoxiJson("process", {"--quiet"});
  EXPECT_EQ(process["pending"], 0);
  EXPECT_EQ(process["failed"], 0);
  const std::string embedder = Status()["embedder"]["id"].get<std::string>();

  Scores by_kind[3];
  std::string misses;
  for (const LabelledQuery& q : queries) {
    const nlohmann::json found =
        RoxiJson("search", {q.text, "-k", std::to_string(kChunksPerQuery), "--snippet-bytes", "0"});
    std::vector<std::string> chunk_documents;
    for (const nlohmann::json& r : found["results"]) {
      chunk_documents.push_back(
          std::filesystem::path(r["document"].get<std::string>()).filename().string());
    }
    const std::vector<std::string> documents = DistinctDocuments(chunk_documents);
    const Scores s = ScoreQuery(q, documents);
    by_kind[static_cast<int>(q.kind)].Add(s);
    if (s.hit == 0) {
      misses += "  [" + std::string(kKindNames[static_cast<int>(q.kind)]) + "] " + q.text + " (";
      for (size_t i = 0; i < std::min<size_t>(documents.size(), 3); ++i) {
        misses += (i == 0 ? "" : ", ") + documents[i];
      }
      misses += ")\n";
    }
  }
  EXPECT_EQ(by_kind[0].count, 35);
  EXPECT_EQ(by_kind[1].count, 15);
  EXPECT_EQ(by_kind[2].count, 16);

  Scores all;
  for (const Scores& s : by_kind) all.Add(s);
  std::printf("embedder %s\n%-12s %7s %9s %7s %7s\n", embedder.c_str(), "queries", "count",
              "recall@5", "hit@5", "MRR");
  const auto row = [](const char* name, const Scores& s) {
    std::printf("%-12s %7d %9.3f %7.3f %7.3f\n", name, s.count, s.Recall(), s.Hit(), s.Mrr());
  };
  for (int k = 0; k < 3; ++k) row(kKindNames[k], by_kind[k]);
  row("all", all);
  std::printf("no relevant document in the first 5 (first 3 documents found):\n%s", misses.c_str());
  std::fflush(stdout);
  return all;
}

TEST_F(RetrievalQualityTest, RecallAt5StaysAboveItsFloor) {
  EXPECT_GE(Measure().Recall(), kMinRecallAt5);
}

TEST_F(RetrievalQualityTest, MrrStaysAboveItsFloor) { EXPECT_GE(Measure().Mrr(), kMinMrr); }

}  // namespace
}  // namespace roxi::testing
