#include "src/text/chunk_stream.h"

namespace roxi::text {

ChunkStream::ChunkStream(const Chunker& chunker, ChunkFn on_chunk)
    : chunker_(chunker), on_chunk_(std::move(on_chunk)) {}

Status ChunkStream::Append(std::string_view bytes) {
  window_.append(bytes);
  return Emit(/*final=*/false);
}

Status ChunkStream::Finish() { return Emit(/*final=*/true); }

Status ChunkStream::Emit(bool final) {
  spans_.clear();
  chunker_.SplitSome(window_, base_, final, &state_, &spans_);
  for (const ChunkSpan& span : spans_) {
    ROXI_RETURN_IF_ERROR(on_chunk_(
        span, std::string_view(window_).substr(span.byte_offset - base_, span.byte_length)));
    ++emitted_;
  }
  if (!state_.begun) return Status::OK();
  // Drop what no later chunk can read, once it is worth a move of the rest.
  const uint64_t keep_from =
      state_.start > Chunker::kLookbehindBytes ? state_.start - Chunker::kLookbehindBytes : 0;
  if (keep_from > base_) {
    const size_t drop = static_cast<size_t>(keep_from - base_);
    if (drop >= window_.size() / 2 || final) {
      window_.erase(0, drop);
      base_ = keep_from;
    }
  }
  return Status::OK();
}

}  // namespace roxi::text
