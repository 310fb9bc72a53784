#include "storage/archive_zstd.h"

#include <zstd.h>

#include <vector>

#include "format/archive_hash.h"

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

struct FrameCompressor::Context {
  std::unique_ptr<ZSTD_CCtx, CCtxDeleter> cctx;
  std::vector<char> in;
  std::vector<char> out;
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
  c.ctx_->cctx.reset(ZSTD_createCCtx());
  if (!c.ctx_->cctx) return Status::Internal("zstd", "cannot create a compression context");
  ZSTD_CCtx* cctx = c.ctx_->cctx.get();
  for (auto [param, value] :
       {std::pair{ZSTD_c_compressionLevel, level}, std::pair{ZSTD_c_checksumFlag, 1},
        std::pair{ZSTD_c_contentSizeFlag, 1}}) {
    const size_t r = ZSTD_CCtx_setParameter(cctx, param, value);
    if (ZSTD_isError(r)) return Status::Internal("zstd parameter", ZstdError(r));
  }
  // A zstd built without ZSTD_MULTITHREAD refuses workers; it then compresses in this thread.
  if (threads > 0 && !ZSTD_isError(ZSTD_CCtx_setParameter(cctx, ZSTD_c_nbWorkers, threads))) {
    c.threads_ = threads;
  }
  c.ctx_->in.resize(kArchiveIoBlockBytes);
  c.ctx_->out.resize(ZSTD_CStreamOutSize() > kArchiveIoBlockBytes ? ZSTD_CStreamOutSize()
                                                                  : kArchiveIoBlockBytes);
  return c;
}

Result<FrameStats> FrameCompressor::CompressFile(const File& source, uint64_t expected_size,
                                                 File* sink) {
  ZSTD_CCtx* cctx = ctx_->cctx.get();
  size_t r = ZSTD_CCtx_reset(cctx, ZSTD_reset_session_only);
  if (!ZSTD_isError(r)) r = ZSTD_CCtx_setPledgedSrcSize(cctx, expected_size);
  if (ZSTD_isError(r)) return Status::Internal("zstd reset", ZstdError(r));

  format::Xxh3Stream file_hash;
  format::Xxh3Stream frame_hash;
  FrameStats stats;
  uint64_t offset = 0;
  bool last = false;
  while (!last) {
    const size_t want =
        static_cast<size_t>(std::min<uint64_t>(kArchiveIoBlockBytes, expected_size - offset));
    ROXI_ASSIGN_OR_RETURN(size_t got, source.ReadAt(offset, ctx_->in.data(), want));
    if (got != want) {
      return Status::Corruption(source.path(), "shorter than " + std::to_string(expected_size) +
                                                   " bytes: it changed while being archived");
    }
    const std::string_view block(ctx_->in.data(), got);
    file_hash.Update(block);
    offset += got;
    last = offset == expected_size;
    ZSTD_inBuffer in{block.data(), block.size(), 0};
    const ZSTD_EndDirective mode = last ? ZSTD_e_end : ZSTD_e_continue;
    bool done = false;
    while (!done) {
      ZSTD_outBuffer out{ctx_->out.data(), ctx_->out.size(), 0};
      const size_t left = ZSTD_compressStream2(cctx, &out, &in, mode);
      if (ZSTD_isError(left))
        return Status::Internal("zstd compress " + source.path(), ZstdError(left));
      const std::string_view produced(ctx_->out.data(), out.pos);
      ROXI_RETURN_IF_ERROR(sink->Append(produced));
      frame_hash.Update(produced);
      stats.frame_size += produced.size();
      done = last ? left == 0 : in.pos == in.size;
    }
  }
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
  bool frame_ended = false;
  while (consumed < entry.frame_size) {
    const size_t want =
        static_cast<size_t>(std::min<uint64_t>(kArchiveIoBlockBytes, entry.frame_size - consumed));
    ROXI_ASSIGN_OR_RETURN(size_t got,
                          archive.ReadAt(entry.frame_offset + consumed, ctx_->in.data(), want));
    if (got != want) return damaged("archive truncated inside the frame");
    consumed += got;
    frame_hash.Update(std::string_view(ctx_->in.data(), got));
    if (frame_ended) return damaged("bytes after the end of the zstd frame");
    ZSTD_inBuffer in{ctx_->in.data(), got, 0};
    while (true) {
      ZSTD_outBuffer out{ctx_->out.data(), ctx_->out.size(), 0};
      const size_t left = ZSTD_decompressStream(dctx, &out, &in);
      if (ZSTD_isError(left)) return damaged("zstd: " + ZstdError(left));
      produced += out.pos;
      if (produced > entry.size) {
        return damaged("decompresses to more than its " + std::to_string(entry.size) + " bytes");
      }
      const std::string_view block(ctx_->out.data(), out.pos);
      file_hash.Update(block);
      if (sink && !block.empty()) ROXI_RETURN_IF_ERROR(sink(block));
      if (left == 0) {
        frame_ended = true;
        if (in.pos != in.size) return damaged("bytes after the end of the zstd frame");
        break;
      }
      if (in.pos == in.size && out.pos < out.size) break;  // needs more input
    }
  }
  if (!frame_ended) return damaged("zstd frame truncated");
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
