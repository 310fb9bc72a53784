#include "src/embedders/builtin_embedder.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "format/chunk_record.h"

namespace roxi::embedders {
namespace {

std::vector<float> EmbedOne(BuiltinEmbedder& embedder, std::string_view text) {
  std::vector<float> out(embedder.info().dim);
  std::vector<Status> status;
  const std::string_view texts[] = {text};
  EXPECT_TRUE(embedder.Embed(texts, out, &status).ok());
  EXPECT_EQ(status.size(), 1u);
  EXPECT_TRUE(status[0].ok()) << status[0].ToString();
  return out;
}

double Dot(const std::vector<float>& a, const std::vector<float>& b) {
  double sum = 0;
  for (size_t i = 0; i < a.size(); ++i) sum += double{a[i]} * b[i];
  return sum;
}

double Norm(const std::vector<float>& v) { return std::sqrt(Dot(v, v)); }

// Ten paragraphs on unrelated topics, and for each a keyword query drawn from it.
struct Topic {
  const char* paragraph;
  const char* query;
};
constexpr Topic kTopics[] = {
    {"Photosynthesis lets plants turn sunlight, water and carbon dioxide into glucose. The "
     "chlorophyll in their leaves absorbs red and blue light and reflects green.",
     "chlorophyll sunlight leaves"},
    {"The Roman Empire built roads, aqueducts and fortified frontiers. Its legions were paid in "
     "silver, and the Senate lost power to the emperors over the centuries.",
     "roman legions senate"},
    {"To make a sourdough loaf, feed the starter the night before, mix flour, water and salt, let "
     "the dough rise slowly, then bake it in a hot cast iron pot.",
     "sourdough starter dough"},
    {"A black hole forms when a massive star collapses. Nothing, not even light, escapes beyond "
     "the event horizon, and time slows near it.",
     "black hole event horizon"},
    {"Rust programs avoid data races because the borrow checker enforces ownership rules at "
     "compile time; unsafe blocks opt out of some checks.",
     "borrow checker ownership"},
    {"The marathon covers 42.195 kilometres. Runners train for months, build mileage gradually and "
     "taper before race day to arrive with fresh legs.",
     "marathon runners mileage"},
    {"Jazz grew out of blues and ragtime in New Orleans. Improvisation, swing rhythms and "
     "syncopation define it, from Louis Armstrong to Miles Davis.",
     "jazz improvisation swing"},
    {"Volcanoes erupt when magma rises through the crust. Basaltic lava flows gently, while "
     "silica-rich magma traps gas and explodes violently.",
     "magma lava volcano"},
    {"Interest rates set by the central bank influence mortgages, savings and inflation. Raising "
     "them cools borrowing; cutting them encourages spending.",
     "central bank interest rates"},
    {"Honeybees communicate the direction of flowers with a waggle dance. A colony has one queen, "
     "thousands of workers and a few hundred drones.",
     "honeybees waggle dance queen"},
};

TEST(BuiltinEmbedderTest, InfoEncodesAlgorithmDimensionAndFingerprint) {
  BuiltinEmbedder embedder;
  EXPECT_EQ(embedder.info().dim, 384u);
  // Frozen: a new value means vectors changed, which needs a new algorithm version, not an edit.
  EXPECT_EQ(embedder.info().id, "builtin:hash-v2:384:8c7be3da");
  BuiltinEmbedder small(64);
  EXPECT_EQ(small.info().dim, 64u);
  EXPECT_EQ(small.info().id, "builtin:hash-v2:64:8c7be3da");
}

TEST(BuiltinEmbedderTest, KeywordQueryRanksItsParagraphFirst) {
  BuiltinEmbedder embedder;
  std::vector<std::vector<float>> paragraphs;
  for (const Topic& t : kTopics) paragraphs.push_back(EmbedOne(embedder, t.paragraph));
  for (size_t q = 0; q < std::size(kTopics); ++q) {
    const std::vector<float> query = EmbedOne(embedder, kTopics[q].query);
    size_t best = 0;
    for (size_t p = 1; p < paragraphs.size(); ++p) {
      if (Dot(query, paragraphs[p]) > Dot(query, paragraphs[best])) best = p;
    }
    EXPECT_EQ(best, q) << "query \"" << kTopics[q].query << "\"";
  }
}

TEST(BuiltinEmbedderTest, MisspellingsStayClose) {
  BuiltinEmbedder embedder;
  const std::vector<float> right = EmbedOne(embedder, "photosynthesis");
  const std::vector<float> typo = EmbedOne(embedder, "photosynthsis");
  const std::vector<float> other = EmbedOne(embedder, "mortgage");
  // Only character n-grams connect the two spellings.
  EXPECT_GT(Dot(right, typo), 0.2);
  EXPECT_GT(Dot(right, typo), Dot(typo, other) + 0.2);
}

TEST(BuiltinEmbedderTest, IsDeterministic) {
  BuiltinEmbedder a;
  BuiltinEmbedder b;
  const std::string text = "Determinism: the same text gives the same vector, bit for bit.";
  const std::vector<float> first = EmbedOne(a, text);
  EXPECT_EQ(first, EmbedOne(a, text));
  EXPECT_EQ(first, EmbedOne(b, text));
}

TEST(BuiltinEmbedderTest, VectorsHaveUnitLength) {
  BuiltinEmbedder embedder;
  for (const Topic& t : kTopics) {
    EXPECT_NEAR(Norm(EmbedOne(embedder, t.paragraph)), 1.0, 1e-5);
    EXPECT_NEAR(Norm(EmbedOne(embedder, t.query)), 1.0, 1e-5);
  }
  EXPECT_NEAR(Norm(EmbedOne(embedder, "x")), 1.0, 1e-5);
  EXPECT_NEAR(Norm(EmbedOne(embedder, std::string(100000, 'w'))), 1.0, 1e-5);
}

TEST(BuiltinEmbedderTest, TextWithoutWordsGivesTheZeroVector) {
  BuiltinEmbedder embedder;
  for (std::string_view text :
       {"", "   \n\t  ", "... --- !!! ???", "\xF0\x9F\x98\x80 \xE2\x80\x94"}) {
    const std::vector<float> v = EmbedOne(embedder, text);
    EXPECT_EQ(v, std::vector<float>(384, 0.0f)) << "\"" << text << "\"";
  }
}

TEST(BuiltinEmbedderTest, HandlesNonAsciiText) {
  BuiltinEmbedder embedder;
  const std::vector<float> accents = EmbedOne(embedder, "Crème brûlée au café, naïve façade");
  const std::vector<float> upper = EmbedOne(embedder, "CRÈME BRÛLÉE AU CAFÉ, NAÏVE FAÇADE");
  EXPECT_NEAR(Norm(accents), 1.0, 1e-5);
  EXPECT_EQ(accents, upper);  // case folding makes them the same text

  const std::vector<float> moscow = EmbedOne(embedder, "Москва — столица России.");
  const std::vector<float> moscow_upper = EmbedOne(embedder, "МОСКВА — СТОЛИЦА РОССИИ!");
  const std::vector<float> greek = EmbedOne(embedder, "Η Αθήνα είναι η πρωτεύουσα της Ελλάδας.");
  EXPECT_NEAR(Norm(moscow), 1.0, 1e-5);
  EXPECT_NEAR(Norm(greek), 1.0, 1e-5);
  EXPECT_EQ(moscow, moscow_upper);
  EXPECT_LT(Dot(moscow, greek), 0.3);
  // A query for one Cyrillic word finds the text holding it.
  const std::vector<float> query = EmbedOne(embedder, "столица");
  EXPECT_GT(Dot(query, moscow), Dot(query, greek) + 0.2);
}

TEST(BuiltinEmbedderTest, StopWordsWeighLittle) {
  BuiltinEmbedder embedder;
  // Sharing only "the", "of" and "and" makes two texts barely similar; sharing a content word
  // makes them clearly so.
  const std::vector<float> a = EmbedOne(embedder, "the history of glaciers and the ice");
  const std::vector<float> b = EmbedOne(embedder, "the price of copper and the markets");
  const std::vector<float> c = EmbedOne(embedder, "glaciers");
  EXPECT_LT(Dot(a, b), 0.15);
  EXPECT_GT(Dot(a, c), 0.3);
}

TEST(BuiltinEmbedderTest, InflectedFormsShareTheirStemsFeatures) {
  BuiltinEmbedder embedder;
  // Without stemming only character n-grams would connect these; with it their unigrams and
  // bigrams are the same terms.
  const std::vector<float> query = EmbedOne(embedder, "prune an apple tree");
  const std::vector<float> doc = EmbedOne(embedder, "Pruning apple trees");
  const std::vector<float> other = EmbedOne(embedder, "pruning shears for roses");
  EXPECT_GT(Dot(query, doc), 0.8);
  EXPECT_GT(Dot(query, doc), Dot(query, other) + 0.4);
  // A plural shares the singular's unigram and most of its character n-grams.
  EXPECT_GT(Dot(EmbedOne(embedder, "tides"), EmbedOne(embedder, "tide")), 0.75);
}

TEST(BuiltinEmbedderTest, CommonWordsWeighLessThanRareOnes) {
  BuiltinEmbedder embedder;
  // "time" and "good" are common words, "whetstone" and "burr" are not: sharing the rare pair
  // makes two texts closer than sharing the common pair.
  const std::vector<float> base = EmbedOne(embedder, "good time whetstone burr");
  const std::vector<float> common = EmbedOne(embedder, "good time copper kettle");
  const std::vector<float> rare = EmbedOne(embedder, "copper kettle whetstone burr");
  EXPECT_GT(Dot(base, rare), Dot(base, common) + 0.2);
}

TEST(BuiltinEmbedderTest, ItemStatusesAreOkForValidText) {
  BuiltinEmbedder embedder;
  std::vector<std::string_view> texts;
  for (const Topic& t : kTopics) texts.push_back(t.paragraph);
  texts.push_back("");
  std::vector<float> out(texts.size() * 384);
  std::vector<Status> status;
  ASSERT_TRUE(embedder.Embed(texts, out, &status).ok());
  ASSERT_EQ(status.size(), texts.size());
  for (const Status& s : status) EXPECT_TRUE(s.ok()) << s.ToString();
}

TEST(BuiltinEmbedderTest, BatchEqualsOneByOne) {
  BuiltinEmbedder batch_embedder;
  BuiltinEmbedder single_embedder;
  std::vector<std::string_view> texts;
  for (const Topic& t : kTopics) {
    texts.push_back(t.paragraph);
    texts.push_back(t.query);
  }
  std::vector<float> out(texts.size() * 384);
  std::vector<Status> status;
  ASSERT_TRUE(batch_embedder.Embed(texts, out, &status).ok());
  for (size_t i = 0; i < texts.size(); ++i) {
    const std::vector<float> row(out.begin() + i * 384, out.begin() + (i + 1) * 384);
    EXPECT_EQ(row, EmbedOne(single_embedder, texts[i])) << i;
  }
}

TEST(BuiltinEmbedderTest, RejectsIllFormedAndOversizedTextsPerItem) {
  BuiltinEmbedder embedder;
  const std::string oversized(format::kMaxChunkTextBytes + 1, 'a');
  const std::vector<std::string_view> texts = {"good text", "ab\xC3", oversized, "more good text"};
  std::vector<float> out(texts.size() * 384, 7.0f);
  std::vector<Status> status;
  ASSERT_TRUE(embedder.Embed(texts, out, &status).ok());
  ASSERT_EQ(status.size(), 4u);
  EXPECT_TRUE(status[0].ok());
  EXPECT_TRUE(status[1].IsInvalidArgument());
  EXPECT_EQ(status[1].message(), "embed text: invalid utf-8 at byte 2");
  EXPECT_TRUE(status[2].IsInvalidArgument());
  EXPECT_EQ(status[2].message(), "embed text: 1048577 bytes exceeds the limit of 1048576");
  EXPECT_TRUE(status[3].ok());
  const std::vector<float> last(out.begin() + 3 * 384, out.end());
  EXPECT_EQ(last, EmbedOne(embedder, "more good text"));
}

TEST(BuiltinEmbedderTest, RejectsMalformedCalls) {
  BuiltinEmbedder embedder;
  const std::string_view texts[] = {"a", "b"};
  std::vector<float> out(383 * 2);
  std::vector<Status> status;
  const Status s = embedder.Embed(texts, out, &status);
  EXPECT_TRUE(s.IsInvalidArgument());
  EXPECT_EQ(s.message(), "embed: output holds 766 floats, expected 2 texts * 384");
  std::vector<float> right(384 * 2);
  EXPECT_TRUE(embedder.Embed(texts, right, nullptr).IsInvalidArgument());
  EXPECT_TRUE(embedder.Embed({}, {}, &status).ok());
  EXPECT_TRUE(status.empty());
}

// Frozen output for one text: if this changes, stored vectors no longer match new ones, so the
// algorithm needs a new version (and id), not an updated expectation.
TEST(BuiltinEmbedderTest, VectorsAreFrozenForHashV2) {
  struct Golden {
    const char* text;
    double weighted_sum;  // sum over d of (d + 1) * v[d]: moves if any component moves
    std::vector<std::pair<size_t, float>> components;  // every |v[d]| > 0.15
  };
  const Golden kGolden[] = {
      {"The quick brown fox jumps over the lazy dog.",
       78.310247,
       {{30, -0.31496802f},
        {58, -0.15748401f},
        {70, 0.15748401f},
        {106, -0.15748401f},
        {122, 0.15748401f},
        {151, 0.31496802f},
        {201, -0.31496802f},
        {209, -0.167982951f},
        {224, 0.31496802f},
        {266, -0.230976552f},
        {305, 0.31496802f}}},
      {"Über Москва — СТОЛИЦА, Ἀθῆναι; naïve CAFÉ 2024",
       176.256013,
       {{0, -0.278582305f},
        {4, 0.278582305f},
        {110, 0.211385727f},
        {145, 0.20648773f},
        {163, 0.278582305f},
        {177, -0.278582305f},
        {296, -0.278582305f},
        {319, 0.278582305f}}},
      // Stems ("pruning", "pruned"), a common word ("time") and a long derived word.
      {"Pruning apple trees takes time: pruned branches heal, and generalizations fail.",
       -2.436232,
       {{1, 0.208316118f},
        {62, 0.414249152f},
        {65, -0.244662225f},
        {72, -0.244662225f},
        {90, -0.214244753f},
        {93, 0.154952735f},
        {104, 0.244662225f},
        {139, 0.244662225f},
        {187, -0.252817631f},
        {273, -0.194125012f}}},
  };
  BuiltinEmbedder embedder;
  for (const Golden& g : kGolden) {
    SCOPED_TRACE(g.text);
    const std::vector<float> v = EmbedOne(embedder, g.text);
    double weighted = 0;
    std::vector<std::pair<size_t, float>> large;
    for (size_t d = 0; d < v.size(); ++d) {
      weighted += (d + 1) * double{v[d]};
      if (std::fabs(v[d]) > 0.15f) large.emplace_back(d, v[d]);
    }
    EXPECT_NEAR(weighted, g.weighted_sum, 1e-4);
    ASSERT_EQ(large.size(), g.components.size());
    for (size_t i = 0; i < large.size(); ++i) {
      EXPECT_EQ(large[i].first, g.components[i].first);
      EXPECT_NEAR(large[i].second, g.components[i].second, 1e-6);
    }
  }
}

}  // namespace
}  // namespace roxi::embedders
