// Tests of storage/archive_zstd.cc: one file <-> one zstd frame, with every check of FORMAT.md
// §6.3.
#include "storage/archive_zstd.h"

#include <gtest/gtest.h>
#include <zstd.h>

#include <random>

#include "format/float16.h"
#include "format/hash.h"
#include "tests/support/temp_dir.h"

namespace roxi::storage {
namespace {

using roxi::testing::ReadFile;
using roxi::testing::TempDir;
using roxi::testing::WriteFile;

// Half text, half random bytes: some compresses, some does not.
std::string Contents(size_t size, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string out(size, '\0');
  for (size_t i = 0; i < size; ++i) {
    out[i] = (i / 4096) % 2 == 0 ? "roxi backs up "[i % 14] : static_cast<char>(rng());
  }
  return out;
}

class ArchiveZstdTest : public ::testing::Test {
 protected:
  // Compresses `contents` as the only frame after a 20-byte prefix; returns its entry.
  format::ArchiveFileEntry Compress(const std::string& contents, int threads = 0) {
    WriteFile(dir_.Sub("in"), contents);
    auto source = File::OpenForRead(dir_.Sub("in"));
    EXPECT_TRUE(source.ok());
    auto sink = File::CreateExclusive(dir_.Sub("archive"));
    EXPECT_TRUE(sink.ok());
    EXPECT_TRUE(sink->Append(std::string(20, 'h')).ok());
    auto compressor = FrameCompressor::Create(3, threads);
    EXPECT_TRUE(compressor.ok()) << compressor.status().ToString();
    auto stats = compressor->CompressFile(*source, contents.size(), &*sink);
    EXPECT_TRUE(stats.ok()) << stats.status().ToString();
    EXPECT_TRUE(sink->Close().ok());
    return {"in", stats->size, stats->xxh3, 0, 20, stats->frame_size, stats->frame_xxh3};
  }
  Status Extract(const format::ArchiveFileEntry& entry, std::string* out) {
    auto archive = File::OpenForRead(dir_.Sub("archive"));
    EXPECT_TRUE(archive.ok());
    auto d = FrameDecompressor::Create();
    EXPECT_TRUE(d.ok());
    out->clear();
    return d->Extract(*archive, entry, [&](std::string_view block) {
      out->append(block);
      return Status::OK();
    });
  }
  void Damage(uint64_t offset, uint8_t delta) {
    std::string bytes = ReadFile(dir_.Sub("archive"));
    bytes[offset] = static_cast<char>(static_cast<uint8_t>(bytes[offset]) + delta);
    std::filesystem::remove(dir_.Sub("archive"));
    WriteFile(dir_.Sub("archive"), bytes);
  }
  TempDir dir_;
};

TEST_F(ArchiveZstdTest, RoundTripsFilesOfEverySizeClass) {
  for (size_t size :
       {size_t{0}, size_t{1}, size_t{1000}, (size_t{1} << 20) + 17, size_t{3} << 20}) {
    std::filesystem::remove(dir_.Sub("archive"));
    std::filesystem::remove(dir_.Sub("in"));
    const std::string contents = Contents(size, static_cast<uint32_t>(size));
    const auto entry = Compress(contents);
    EXPECT_EQ(entry.size, size);
    EXPECT_EQ(entry.xxh3, format::Xxh3(contents));
    const std::string archive = ReadFile(dir_.Sub("archive"));
    EXPECT_EQ(archive.size(), 20 + entry.frame_size);
    EXPECT_EQ(entry.frame_xxh3, format::Xxh3(std::string_view(archive).substr(20)));
    std::string out;
    ASSERT_TRUE(Extract(entry, &out).ok()) << size;
    EXPECT_EQ(out, contents) << size;
    EXPECT_TRUE(CheckFrameBytes(*File::OpenForRead(dir_.Sub("archive")), entry).ok());
  }
}

TEST_F(ArchiveZstdTest, SegmentsBecomeFramesWhateverTheThreads) {
  // Three segments and a bit: four frames, the same bytes for any number of threads.
  const std::string contents = Contents(3 * kArchiveSegmentBytes + 12345, 3);
  std::string first_archive;
  for (int threads : {0, 1, 2, 3, 4}) {
    std::filesystem::remove(dir_.Sub("archive"));
    std::filesystem::remove(dir_.Sub("in"));
    const auto entry = Compress(contents, threads);
    std::string out;
    ASSERT_TRUE(Extract(entry, &out).ok()) << threads;
    EXPECT_EQ(out, contents) << threads;
    const std::string archive = ReadFile(dir_.Sub("archive"));
    if (first_archive.empty()) first_archive = archive;
    EXPECT_EQ(archive, first_archive) << threads << " threads wrote other bytes";
  }
  // Each frame starts with zstd's magic number, 28 b5 2f fd.
  size_t frames = 0;
  for (size_t at = first_archive.find("\x28\xb5\x2f\xfd"); at != std::string::npos;
       at = first_archive.find("\x28\xb5\x2f\xfd", at + 1)) {
    ++frames;
  }
  EXPECT_GE(frames, 4u);
}

// Random binary16 values of unit-vector size: literals compress, matches are nowhere.
std::string HalfLikeContents(size_t size, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, 0.05f);
  std::string out(size, '\0');
  for (size_t i = 0; i + 1 < size; i += 2) {
    const uint16_t half = format::FloatToHalf(normal(rng));
    out[i] = static_cast<char>(half & 0xff);
    out[i + 1] = static_cast<char>(half >> 8);
  }
  return out;
}

// Words of a skewed vocabulary: the repeats that higher levels find.
std::string WordContents(size_t size, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<std::string> words(2000);
  for (auto& w : words) {
    for (size_t n = 3 + rng() % 7; n > 0; --n) w.push_back(static_cast<char>('a' + rng() % 26));
  }
  std::string out;
  while (out.size() < size) {
    const size_t a = rng() % words.size();
    out += words[a * (rng() % words.size()) / words.size()];
    out += rng() % 12 == 0 ? ". " : " ";
  }
  out.resize(size);
  return out;
}

TEST_F(ArchiveZstdTest, SegmentsThatHigherLevelsCannotShrinkAreCompressedAtLevelOne) {
  auto archive_at = [&](const std::string& contents, int level) {
    std::filesystem::remove(dir_.Sub("archive"));
    std::filesystem::remove(dir_.Sub("in"));
    WriteFile(dir_.Sub("in"), contents);
    auto source = File::OpenForRead(dir_.Sub("in"));
    auto sink = File::CreateExclusive(dir_.Sub("archive"));
    auto compressor = FrameCompressor::Create(level, 2);
    EXPECT_TRUE(source.ok() && sink.ok() && compressor.ok());
    auto stats = compressor->CompressFile(*source, contents.size(), &*sink);
    EXPECT_TRUE(stats.ok()) << stats.status().ToString();
    EXPECT_TRUE(sink->Close().ok());
    return ReadFile(dir_.Sub("archive"));
  };
  // Vector-like bytes: level 3 gains nothing on the probe, so every frame is level 1's.
  const std::string halfs = HalfLikeContents(2 * kArchiveSegmentBytes + 4096, 11);
  const std::string halfs_at_3 = archive_at(halfs, 3);
  EXPECT_EQ(halfs_at_3, archive_at(halfs, 1));
  EXPECT_LT(halfs_at_3.size(), halfs.size());
  // Text-like bytes: level 3 finds more and keeps it.
  const std::string text = WordContents(2 * kArchiveSegmentBytes, 12);
  const std::string text_at_3 = archive_at(text, 3);
  EXPECT_LT(text_at_3.size(), archive_at(text, 1).size());
}

TEST_F(ArchiveZstdTest, DamageInALateFrameIsFoundAndNamed) {
  const std::string contents = Contents(3 * kArchiveSegmentBytes + 777, 21);
  const auto entry = Compress(contents, 2);
  std::string out;
  ASSERT_TRUE(Extract(entry, &out).ok());
  EXPECT_TRUE(out == contents);
  const uint64_t size = 20 + entry.frame_size;
  for (uint64_t at : {size - 1, size - 5000, size / 2}) {
    Damage(at, 1);
    Status s = Extract(entry, &out);
    EXPECT_TRUE(s.IsCorruption()) << "byte " << at << ": " << s.ToString();
    EXPECT_NE(s.message().find("file in (archive bytes 20.."), std::string_view::npos);
    Damage(at, 255);
  }
}

TEST_F(ArchiveZstdTest, FramesRoxiDoesNotWriteAreReadAsOneStream) {
  // A valid archive may split a file otherwise: a frame larger than a segment, a skippable frame,
  // a frame without a content size.
  const std::string contents = Contents(kArchiveSegmentBytes + (1 << 20) + 3000, 31);
  const std::string_view big(contents.data(), kArchiveSegmentBytes + (1 << 20));
  const std::string_view small(contents.data() + big.size(), 1000);
  const std::string_view last(contents.data() + big.size() + small.size(), 2000);
  std::string frames(20, 'h');
  std::string frame(ZSTD_compressBound(big.size()), '\0');
  frame.resize(ZSTD_compress(frame.data(), frame.size(), big.data(), big.size(), 1));
  frames += frame;
  frames += std::string("\x50\x2a\x4d\x18\x04\x00\x00\x00skip", 12);
  {
    std::unique_ptr<ZSTD_CCtx, decltype(&ZSTD_freeCCtx)> cctx(ZSTD_createCCtx(), ZSTD_freeCCtx);
    ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_contentSizeFlag, 0);
    std::string unsized(ZSTD_compressBound(small.size()) + 64, '\0');
    ZSTD_inBuffer in{small.data(), small.size(), 0};
    ZSTD_outBuffer out{unsized.data(), unsized.size(), 0};
    ASSERT_EQ(ZSTD_compressStream2(cctx.get(), &out, &in, ZSTD_e_end), 0u);
    unsized.resize(out.pos);
    frames += unsized;
  }
  frame.resize(ZSTD_compressBound(last.size()));
  frame.resize(ZSTD_compress(frame.data(), frame.size(), last.data(), last.size(), 3));
  frames += frame;
  WriteFile(dir_.Sub("archive"), frames);
  const format::ArchiveFileEntry entry{"in",
                                       contents.size(),
                                       format::Xxh3(contents),
                                       0,
                                       20,
                                       frames.size() - 20,
                                       format::Xxh3(std::string_view(frames).substr(20))};
  std::string out;
  Status s = Extract(entry, &out);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_TRUE(out == contents);
  for (uint64_t at : {uint64_t{22}, frames.size() / 2, frames.size() - 1}) {
    Damage(at, 1);
    EXPECT_TRUE(Extract(entry, &out).IsCorruption()) << at;
    Damage(at, 255);
  }
}

