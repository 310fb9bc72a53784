// ChunkStream: splits a document that arrives in pieces (a file read block by block) into exactly
// the chunks Chunker::Split gives for the whole document, holding only a bounded window of it:
// the bytes from a little before the next chunk's start to the end of what has arrived. Each chunk
// is handed to a callback with its text while that text is still in the window.
//
// Memory: the window is about one appended piece plus Chunker::Lookahead() bytes, except that a
// whitespace run at the window's end is held until a non-space byte (or the end) arrives.
//
// Thread-safety: a ChunkStream is used by one thread.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "format/status.h"
#include "src/text/chunker.h"

namespace roxi::text {

class ChunkStream {
 public:
  // Receives each chunk with its text; a non-OK Status stops the stream and is returned.
  using ChunkFn = std::function<Status(const ChunkSpan& span, std::string_view text)>;

  // REQUIRES: chunker outlives the stream.
  ChunkStream(const Chunker& chunker, ChunkFn on_chunk);
  ChunkStream(const ChunkStream&) = delete;
  ChunkStream& operator=(const ChunkStream&) = delete;

  // Appends the document's next bytes and emits every chunk they settle. Returns the first error
  // of the callback.
  Status Append(std::string_view bytes);
  // The document ended: emits the remaining chunks.
  Status Finish();

  uint64_t chunks_emitted() const { return emitted_; }

 private:
  Status Emit(bool final);

  const Chunker& chunker_;
  ChunkFn on_chunk_;
  Chunker::SplitState state_;
  std::string window_;       // document bytes [base_, base_ + window_.size())
  uint64_t base_ = 0;
  std::vector<ChunkSpan> spans_;  // reused between calls
  uint64_t emitted_ = 0;
};

}  // namespace roxi::text
