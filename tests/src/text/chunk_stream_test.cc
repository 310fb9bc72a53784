// Tests of src/text/chunk_stream.cc: a document fed in pieces of any size gives exactly the chunks
// Chunker::Split gives for it whole, while the stream holds a bounded window.
#include "src/text/chunk_stream.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace roxi::text {
namespace {

struct Emitted {
  std::vector<ChunkSpan> spans;
  std::vector<std::string> texts;
};

// Feeds `doc` in pieces whose sizes `rng` draws below `max_piece`.
Emitted Stream(const Chunker& chunker, std::string_view doc, size_t max_piece, std::mt19937* rng) {
  Emitted out;
  ChunkStream stream(chunker, [&](const ChunkSpan& span, std::string_view text) {
    out.spans.push_back(span);
    out.texts.emplace_back(text);
    return Status::OK();
  });
  size_t at = 0;
  while (at < doc.size()) {
    const size_t piece = std::min(doc.size() - at, size_t{1} + (*rng)() % max_piece);
    EXPECT_TRUE(stream.Append(doc.substr(at, piece)).ok());
    at += piece;
  }
  EXPECT_TRUE(stream.Finish().ok());
  EXPECT_EQ(stream.chunks_emitted(), out.spans.size());
  return out;
}

// Pieces of text that exercise every kind of cut, long words and long whitespace runs.
std::string RandomDocument(std::mt19937* rng, size_t pieces) {
  static const std::vector<std::string> kPieces = {"word",
                                                   "sentence.",
                                                   "Why?",
                                                   "\u00e9t\u00e9",
                                                   "\u2026",
                                                   "\u201dquoted.\u201d",
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
                                                   std::string(40, ' '),
                                                   std::string(700, ' '),
                                                   std::string(3000, 'w')};
  std::string doc;
  for (size_t i = 0; i < pieces; ++i) {
    doc += kPieces[(*rng)() % kPieces.size()];
    if ((*rng)() % 3 != 0) doc += ' ';
  }
  return doc;
}

TEST(ChunkStreamTest, PiecesOfAnySizeGiveTheChunksOfTheWholeDocument) {
  std::mt19937 rng(20261202);
  for (int iteration = 0; iteration < 200; ++iteration) {
    SCOPED_TRACE("iteration " + std::to_string(iteration));
    const std::string doc = RandomDocument(&rng, rng() % 3000);
    ChunkerOptions o;
    o.target_bytes = 16 + rng() % 400;
    o.max_bytes = o.target_bytes + rng() % 300;
    o.overlap_bytes = rng() % o.target_bytes;
    o.min_bytes = rng() % (o.target_bytes + 1);
    Result<Chunker> chunker = Chunker::Create(o);
    ASSERT_TRUE(chunker.ok()) << chunker.status().ToString();
    const std::vector<ChunkSpan> whole = chunker->Split(doc);
    for (size_t max_piece : {size_t{1}, size_t{7}, size_t{1000}, size_t{1} << 16}) {
      SCOPED_TRACE("pieces up to " + std::to_string(max_piece));
      const Emitted streamed = Stream(*chunker, doc, max_piece, &rng);
      ASSERT_EQ(streamed.spans, whole);
      for (size_t i = 0; i < whole.size(); ++i) {
        ASSERT_EQ(streamed.texts[i], whole[i].TextIn(doc));
      }
    }
  }
}

TEST(ChunkStreamTest, DefaultOptionsOnALongDocument) {
  std::mt19937 rng(7);
  const std::string doc = RandomDocument(&rng, 60000);
  Result<Chunker> chunker = Chunker::Create(ChunkerOptions{});
  ASSERT_TRUE(chunker.ok());
  const std::vector<ChunkSpan> whole = chunker->Split(doc);
  ASSERT_GT(whole.size(), 100u);
  EXPECT_EQ(Stream(*chunker, doc, 1 << 20, &rng).spans, whole);
  EXPECT_EQ(Stream(*chunker, doc, 4096, &rng).spans, whole);
}

TEST(ChunkStreamTest, EmptyAndWhitespaceOnlyDocumentsGiveNoChunks) {
  Result<Chunker> chunker = Chunker::Create(ChunkerOptions{});
  ASSERT_TRUE(chunker.ok());
  std::mt19937 rng(1);
  EXPECT_TRUE(Stream(*chunker, "", 10, &rng).spans.empty());
  EXPECT_TRUE(Stream(*chunker, std::string(5000, ' ') + "\n\n\t", 100, &rng).spans.empty());
}

TEST(ChunkStreamTest, AnErrorOfTheCallbackStopsTheStream) {
  Result<Chunker> chunker = Chunker::Create(ChunkerOptions{});
  ASSERT_TRUE(chunker.ok());
  int calls = 0;
  ChunkStream stream(*chunker, [&](const ChunkSpan&, std::string_view) {
    ++calls;
    return Status::IOError("store", "disk full");
  });
  std::mt19937 rng(3);
  const std::string doc = RandomDocument(&rng, 5000);
  Status s = stream.Append(doc);
  if (s.ok()) s = stream.Finish();
  EXPECT_EQ(s.ToString(), "io error: store: disk full");
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace roxi::text
