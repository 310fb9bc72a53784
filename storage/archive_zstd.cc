#include "storage/archive_zstd.h"

// ZSTD_getFrameHeader: the frame header fields, to tell the frames a lane can take.
#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>

#include <algorithm>
#include <deque>
#include <utility>
#include <vector>

#include "format/archive_hash.h"
#include "storage/ordered_workers.h"

namespace roxi::storage {

namespace {

struct CCtxDeleter {
  void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};
struct DCtxDeleter {
  void operator()(ZSTD_DCtx* d) const { ZSTD_freeDCtx(d); }
};

std::string ZstdError(size_t code) { return ZSTD_getErrorName(code); }

// A byte buffer left uninitialised: the decompressor's buffers are large and a restore or verify
// may create one per file, so pages are only committed when data lands in them.
struct Buffer {
  std::unique_ptr<char[]> bytes;
  size_t size = 0;

  void Resize(size_t n) {
    bytes = std::make_unique_for_overwrite<char[]>(n);
    size = n;
  }
  char* data() const { return bytes.get(); }
};

}  // namespace

std::string DescribeFrame(const format::ArchiveFileEntry& entry) {
  return "file " + entry.name + " (archive bytes " + std::to_string(entry.frame_offset) + ".." +
         std::to_string(entry.frame_offset + entry.frame_size) + ")";
}

// One lane per segment being compressed: its context and buffers. A lane in flight belongs to the
// worker compressing it until the owner has awaited its ticket.
struct Lane {
  std::unique_ptr<ZSTD_CCtx, CCtxDeleter> cctx;
  std::vector<char> in;
  std::vector<char> out;
  size_t in_size = 0;
  size_t result = 0;  // ZSTD_compress2's: the frame's size, or an error code

  size_t CompressAt(int level, const char* src, size_t n) {
    const size_t r = ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_compressionLevel, level);
    if (ZSTD_isError(r)) return r;
    return ZSTD_compress2(cctx.get(), out.data(), out.size(), src, n);
  }

  // The level the segment is compressed at: `level`, unless a probe of its first bytes shows that
  // level saving almost nothing over level 1 (binary16 vectors, already-compressed blocks), where
  // level 1 gives the same size several times faster. Depends only on the bytes and `level`, so
  // the archive's bytes stay independent of the number of threads.
  int ChooseLevel(int level) {
    if (level <= 1 || in_size < 2 * kLevelProbeBytes) return level;
    const size_t at_level = CompressAt(level, in.data(), kLevelProbeBytes);
    const size_t at_one = CompressAt(1, in.data(), kLevelProbeBytes);
    if (ZSTD_isError(at_level) || ZSTD_isError(at_one)) return level;
    return at_level * 100 > at_one * (100 - kLevelProbeMinGainPercent) ? 1 : level;
  }

  void Compress(int level) { result = CompressAt(ChooseLevel(level), in.data(), in_size); }
};

struct FrameCompressor::Context {
  std::vector<Lane> lanes;
  // Declared after the lanes: destroyed (joined) first, so no worker outlives a lane.
  std::unique_ptr<OrderedWorkers> workers;
};

FrameCompressor::FrameCompressor() = default;
FrameCompressor::~FrameCompressor() = default;
FrameCompressor::FrameCompressor(FrameCompressor&&) noexcept = default;
FrameCompressor& FrameCompressor::operator=(FrameCompressor&&) noexcept = default;

