// One file <-> its zstd frames, streamed so memory stays constant whatever the file's size
// (FORMAT.md §6.3). A file is cut into segments of kArchiveSegmentBytes, each compressed on its own
// into one frame with zstd's content checksum and content size; segments are compressed by
// `threads` worker threads while the calling thread reads the next segments and writes finished
// frames in order, so the bytes written do not depend on the number of threads, and a run of
// frames decompresses like one. The compressor measures what the manifest records (the file's size and
// XXH3, the frames' size and XXH3); the decompressor checks all four while it extracts. Only
// storage/ sees zstd.
//
// Thread-safety: not thread-safe; one object per thread. A compressor with threads > 1 owns that
// many worker threads for its lifetime; each call returns only once its segments are done.
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
inline constexpr int kMaxArchiveThreads = 16;
// Each segment of a file becomes one zstd frame (FORMAT.md §6.3).
inline constexpr size_t kArchiveSegmentBytes = size_t{4} << 20;
// Above level 1, each segment's first kLevelProbeBytes are compressed at the chosen level and at
// level 1; when the chosen level saves less than kLevelProbeMinGainPercent of level 1's size, the
// segment is compressed at level 1. On binary16 vectors and LZ4-compressed RocksDB blocks, level 3
// is 2 to 3 times slower than level 1 for the same size (benchmarks/RESULTS.md).
inline constexpr size_t kLevelProbeBytes = size_t{128} << 10;
inline constexpr size_t kLevelProbeMinGainPercent = 1;

// What compressing one file measured.
struct FrameStats {
  uint64_t size = 0;        // bytes read from the file
  uint64_t xxh3 = 0;        // XXH3-64 of those bytes
  uint64_t frame_size = 0;  // bytes of the frames appended
  uint64_t frame_xxh3 = 0;  // XXH3-64 of the frames' bytes
};

class FrameCompressor {
 public:
  // `level` in kMinArchiveLevel..kMaxArchiveLevel (lowered per segment as kLevelProbeBytes says);
  // `threads` segments compressed at once (0 and 1: one at a time, in the calling thread),
  // 0..kMaxArchiveThreads. Holds two buffers of about kArchiveSegmentBytes per lane: one lane in
  // the calling thread, or two per worker thread. InvalidArgument for a value out of range.
  static Result<FrameCompressor> Create(int level, int threads);
  FrameCompressor();
  ~FrameCompressor();
  FrameCompressor(FrameCompressor&&) noexcept;
  FrameCompressor& operator=(FrameCompressor&&) noexcept;
  FrameCompressor(const FrameCompressor&) = delete;
  FrameCompressor& operator=(const FrameCompressor&) = delete;

  // Reads `expected_size` bytes of `source` from its start and appends them to `sink` as one frame
  // per segment. Corruption naming the file if it is not exactly that long (it changed while being
  // read); IOError from reads or writes (disk full included).
  Result<FrameStats> CompressFile(const File& source, uint64_t expected_size, File* sink);

  // Segments compressed at once.
  int threads() const { return threads_; }

 private:
  struct Context;
  std::unique_ptr<Context> ctx_;
  int threads_ = 1;
  int level_ = 3;
};

class FrameDecompressor {
 public:
  static Result<FrameDecompressor> Create();
  FrameDecompressor();
  ~FrameDecompressor();
  FrameDecompressor(FrameDecompressor&&) noexcept;
  FrameDecompressor& operator=(FrameDecompressor&&) noexcept;
  FrameDecompressor(const FrameDecompressor&) = delete;
  FrameDecompressor& operator=(const FrameDecompressor&) = delete;

  // Streams the frames of `entry` out of `archive` (which holds them at entry.frame_offset),
  // passing each block of file bytes to `sink` (may be empty, to only check). Corruption naming the
  // file and the byte range if a frame is damaged, the last one is cut short, or the bytes, size
  // or XXH3 differ from the entry; a sink error is returned as is.
  Status Extract(const File& archive, const format::ArchiveFileEntry& entry,
                 const std::function<Status(std::string_view)>& sink);

 private:
  struct Context;
  std::unique_ptr<Context> ctx_;
};

// Reads the frames of `entry` from `archive` and compares their XXH3 with entry.frame_xxh3, without
// decompressing: the cheap pass that finds any damaged byte. Corruption naming the file and range.
Status CheckFrameBytes(const File& archive, const format::ArchiveFileEntry& entry);

// "file 000012.sst (archive bytes 20..1048596)": how a frame is named in messages.
std::string DescribeFrame(const format::ArchiveFileEntry& entry);

}  // namespace roxi::storage
