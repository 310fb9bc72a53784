#include "storage/archive_zstd.h"

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

struct FrameDecompressor::Context {
  std::unique_ptr<ZSTD_DCtx, DCtxDeleter> dctx;
  std::vector<char> in;
  std::vector<char> out;
};

FrameDecompressor::FrameDecompressor() = default;
FrameDecompressor::~FrameDecompressor() = default;
FrameDecompressor::FrameDecompressor(FrameDecompressor&&) noexcept = default;
FrameDecompressor& FrameDecompressor::operator=(FrameDecompressor&&) noexcept = default;

Result<FrameDecompressor> FrameDecompressor::Create() {
  FrameDecompressor d;
  d.ctx_ = std::make_unique<Context>();
  d.ctx_->dctx.reset(ZSTD_createDCtx());
  if (!d.ctx_->dctx) return Status::Internal("zstd", "cannot create a decompression context");
  d.ctx_->in.resize(kArchiveIoBlockBytes);
  d.ctx_->out.resize(kArchiveIoBlockBytes);
  return d;
}

Status FrameDecompressor::Extract(const File& archive, const format::ArchiveFileEntry& entry,
                                  const std::function<Status(std::string_view)>& sink) {
  ZSTD_DCtx* dctx = ctx_->dctx.get();
  const size_t r = ZSTD_DCtx_reset(dctx, ZSTD_reset_session_only);
  if (ZSTD_isError(r)) return Status::Internal("zstd reset", ZstdError(r));
  auto damaged = [&](const std::string& detail) {
    return Status::Corruption(archive.path(), DescribeFrame(entry) + ": " + detail);
  };

  format::Xxh3Stream file_hash;
  format::Xxh3Stream frame_hash;
  uint64_t consumed = 0;
  uint64_t produced = 0;
  // True when the last call that consumed or produced anything completed a frame: the data must
  // end on a frame boundary. Frames follow each other; zstd starts the next one by itself.
  bool at_frame_end = false;
  while (consumed < entry.frame_size) {
    const size_t want =
        static_cast<size_t>(std::min<uint64_t>(kArchiveIoBlockBytes, entry.frame_size - consumed));
    ROXI_ASSIGN_OR_RETURN(size_t got,
                          archive.ReadAt(entry.frame_offset + consumed, ctx_->in.data(), want));
    if (got != want) return damaged("archive truncated inside the frames");
    consumed += got;
    frame_hash.Update(std::string_view(ctx_->in.data(), got));
    ZSTD_inBuffer in{ctx_->in.data(), got, 0};
    ZSTD_outBuffer out{ctx_->out.data(), ctx_->out.size(), 0};
    do {
      out = ZSTD_outBuffer{ctx_->out.data(), ctx_->out.size(), 0};
      const size_t in_before = in.pos;
      const size_t left = ZSTD_decompressStream(dctx, &out, &in);
      if (ZSTD_isError(left)) return damaged("zstd: " + ZstdError(left));
      if (left == 0) {
        at_frame_end = true;
      } else if (in.pos != in_before || out.pos > 0) {
        at_frame_end = false;
      }
      produced += out.pos;
      if (produced > entry.size) {
        return damaged("decompresses to more than its " + std::to_string(entry.size) + " bytes");
      }
      const std::string_view block(ctx_->out.data(), out.pos);
      file_hash.Update(block);
      if (sink && !block.empty()) ROXI_RETURN_IF_ERROR(sink(block));
    } while (in.pos < in.size || out.pos == out.size);
  }
  if (!at_frame_end) return damaged("zstd frame truncated");
  if (frame_hash.Digest() != entry.frame_xxh3) return damaged("frame checksum mismatch");
  if (produced != entry.size) {
    return damaged("decompresses to " + std::to_string(produced) + " bytes, not " +
                   std::to_string(entry.size));
  }
  if (file_hash.Digest() != entry.xxh3) return damaged("file checksum mismatch");
  return Status::OK();
}

Status CheckFrameBytes(const File& archive, const format::ArchiveFileEntry& entry) {
  std::vector<char> buf(kArchiveIoBlockBytes);
  format::Xxh3Stream hash;
  uint64_t done = 0;
  while (done < entry.frame_size) {
    const size_t want =
        static_cast<size_t>(std::min<uint64_t>(buf.size(), entry.frame_size - done));
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
