// One file <-> one zstd frame, streamed in kArchiveIoBlockBytes blocks so memory stays constant
// whatever the file's size (FORMAT.md §6.3). The compressor writes frames with zstd's content
// checksum and content size, and measures what the manifest records about them (the file's size
// and XXH3, the frame's size and XXH3). The decompressor checks all four while it extracts.
// Only storage/ sees zstd.
//
// Thread-safety: not thread-safe; one object per thread. A compressor with threads > 0 runs that
// many zstd worker threads of its own while it compresses, joined before each call returns.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "format/archive_manifest.h"
#include "format/status.h"
#include "storage/archive_io.h"

namespace roxi::storage {

inline constexpr int kMinArchiveLevel = 1;
inline constexpr int kMaxArchiveLevel = 19;
inline constexpr int kMaxArchiveThreads = 64;

// What compressing one file measured.
struct FrameStats {
  uint64_t size = 0;        // bytes read from the file
  uint64_t xxh3 = 0;        // XXH3-64 of those bytes
  uint64_t frame_size = 0;  // bytes of the frame appended
  uint64_t frame_xxh3 = 0;  // XXH3-64 of the frame's bytes
};

class FrameCompressor {
 public:
  // `level` in kMinArchiveLevel..kMaxArchiveLevel; `threads` zstd workers (0: compress in the
  // calling thread). A zstd built without thread support compresses in the calling thread
  // (threads() then says 0). InvalidArgument for a value out of range.
  static Result<FrameCompressor> Create(int level, int threads);
  FrameCompressor();
  ~FrameCompressor();
  FrameCompressor(FrameCompressor&&) noexcept;
  FrameCompressor& operator=(FrameCompressor&&) noexcept;

  // Reads `expected_size` bytes of `source` from its start and appends them to `sink` as one
  // frame. Corruption naming the file if it is not exactly that long (it changed while being
  // read); IOError from reads or writes (disk full included).
  Result<FrameStats> CompressFile(const File& source, uint64_t expected_size, File* sink);

  // The zstd worker threads in use.
  int threads() const { return threads_; }

 private:
  struct Context;
  std::unique_ptr<Context> ctx_;
  int threads_ = 0;
};

class FrameDecompressor {
 public:
  static Result<FrameDecompressor> Create();
  FrameDecompressor();
  ~FrameDecompressor();
  FrameDecompressor(FrameDecompressor&&) noexcept;
  FrameDecompressor& operator=(FrameDecompressor&&) noexcept;

  // Streams the frame of `entry` out of `archive` (which holds it at entry.frame_offset), passing
  // each block of file bytes to `sink` (may be empty, to only check). Corruption naming the file
  // and the byte range if the frame is damaged or truncated, has bytes after its end, or its
  // bytes, size or XXH3 differ from the entry; a sink error is returned as is.
  Status Extract(const File& archive, const format::ArchiveFileEntry& entry,
                 const std::function<Status(std::string_view)>& sink);

 private:
  struct Context;
  std::unique_ptr<Context> ctx_;
};

// Reads the frame of `entry` from `archive` and compares its XXH3 with entry.frame_xxh3, without
// decompressing: the cheap pass that finds any damaged byte. Corruption naming the file and range.
Status CheckFrameBytes(const File& archive, const format::ArchiveFileEntry& entry);

// "file 000012.sst (archive bytes 20..1048596)": how a frame is named in messages.
std::string DescribeFrame(const format::ArchiveFileEntry& entry);

}  // namespace roxi::storage