TEST_F(ArchiveZstdTest, CutAtAFrameBoundaryIsStillTruncation) {
  const std::string contents = Contents(kArchiveSegmentBytes + 100, 4);
  auto entry = Compress(contents);
  const std::string archive = ReadFile(dir_.Sub("archive"));
  const size_t second = archive.find("\x28\xb5\x2f\xfd", 21);
  ASSERT_NE(second, std::string::npos);
  auto first_only = entry;
  first_only.frame_size = second - 20;  // a whole first frame, but not the file's
  std::string out;
  Status s = Extract(first_only, &out);
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
}

TEST_F(ArchiveZstdTest, EveryDamagedByteOfASmallFrameIsFoundAndNamed) {
  const std::string contents = Contents(9000, 5);
  const auto entry = Compress(contents);
  for (uint64_t at = 20; at < 20 + entry.frame_size; ++at) {
    Damage(at, 1);
    std::string out;
    Status s = Extract(entry, &out);
    EXPECT_TRUE(s.IsCorruption()) << "byte " << at << ": " << s.ToString();
    EXPECT_NE(s.message().find("file in (archive bytes 20.."), std::string_view::npos)
        << s.ToString();
    EXPECT_TRUE(CheckFrameBytes(*File::OpenForRead(dir_.Sub("archive")), entry).IsCorruption());
    Damage(at, 255);  // undo
  }
  std::string out;
  EXPECT_TRUE(Extract(entry, &out).ok());
}

