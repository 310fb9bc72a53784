#include "src/text/chunker.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "src/text/utf8.h"

namespace roxi::text {
namespace {

bool IsSpaceByte(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

Chunker MakeChunker(uint32_t target, uint32_t max, uint32_t overlap, uint32_t min) {
  Result<Chunker> chunker = Chunker::Create(ChunkerOptions{target, max, overlap, min});
  EXPECT_TRUE(chunker.ok()) << chunker.status().ToString();
  return std::move(chunker).value();
}

// Checks every guarantee chunker.h makes, for one document and its chunks.
void ExpectValidChunks(std::string_view doc, const std::vector<ChunkSpan>& chunks,
                       const ChunkerOptions& o, bool well_formed = true) {
  std::vector<bool> covered(doc.size(), false);
  for (size_t i = 0; i < chunks.size(); ++i) {
    const ChunkSpan& c = chunks[i];
    SCOPED_TRACE("chunk " + std::to_string(i) + " at " + std::to_string(c.byte_offset));
    ASSERT_GE(c.byte_length, 1u);
    ASSERT_LE(c.byte_length, o.max_bytes);
    ASSERT_LE(c.byte_offset + c.byte_length, doc.size());
    const std::string_view text = c.TextIn(doc);
    ASSERT_EQ(text, doc.substr(c.byte_offset, c.byte_length));
    EXPECT_FALSE(IsSpaceByte(text.front()));
    EXPECT_FALSE(IsSpaceByte(text.back()));
    if (well_formed) {
      EXPECT_TRUE(IsValidUtf8(text)) << "split inside a code point";
    }
    if (i > 0) {
      const ChunkSpan& p = chunks[i - 1];
      EXPECT_GT(c.byte_offset, p.byte_offset);
      EXPECT_GT(c.byte_offset + c.byte_length, p.byte_offset + p.byte_length);
    }
    for (size_t b = c.byte_offset; b < c.byte_offset + c.byte_length; ++b) covered[b] = true;
  }
  for (size_t b = 0; b < doc.size(); ++b) {
    if (!IsSpaceByte(doc[b])) {
      ASSERT_TRUE(covered[b]) << "byte " << b << " is in no chunk";
    }
  }
}

// Deterministic prose: sentences of 6..14 words from a small vocabulary, `sentences_per_paragraph`
// to a paragraph.
std::string Prose(size_t paragraphs, size_t sentences_per_paragraph, uint32_t seed) {
  static const char* kWords[] = {"river",  "stone",  "market", "signal", "garden",  "engine",
                                 "winter", "copper", "ladder", "window", "orbit",   "harbor",
                                 "the",    "of",     "and",    "a",      "quietly", "north"};
  std::mt19937 rng(seed);
  std::string doc;
  for (size_t p = 0; p < paragraphs; ++p) {
    if (p > 0) doc += "\n\n";
    for (size_t s = 0; s < sentences_per_paragraph; ++s) {
      if (s > 0) doc += ' ';
      const size_t words = 6 + rng() % 9;
      for (size_t w = 0; w < words; ++w) {
        std::string word = kWords[rng() % std::size(kWords)];
        if (w == 0) word[0] = static_cast<char>(word[0] - 'a' + 'A');
        if (w > 0) doc += ' ';
        doc += word;
      }
      doc += '.';
    }
  }
  return doc;
}

TEST(ChunkerTest, DefaultOptionsAreValid) {
  const ChunkerOptions o;
  EXPECT_EQ(o.target_bytes, 1000u);
  EXPECT_EQ(o.max_bytes, 1500u);
  EXPECT_EQ(o.overlap_bytes, 150u);
  EXPECT_EQ(o.min_bytes, 200u);
  EXPECT_TRUE(ValidateChunkerOptions(o).ok());
}

TEST(ChunkerTest, RejectsBadOptionsNamingTheOption) {
  const auto message = [](ChunkerOptions o) {
    const Status s = ValidateChunkerOptions(o);
    EXPECT_TRUE(s.IsInvalidArgument());
    EXPECT_FALSE(Chunker::Create(o).ok());
    return std::string(s.message());
  };
  EXPECT_EQ(message({1000, 1500, 2000, 200}),
            "chunk overlap: 2000 must be below the target size 1000");
  EXPECT_EQ(message({1000, 1500, 1000, 200}),
            "chunk overlap: 1000 must be below the target size 1000");
  EXPECT_EQ(message({1000, 999, 150, 200}),
            "chunk max size: 999 must be at least the target size 1000");
  EXPECT_EQ(message({8, 100, 0, 0}), "chunk target size: 8 must be at least 16");
  EXPECT_EQ(message({1000, 2000000, 150, 200}),
            "chunk max size: 2000000 exceeds the largest chunk 1048576");
  EXPECT_EQ(message({1000, 1500, 150, 1001}),
            "chunk min size: 1001 must not exceed the target size 1000");
}

TEST(ChunkerTest, EmptyAndWhitespaceOnlyGiveNoChunks) {
  const Chunker chunker = MakeChunker(1000, 1500, 150, 200);
  EXPECT_TRUE(chunker.Split("").empty());
  EXPECT_TRUE(chunker.Split(" \t\r\n\v\f  \n\n").empty());
  EXPECT_TRUE(chunker.Split(std::string(5000, ' ')).empty());
}

TEST(ChunkerTest, ShortDocumentIsOneTrimmedChunk) {
  const Chunker chunker = MakeChunker(1000, 1500, 150, 200);
  const std::string doc = "  \n Hello, world. \n\n";
  const std::vector<ChunkSpan> chunks = chunker.Split(doc);
  ASSERT_EQ(chunks.size(), 1u);
  EXPECT_EQ(chunks[0], (ChunkSpan{4, 13}));
  EXPECT_EQ(chunks[0].TextIn(doc), "Hello, world.");
}

TEST(ChunkerTest, PrefersParagraphBoundaries) {
  const ChunkerOptions o{1000, 1500, 150, 200};
  const std::string doc = Prose(20, 4, 1);  // paragraphs of roughly 300 bytes
  const std::vector<ChunkSpan> chunks = MakeChunker(1000, 1500, 150, 200).Split(doc);
  ExpectValidChunks(doc, chunks, o);
  ASSERT_GT(chunks.size(), 4u);
  for (size_t i = 0; i + 1 < chunks.size(); ++i) {
    const size_t end = chunks[i].byte_offset + chunks[i].byte_length;
    EXPECT_EQ(doc.substr(end, 2), "\n\n") << "chunk " << i << " does not end a paragraph";
    EXPECT_GE(chunks[i].byte_length, 500u);
  }
}

TEST(ChunkerTest, PrefersSentenceEndsInsideAParagraph) {
  const ChunkerOptions o{300, 450, 50, 60};
  const std::string doc = Prose(1, 60, 2);
  const std::vector<ChunkSpan> chunks = MakeChunker(300, 450, 50, 60).Split(doc);
  ExpectValidChunks(doc, chunks, o);
  ASSERT_GT(chunks.size(), 5u);
  for (const ChunkSpan& c : chunks) EXPECT_EQ(c.TextIn(doc).back(), '.');
}

TEST(ChunkerTest, FallsBackToWordBoundaries) {
  const ChunkerOptions o{100, 150, 20, 30};
  std::string doc;
  for (int i = 0; i < 200; ++i) doc += "word" + std::to_string(i) + " ";
  const std::vector<ChunkSpan> chunks = MakeChunker(100, 150, 20, 30).Split(doc);
  ExpectValidChunks(doc, chunks, o);
  for (const ChunkSpan& c : chunks) {
    const size_t end = c.byte_offset + c.byte_length;
    EXPECT_TRUE(end == doc.size() || doc[end] == ' ');
    EXPECT_TRUE(c.byte_offset == 0 || doc[c.byte_offset - 1] == ' ');
  }
}

TEST(ChunkerTest, TreatsMarkdownBlockLinesAsSentences) {
  const ChunkerOptions o{200, 300, 0, 0};
  std::string doc = "# Shopping list\n";
  for (int i = 0; i < 40; ++i) {
    doc += "- item number " + std::to_string(i) + " with a few words\n";
    if (i % 10 == 9) doc += "## Section " + std::to_string(i) + "\nplain text line without stop\n";
  }
  const std::vector<ChunkSpan> chunks = MakeChunker(200, 300, 0, 0).Split(doc);
  ExpectValidChunks(doc, chunks, o);
  for (size_t i = 0; i + 1 < chunks.size(); ++i) {
    const ChunkSpan& c = chunks[i];
    const size_t end = c.byte_offset + c.byte_length;
    ASSERT_EQ(doc[end], '\n');
    const size_t line_start = doc.rfind('\n', end - 1) + 1;
    const char next = doc[end + 1];
    // The cut sits before a block line or right after one.
    EXPECT_TRUE(next == '-' || next == '#' || doc[line_start] == '-' || doc[line_start] == '#')
        << c.TextIn(doc);
  }
}

TEST(ChunkerTest, OverlapStartsAtAWordAndStaysWithinBudget) {
  const ChunkerOptions o{200, 300, 60, 40};
  std::string doc;
  for (int i = 0; i < 300; ++i) doc += "token" + std::to_string(i % 17) + " ";
  const std::vector<ChunkSpan> chunks = MakeChunker(200, 300, 60, 40).Split(doc);
  ExpectValidChunks(doc, chunks, o);
  ASSERT_GT(chunks.size(), 3u);
  for (size_t i = 1; i < chunks.size(); ++i) {
    const size_t prev_end = chunks[i - 1].byte_offset + chunks[i - 1].byte_length;
    const size_t start = chunks[i].byte_offset;
    EXPECT_LT(start, prev_end) << "no overlap";
    EXPECT_LE(prev_end - start, 60u);
    EXPECT_EQ(doc[start - 1], ' ');
  }
}

TEST(ChunkerTest, OverlapPrefersASentenceStart) {
  const ChunkerOptions o{300, 450, 120, 60};
  // Sentences of about 40 bytes, so one starts within the first half of every overlap window.
  std::string doc;
  for (int i = 0; i < 100; ++i) doc += "Sentence " + std::to_string(i) + " has some short words. ";
  const std::vector<ChunkSpan> chunks = MakeChunker(300, 450, 120, 60).Split(doc);
  ExpectValidChunks(doc, chunks, o);
  for (size_t i = 1; i < chunks.size(); ++i) {
    EXPECT_EQ(chunks[i].TextIn(doc).substr(0, 9), "Sentence ") << chunks[i].TextIn(doc);
  }
}

TEST(ChunkerTest, NeverExceedsMaxBytes) {
  const ChunkerOptions o{1000, 1500, 150, 200};
  const Chunker chunker = MakeChunker(1000, 1500, 150, 200);
  const std::string word(50 * 1024, 'x');
  for (const std::string& doc :
       {word, "intro words " + word + " outro words", word + "\n\n" + word}) {
    const std::vector<ChunkSpan> chunks = chunker.Split(doc);
    ExpectValidChunks(doc, chunks, o);
    EXPECT_GE(chunks.size(), doc.size() / 1500);
  }
}

TEST(ChunkerTest, NeverSplitsMultiByteSequences) {
  const ChunkerOptions o{100, 130, 30, 20};
  const Chunker chunker = MakeChunker(100, 130, 30, 20);
  // Single long words of 2-, 3- and 4-byte characters, so every cut is a hard cut.
  for (const char* unit :
       {"\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80", "a\xF0\x9F\x98\x80\xC3\xA9"}) {
    std::string doc;
    for (int i = 0; i < 500; ++i) doc += unit;
    const std::vector<ChunkSpan> chunks = chunker.Split(doc);
    ExpectValidChunks(doc, chunks, o);
  }
}

TEST(ChunkerTest, MergesASmallTrailingChunk) {
  const ChunkerOptions o{100, 150, 0, 40};
  // 95 bytes of sentences, then a short 20-byte tail: 116 bytes in all.
  std::string doc;
  while (doc.size() < 95) doc += "Short one. ";
  doc.resize(95);
  doc.back() = '.';
  doc += " Tail sentence here.";
  ASSERT_GT(doc.size(), 100u);
  const std::vector<ChunkSpan> chunks = MakeChunker(100, 150, 0, 40).Split(doc);
  ExpectValidChunks(doc, chunks, o);
  ASSERT_EQ(chunks.size(), 1u);
  EXPECT_EQ(chunks[0].byte_length, doc.size());
}

TEST(ChunkerTest, KeepsASmallTrailingChunkWhenMergingWouldExceedMax) {
  const ChunkerOptions o{100, 105, 0, 40};
  std::string doc(100, 'a');
  doc += " tail.";  // 106 bytes: one more than max
  const std::vector<ChunkSpan> chunks = MakeChunker(100, 105, 0, 40).Split(doc);
  ExpectValidChunks(doc, chunks, o);
  ASSERT_EQ(chunks.size(), 2u);
  EXPECT_EQ(chunks[1].TextIn(doc), "tail.");
}

TEST(ChunkerTest, SurvivesWhitespaceGapsWiderThanAChunk) {
  const ChunkerOptions o{100, 150, 90, 20};
  const std::string words = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu ";
  const std::string doc = words + words + std::string(4000, ' ') + words + std::string(3000, '\n') +
                          words + words + words;
  const std::vector<ChunkSpan> chunks = MakeChunker(100, 150, 90, 20).Split(doc);
  ExpectValidChunks(doc, chunks, o);
}

TEST(ChunkerTest, IllFormedInputIsStillChunkedWithinTheCap) {
  const ChunkerOptions o{100, 150, 30, 20};
  const std::string doc = std::string(5000, '\x80') + " x " + std::string(700, '\xF0');
  const std::vector<ChunkSpan> chunks = MakeChunker(100, 150, 30, 20).Split(doc);
  ExpectValidChunks(doc, chunks, o, /*well_formed=*/false);
}

TEST(ChunkerTest, IsDeterministic) {
  const std::string doc = Prose(30, 5, 3);
  const std::vector<ChunkSpan> a = MakeChunker(1000, 1500, 150, 200).Split(doc);
  const std::vector<ChunkSpan> b = MakeChunker(1000, 1500, 150, 200).Split(doc);
  EXPECT_EQ(a, b);
  EXPECT_EQ(a, MakeChunker(1000, 1500, 150, 200).Split(std::string(doc)));
}

// Random documents mixing every kind of boundary, multi-byte text, long tokens and whitespace
// gaps, chunked with random valid options: every guarantee must hold every time.
TEST(ChunkerTest, GuaranteesHoldOnRandomDocuments) {
  static const std::vector<std::string> kPieces = {
      "word",
      "Sentence",
      "end.",
      "why?",
      "yes!",
      "(aside.)",
      "\"quoted.\"",
      "caf\xC3\xA9",
      "\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0",
      "\xE4\xB8\xAD\xE6\x96\x87",
      "\xF0\x9F\x98\x80",
      "\xE2\x80\xA6",
      "\n",
      "\n\n",
      "\n# Heading\n",
      "\n- item",
      "\n1. first",
      "\t",
      "   ",
      "\r\n",
      "```",
      "|a|b|",
      std::string(300, 'z'),
      std::string(40, ' ')};
  std::mt19937 rng(20240601);
  for (int iteration = 0; iteration < 300; ++iteration) {
    std::string doc;
    const size_t pieces = rng() % 600;
    for (size_t i = 0; i < pieces; ++i) {
      doc += kPieces[rng() % kPieces.size()];
      if (rng() % 3 != 0) doc += ' ';
    }
    ChunkerOptions o;
    o.target_bytes = 16 + rng() % 400;
    o.max_bytes = o.target_bytes + rng() % 300;
    o.overlap_bytes = rng() % o.target_bytes;
    o.min_bytes = rng() % (o.target_bytes + 1);
    SCOPED_TRACE("iteration " + std::to_string(iteration));
    Result<Chunker> chunker = Chunker::Create(o);
    ASSERT_TRUE(chunker.ok()) << chunker.status().ToString();
    ExpectValidChunks(doc, chunker->Split(doc), o);
  }
}

}  // namespace
}  // namespace roxi::text