Result<FrameCompressor> FrameCompressor::Create(int level, int threads) {
  if (level < kMinArchiveLevel || level > kMaxArchiveLevel) {
    return Status::InvalidArgument(
        "compression level " + std::to_string(level),
        "want " + std::to_string(kMinArchiveLevel) + " to " + std::to_string(kMaxArchiveLevel));
  }
  if (threads < 0 || threads > kMaxArchiveThreads) {
    return Status::InvalidArgument("threads " + std::to_string(threads),
                                   "want 0 to " + std::to_string(kMaxArchiveThreads));
  }
  FrameCompressor c;
  c.ctx_ = std::make_unique<Context>();
  c.threads_ = std::max(1, threads);
  c.level_ = level;
  // With worker threads, two lanes per thread: one being compressed while the owner reads the
  // next segment into (or writes the last frame from) the other.
  const int lanes = c.threads_ == 1 ? 1 : 2 * c.threads_;
  c.ctx_->lanes.resize(static_cast<size_t>(lanes));
  for (Lane& lane : c.ctx_->lanes) {
    lane.cctx.reset(ZSTD_createCCtx());
    if (!lane.cctx) return Status::Internal("zstd", "cannot create a compression context");
    for (auto [param, value] :
         {std::pair{ZSTD_c_compressionLevel, level}, std::pair{ZSTD_c_checksumFlag, 1},
          std::pair{ZSTD_c_contentSizeFlag, 1}}) {
      const size_t r = ZSTD_CCtx_setParameter(lane.cctx.get(), param, value);
      if (ZSTD_isError(r)) return Status::Internal("zstd parameter", ZstdError(r));
    }
    lane.in.resize(kArchiveSegmentBytes);
    lane.out.resize(ZSTD_compressBound(kArchiveSegmentBytes));
  }
  c.ctx_->workers = std::make_unique<OrderedWorkers>(c.threads_ == 1 ? 0 : c.threads_);
  return c;
}

namespace {

// The lanes handed to workers and not yet collected, oldest first. Whatever happens, each is
// awaited before the lanes can be reused or freed.
class LanesInFlight {
 public:
  explicit LanesInFlight(OrderedWorkers* workers) : workers_(workers) {}
  ~LanesInFlight() {
    while (!queue_.empty()) Pop();
  }
  LanesInFlight(const LanesInFlight&) = delete;
  LanesInFlight& operator=(const LanesInFlight&) = delete;

  size_t size() const { return queue_.size(); }
  bool empty() const { return queue_.empty(); }
  void Push(Lane* lane, int level) {
    queue_.push_back({lane, workers_->Submit([lane, level] { lane->Compress(level); })});
  }
  // Waits for the oldest lane and returns it, no longer in flight.
  Lane* Pop() {
    const auto [lane, ticket] = queue_.front();
    queue_.pop_front();
    workers_->Await(ticket);
    return lane;
  }

 private:
  OrderedWorkers* workers_;
  std::deque<std::pair<Lane*, uint64_t>> queue_;
};

}  // namespace

Result<FrameStats> FrameCompressor::CompressFile(const File& source, uint64_t expected_size,
                                                 File* sink) {
  std::vector<Lane>& lanes = ctx_->lanes;
  const uint64_t segments =
      std::max<uint64_t>(1, (expected_size + kArchiveSegmentBytes - 1) / kArchiveSegmentBytes);
  format::Xxh3Stream file_hash;
  format::Xxh3Stream frame_hash;
  FrameStats stats;
  auto write_oldest = [&](LanesInFlight* in_flight) -> Status {
    const Lane& lane = *in_flight->Pop();
    if (ZSTD_isError(lane.result)) {
      return Status::Internal("zstd compress " + source.path(), ZstdError(lane.result));
    }
    const std::string_view frame(lane.out.data(), lane.result);
    ROXI_RETURN_IF_ERROR(sink->Append(frame));
    frame_hash.Update(frame);
    stats.frame_size += frame.size();
    return Status::OK();
  };
  LanesInFlight in_flight(ctx_->workers.get());
  uint64_t offset = 0;
  for (uint64_t segment = 0; segment < segments; ++segment) {
    // Invariant: lanes are used in turn, so the lane of this segment is the oldest in flight.
    if (in_flight.size() == lanes.size()) ROXI_RETURN_IF_ERROR(write_oldest(&in_flight));
    Lane& lane = lanes[segment % lanes.size()];
    const size_t want =
        static_cast<size_t>(std::min<uint64_t>(kArchiveSegmentBytes, expected_size - offset));
    ROXI_ASSIGN_OR_RETURN(lane.in_size, source.ReadAt(offset, lane.in.data(), want));
    if (lane.in_size != want) {
      return Status::Corruption(source.path(), "shorter than " + std::to_string(expected_size) +
                                                   " bytes: it changed while being archived");
    }
    file_hash.Update(std::string_view(lane.in.data(), want));
    offset += want;
    in_flight.Push(&lane, level_);
  }
  while (!in_flight.empty()) ROXI_RETURN_IF_ERROR(write_oldest(&in_flight));
  char probe;
  ROXI_ASSIGN_OR_RETURN(size_t extra, source.ReadAt(expected_size, &probe, 1));
  if (extra != 0) {
    return Status::Corruption(source.path(), "longer than " + std::to_string(expected_size) +
                                                 " bytes: it changed while being archived");
  }
  stats.size = expected_size;
  stats.xxh3 = file_hash.Digest();
  stats.frame_xxh3 = frame_hash.Digest();
  return stats;
}