TEST_F(ArchiveZstdTest, EntryThatDisagreesWithTheFrameIsCorruption) {
  const std::string contents = Contents(5000, 9);
  const auto entry = Compress(contents);
  std::string out;
  auto bad = entry;
  bad.size = 4999;
  EXPECT_TRUE(Extract(bad, &out).IsCorruption());
  bad = entry;
  bad.xxh3 ^= 1;
  EXPECT_TRUE(Extract(bad, &out).IsCorruption());
  bad = entry;
  bad.frame_size -= 1;  // the frame is cut short
  EXPECT_TRUE(Extract(bad, &out).IsCorruption());
  bad = entry;
  bad.frame_size += 1;  // past the end of the file
  EXPECT_TRUE(Extract(bad, &out).IsCorruption());
}

TEST_F(ArchiveZstdTest, FileThatChangedSizeIsRefused) {
  WriteFile(dir_.Sub("in"), "twelve bytes");
  auto source = File::OpenForRead(dir_.Sub("in"));
  auto sink = File::CreateExclusive(dir_.Sub("archive"));
  auto compressor = FrameCompressor::Create(3, 0);
  ASSERT_TRUE(source.ok() && sink.ok() && compressor.ok());
  EXPECT_TRUE(compressor->CompressFile(*source, 11, &*sink).status().IsCorruption());
  EXPECT_TRUE(compressor->CompressFile(*source, 13, &*sink).status().IsCorruption());
}

TEST_F(ArchiveZstdTest, OptionsOutOfRangeAreInvalidArguments) {
  EXPECT_TRUE(FrameCompressor::Create(0, 0).status().IsInvalidArgument());
  EXPECT_TRUE(FrameCompressor::Create(20, 0).status().IsInvalidArgument());
  EXPECT_TRUE(FrameCompressor::Create(3, -1).status().IsInvalidArgument());
  EXPECT_TRUE(FrameCompressor::Create(3, kMaxArchiveThreads + 1).status().IsInvalidArgument());
}

}  // namespace
}  // namespace roxi::storage
