// Chunker: splits a document into overlapping chunks of about a target size for embedding, as byte
// ranges of the document, so every chunk's text is exactly document.substr(offset, length).
//
// Where a chunk ends. From its start s, the chunker considers every cut between s + target/2 (or
// s + min_bytes, if larger) and s + max_bytes, and takes one of the best kind, nearest to
// s + target_bytes. Kinds, best first:
//   1. paragraph: a whitespace run holding a blank line (two or more line feeds), or one wider
//      than 256 bytes;
//   2. sentence: whitespace after '.', '!', '?' or '…' (optionally closed by a quote or bracket),
//      and a line break before or after a Markdown block line: a heading, quote or table row (a
//      line starting "#", ">" or "|"), list item ("- ", "* ", "+ ", "1. ", "1) ") or code fence;
//   3. line break: any other whitespace run holding a line feed;
//   4. word: any other whitespace run.
// With none in that window, it takes the last whitespace before it; with none at all (one huge
// "word"), it cuts at max_bytes, moved back to the start of a code point.
//
// Where the next chunk starts. overlap_bytes before the previous chunk's end (at most half that
// chunk), moved forward to a sentence start if one lies in the first half of the overlap, else to
// the next word start, else to a code point start. A remainder of at most target_bytes becomes the
// last chunk; one below min_bytes is merged into the chunk before it when the two fit in max_bytes.
//
// Guarantees, for every document and valid options:
//   - every chunk is 1..max_bytes long, starts and ends on non-whitespace, and (for well-formed
//     UTF-8) starts and ends on code point boundaries;
//   - chunks are in document order, each starting after the previous one's start and ending after
//     its end; every non-whitespace byte lies in at least one chunk; a document of only whitespace
//     (ASCII space, tab, line feed, vertical tab, form feed, carriage return) gives no chunks;
//   - the result depends only on the document and the options;
//   - time is linear in the document size for given options: each chunk examines about
//     max_bytes bytes plus bounded look-arounds, and chunks advance by at least target_bytes / 4
//     except next to tokens longer than a chunk (with the defaults, about 1.3 passes in all).
// Whitespace is ASCII whitespace only: no cut falls at other Unicode spaces (such as U+00A0).
//
// Thread-safety: a Chunker is immutable after Create; Split may run on many threads at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "format/status.h"

namespace roxi::text {

struct ChunkerOptions {
  // The chunk size to aim for, in bytes of UTF-8. At least kMinChunkTargetBytes.
  // Default: 1000.
  uint32_t target_bytes = 1000;
  // Hard cap on a chunk's size, in bytes; no chunk is ever longer. At least target_bytes and at
  // most format::kMaxChunkTextBytes (1 MiB), the largest chunk text a record holds. Default: 1500.
  uint32_t max_bytes = 1500;
  // How far before the previous chunk's end the next one starts, in bytes, before snapping forward
  // to a sentence or word start. Below target_bytes.
  // Default: 150.
  uint32_t overlap_bytes = 150;
  // A last chunk shorter than this, in bytes, is merged into the previous one if the merged chunk
  // fits in max_bytes. At most target_bytes.
  // Default: 200.
  uint32_t min_bytes = 200;
};

inline constexpr uint32_t kMinChunkTargetBytes = 16;

// OK, or InvalidArgument naming the first bad option, e.g.
// "chunk overlap: 2000 must be below the target size 1000".
Status ValidateChunkerOptions(const ChunkerOptions& options);

// One chunk: bytes [byte_offset, byte_offset + byte_length) of its document.
struct ChunkSpan {
  uint64_t byte_offset = 0;
  uint32_t byte_length = 0;

  // This chunk's text. REQUIRES: `document` is the document it was split from.
  std::string_view TextIn(std::string_view document) const {
    return document.substr(byte_offset, byte_length);
  }
  bool operator==(const ChunkSpan&) const = default;
};

class Chunker {
 public:
  // A chunker for `options`, or the InvalidArgument of ValidateChunkerOptions.
  static Result<Chunker> Create(const ChunkerOptions& options);

  const ChunkerOptions& options() const { return options_; }

  // The chunks of `document`, in order (see the file comment for the rules and guarantees).
  // `document` should be well-formed UTF-8 (check with CheckUtf8 first); ill-formed input is still
  // chunked safely, but a hard cut may then fall inside an ill-formed sequence.
  std::vector<ChunkSpan> Split(std::string_view document) const;

  // Splitting a document that arrives in pieces (src/text/chunk_stream.h), with exactly Split's
  // result. `state` carries where the next chunk starts; `window` holds the document's bytes from
  // `window_base` on. SplitSome appends the chunks it can decide from the window; without `final`
  // (the window does not reach the document's end) it stops at a chunk start less than
  // Lookahead() bytes before the window's end, and the caller grows the window and calls again.
  // Bytes before state->start - kLookbehindBytes are never read again and may be dropped.
  // REQUIRES: the window starts at or before state->start - kLookbehindBytes (or at 0), and at 0
  // until the first chunk start is known (state->begun).
  struct SplitState {
    uint64_t start = 0;     // where the next chunk starts (once begun)
    uint64_t prev_end = 0;  // where the previous chunk ended
    bool begun = false;
    bool done = false;
  };
  static constexpr uint64_t kLookbehindBytes = 264;
  size_t Lookahead() const;
  void SplitSome(std::string_view window, uint64_t window_base, bool final, SplitState* state,
                 std::vector<ChunkSpan>* chunks) const;

 private:
  explicit Chunker(const ChunkerOptions& options);

  ChunkerOptions options_;
  uint32_t min_cut_bytes_ = 0;  // no cut nearer a chunk's start than this, if avoidable
};

}  // namespace roxi::text