// One lane per frame being decompressed: the frame's bytes and room for its content.
struct DecompressLane {
  std::unique_ptr<ZSTD_DCtx, DCtxDeleter> dctx;
  Buffer in;
  size_t in_size = 0;
  Buffer out;
  size_t content_size = 0;  // what the frame header declares
  size_t result = 0;        // ZSTD_decompressDCtx's: bytes produced, or an error code

  void Decompress() {
    result = ZSTD_decompressDCtx(dctx.get(), out.data(), content_size, in.data(), in_size);
  }
};

struct FrameDecompressor::Context {
  std::vector<DecompressLane> lanes;
  // Frames not handed to a lane are streamed in the calling thread through this context.
  std::unique_ptr<ZSTD_DCtx, DCtxDeleter> stream_dctx;
  Buffer stream_out;
  Buffer stream_in;
  // Declared last: destroyed (joined) first, so no worker outlives a lane.
  std::unique_ptr<OrderedWorkers> workers;
};

FrameDecompressor::FrameDecompressor() = default;
FrameDecompressor::~FrameDecompressor() = default;
FrameDecompressor::FrameDecompressor(FrameDecompressor&&) noexcept = default;
FrameDecompressor& FrameDecompressor::operator=(FrameDecompressor&&) noexcept = default;

namespace {

// The most compressed bytes a frame of kArchiveSegmentBytes can take (zstd's bound covers the
// frame header and checksum).
size_t MaxLaneFrameBytes() { return ZSTD_compressBound(kArchiveSegmentBytes); }

}  // namespace

Result<FrameDecompressor> FrameDecompressor::Create(int threads) {
  if (threads < 0 || threads > kMaxArchiveThreads) {
    return Status::InvalidArgument("threads " + std::to_string(threads),
                                   "want 0 to " + std::to_string(kMaxArchiveThreads));
  }
  FrameDecompressor d;
  d.ctx_ = std::make_unique<Context>();
  Context& c = *d.ctx_;
  c.stream_dctx.reset(ZSTD_createDCtx());
  if (!c.stream_dctx) return Status::Internal("zstd", "cannot create a decompression context");
  c.stream_out.Resize(kArchiveIoBlockBytes);
  c.stream_in.Resize(kArchiveIoBlockBytes);
  const int workers = threads <= 1 ? 0 : threads;
  c.lanes.resize(workers == 0 ? 1 : 2 * static_cast<size_t>(workers));
  for (DecompressLane& lane : c.lanes) {
    lane.dctx.reset(ZSTD_createDCtx());
    if (!lane.dctx) return Status::Internal("zstd", "cannot create a decompression context");
    lane.in.Resize(MaxLaneFrameBytes());
    lane.out.Resize(kArchiveSegmentBytes);
  }
  c.workers = std::make_unique<OrderedWorkers>(workers);
  return d;
}

namespace {

// The lanes handed to workers and not yet collected, oldest first; each is awaited before the
// lanes can be reused or freed, whatever happens.
class DecompressLanesInFlight {
 public:
  explicit DecompressLanesInFlight(OrderedWorkers* workers) : workers_(workers) {}
  ~DecompressLanesInFlight() {
    while (!queue_.empty()) Pop();
  }
  DecompressLanesInFlight(const DecompressLanesInFlight&) = delete;
  DecompressLanesInFlight& operator=(const DecompressLanesInFlight&) = delete;

  size_t size() const { return queue_.size(); }
  bool empty() const { return queue_.empty(); }
  void Push(DecompressLane* lane) {
    queue_.push_back({lane, workers_->Submit([lane] { lane->Decompress(); })});
  }
  DecompressLane* Pop() {
    const auto [lane, ticket] = queue_.front();
    queue_.pop_front();
    workers_->Await(ticket);
    return lane;
  }

 private:
  OrderedWorkers* workers_;
  std::deque<std::pair<DecompressLane*, uint64_t>> queue_;
};

}  // namespace

namespace {

// The bytes of the zstd frame whose header is `header` and which starts at `offset` in `archive`,
// found by walking its block headers (RFC 8878 3.1.1.2: 3 bytes, little-endian: bit 0 last block,
// bits 1-2 type, bits 3-23 size; an RLE block holds 1 byte) without reading the blocks. 0 when the
// walk passes `limit` bytes or meets a reserved block type: the frame is not one a lane takes,
// and zstd, streaming it, judges it.
Result<uint64_t> FrameBytesAt(const File& archive, uint64_t offset, uint64_t limit,
                              const ZSTD_frameHeader& header) {
  uint64_t at = header.headerSize;
  for (;;) {
    if (at + 3 > limit) return 0;
    unsigned char b[3];
    ROXI_ASSIGN_OR_RETURN(size_t got,
                          archive.ReadAt(offset + at, reinterpret_cast<char*>(b), sizeof b));
    if (got != sizeof b) return 0;
    const uint32_t block = b[0] | uint32_t{b[1]} << 8 | uint32_t{b[2]} << 16;
    const uint32_t type = (block >> 1) & 3;
    if (type == 3) return 0;
    at += 3 + (type == 1 ? 1 : block >> 3);
    if ((block & 1) != 0) break;
  }
  if (header.checksumFlag) at += 4;
  return at <= limit ? at : 0;
}

}  // namespace

Status FrameDecompressor::Extract(const File& archive, const format::ArchiveFileEntry& entry,
                                  const std::function<Status(std::string_view)>& sink) {
  Context& c = *ctx_;
  auto damaged = [&](const std::string& detail) {
    return Status::Corruption(archive.path(), DescribeFrame(entry) + ": " + detail);
  };
  format::Xxh3Stream file_hash;
  format::Xxh3Stream frame_hash;
  uint64_t taken = 0;      // bytes of the run taken by frames so far (and hashed, in order)
  uint64_t scheduled = 0;  // file bytes the frames taken so far declare or produced
  uint64_t produced = 0;   // file bytes passed on

  auto deliver = [&](const char* data, size_t n) -> Status {
    produced += n;
    if (produced > entry.size) {
      return damaged("decompresses to more than its " + std::to_string(entry.size) + " bytes");
    }
    const std::string_view block(data, n);
    file_hash.Update(block);
    if (sink && n > 0) return sink(block);
    return Status::OK();
  };
  DecompressLanesInFlight in_flight(c.workers.get());
  auto finish_oldest = [&]() -> Status {
    const DecompressLane& lane = *in_flight.Pop();
    if (ZSTD_isError(lane.result)) return damaged("zstd: " + ZstdError(lane.result));
    if (lane.result != lane.content_size) return damaged("zstd frame shorter than its header says");
    return deliver(lane.out.data(), lane.result);
  };
  // Streams the frame at `taken` (of any size or kind) in this thread, after the lanes in flight.
  auto stream_frame = [&]() -> Status {
    while (!in_flight.empty()) ROXI_RETURN_IF_ERROR(finish_oldest());
    ZSTD_DCtx* dctx = c.stream_dctx.get();
    const size_t r = ZSTD_DCtx_reset(dctx, ZSTD_reset_session_only);
    if (ZSTD_isError(r)) return Status::Internal("zstd reset", ZstdError(r));
    for (;;) {
      const size_t want =
          static_cast<size_t>(std::min<uint64_t>(c.stream_in.size, entry.frame_size - taken));
      if (want == 0) return damaged("zstd frame truncated");
      ROXI_ASSIGN_OR_RETURN(size_t got, archive.ReadAt(entry.frame_offset + taken,
                                                       c.stream_in.data(), want));
      if (got != want) return damaged("archive truncated inside the frames");
      ZSTD_inBuffer in{c.stream_in.data(), got, 0};
      size_t left;
      for (;;) {
        ZSTD_outBuffer out{c.stream_out.data(), c.stream_out.size, 0};
        left = ZSTD_decompressStream(dctx, &out, &in);
        if (ZSTD_isError(left)) return damaged("zstd: " + ZstdError(left));
        scheduled += out.pos;
        ROXI_RETURN_IF_ERROR(deliver(c.stream_out.data(), out.pos));
        if (left == 0) break;                   // the frame is complete
        if (out.pos == out.size) continue;      // more may be buffered: flush before reading on
        if (in.pos == in.size) break;           // needs more of the frame
      }
      // Only the bytes zstd took belong to this frame; any after it are read again for the next.
      frame_hash.Update(std::string_view(c.stream_in.data(), in.pos));
      taken += in.pos;
      if (left == 0) return Status::OK();  // the frame ends here, fully flushed
    }
  };

  uint64_t frames = 0;
  uint64_t lane_turn = 0;
  while (taken < entry.frame_size) {
    ++frames;
    char head[ZSTD_FRAMEHEADERSIZE_MAX];
    const uint64_t left_in_run = entry.frame_size - taken;
    const size_t head_size = static_cast<size_t>(std::min<uint64_t>(sizeof head, left_in_run));
    ROXI_ASSIGN_OR_RETURN(size_t got, archive.ReadAt(entry.frame_offset + taken, head, head_size));
    if (got != head_size) return damaged("archive truncated inside the frames");
    ZSTD_frameHeader header;
    const size_t need = ZSTD_getFrameHeader(&header, head, head_size);
    if (ZSTD_isError(need)) return damaged("zstd: " + ZstdError(need));
    if (need != 0) return damaged("zstd frame truncated");
    // Frames as roxi writes them (a declared content of at most one segment, within zstd's bound)
    // go to a lane; anything else a valid archive may hold is streamed.
    uint64_t frame_bytes = 0;
    if (header.frameType == ZSTD_frame && header.frameContentSize != ZSTD_CONTENTSIZE_UNKNOWN &&
        header.frameContentSize <= kArchiveSegmentBytes) {
      ROXI_ASSIGN_OR_RETURN(frame_bytes,
                            FrameBytesAt(archive, entry.frame_offset + taken,
                                         std::min<uint64_t>(MaxLaneFrameBytes(), left_in_run),
                                         header));
    }
    if (frame_bytes == 0) {
      ROXI_RETURN_IF_ERROR(stream_frame());
      continue;
    }
    scheduled += header.frameContentSize;
    if (scheduled > entry.size) {
      return damaged("decompresses to more than its " + std::to_string(entry.size) + " bytes");
    }
    // Invariant: lanes are used in turn, so when all are in flight the oldest is the next one.
    if (in_flight.size() == c.lanes.size()) ROXI_RETURN_IF_ERROR(finish_oldest());
    DecompressLane& lane = c.lanes[lane_turn++ % c.lanes.size()];
    const size_t n = static_cast<size_t>(frame_bytes);
    ROXI_ASSIGN_OR_RETURN(got, archive.ReadAt(entry.frame_offset + taken, lane.in.data(), n));
    if (got != n) return damaged("archive truncated inside the frames");
    frame_hash.Update(std::string_view(lane.in.data(), n));
    taken += n;
    lane.in_size = n;
    lane.content_size = static_cast<size_t>(header.frameContentSize);
    in_flight.Push(&lane);
  }
  while (!in_flight.empty()) ROXI_RETURN_IF_ERROR(finish_oldest());
  if (frames == 0) return damaged("zstd frame truncated");
  if (frame_hash.Digest() != entry.frame_xxh3) return damaged("frame checksum mismatch");
  if (produced != entry.size) {
    return damaged("decompresses to " + std::to_string(produced) + " bytes, not " +
                   std::to_string(entry.size));
  }
  if (file_hash.Digest() != entry.xxh3) return damaged("file checksum mismatch");
  return Status::OK();
}

Status CheckFrameBytes(const File& archive, const format::ArchiveFileEntry& entry) {
  Buffer buf;
  buf.Resize(kArchiveIoBlockBytes);
  format::Xxh3Stream hash;
  uint64_t done = 0;
  while (done < entry.frame_size) {
    const size_t want =
        static_cast<size_t>(std::min<uint64_t>(buf.size, entry.frame_size - done));
    ROXI_ASSIGN_OR_RETURN(size_t got, archive.ReadAt(entry.frame_offset + done, buf.data(), want));
    if (got != want) {
      return Status::Corruption(archive.path(),
                                DescribeFrame(entry) + ": archive truncated inside the frame");
    }
    hash.Update(std::string_view(buf.data(), got));
    done += got;
  }
  if (hash.Digest() != entry.frame_xxh3) {
    return Status::Corruption(archive.path(), DescribeFrame(entry) + ": frame checksum mismatch");
  }
  return Status::OK();
}

}  // namespace roxi::storage
