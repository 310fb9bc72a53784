// Tests of storage/archive_writer.cc and storage/archive_reader.cc: an archive written and read
// back, and what is left on disk when writing stops early.
#include "storage/archive_writer.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "format/archive_header.h"
#include "storage/archive_reader.h"
#include "tests/support/temp_dir.h"

namespace roxi::storage {
namespace {

using roxi::testing::ReadFile;
using roxi::testing::TempDir;
using roxi::testing::WriteFile;

format::ArchiveManifest Manifest() {
  format::ArchiveManifest m;
  m.archive_id[0] = 1;
  m.store_id[0] = 2;
  m.created_at_micros = 1795521600000000;
  m.created_by = "roxi test";
  m.schema_version = 1;
  return m;
}

class ArchiveWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    WriteFile(dir_.Sub("src/a"), std::string(3000, 'a'));
    WriteFile(dir_.Sub("src/b"), "bee");
  }
  std::string Path() const { return dir_.Sub("x.roxibak"); }
  TempDir dir_;
};

TEST_F(ArchiveWriterTest, WritesAnArchiveTheReaderOpens) {
  auto w = ArchiveWriter::Create(Path(), 3, 0);
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  EXPECT_TRUE(std::filesystem::exists(Path() + ".tmp"));
  ASSERT_TRUE(w->AddFile(dir_.Sub("src/a"), "a", 3000).ok());
  ASSERT_TRUE(w->AddFile(dir_.Sub("src/b"), "b", 3).ok());
  auto size = w->Seal(Manifest());
  ASSERT_TRUE(size.ok()) << size.status().ToString();
  EXPECT_FALSE(std::filesystem::exists(Path()));
  ASSERT_TRUE(w->Publish().ok());
  EXPECT_FALSE(std::filesystem::exists(Path() + ".tmp"));
  EXPECT_EQ(std::filesystem::file_size(Path()), *size);

  auto r = ArchiveReader::Open(Path());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->manifest().files.size(), 2u);
  EXPECT_EQ(r->manifest().files[0].name, "a");
  EXPECT_EQ(r->manifest().files[0].frame_offset, format::kArchiveHeaderSize);
  EXPECT_EQ(r->manifest().files[1].size, 3u);
  EXPECT_EQ(r->manifest().created_by, "roxi test");
}

TEST_F(ArchiveWriterTest, AbandonedWriterLeavesNothing) {
  {
    auto w = ArchiveWriter::Create(Path(), 3, 0);
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE(w->AddFile(dir_.Sub("src/a"), "a", 3000).ok());
  }
  EXPECT_FALSE(std::filesystem::exists(Path() + ".tmp"));
  EXPECT_FALSE(std::filesystem::exists(Path()));
  {
    auto w = ArchiveWriter::Create(Path(), 3, 0);
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE(w->Seal(Manifest()).ok());  // sealed but never published
  }
  EXPECT_FALSE(std::filesystem::exists(Path() + ".tmp"));
  EXPECT_FALSE(std::filesystem::exists(Path()));
}

TEST_F(ArchiveWriterTest, MovedWriterKeepsItsFile) {
  auto w = ArchiveWriter::Create(Path(), 3, 0);
  ASSERT_TRUE(w.ok());
  ArchiveWriter moved = std::move(w).value();
  ASSERT_TRUE(moved.AddFile(dir_.Sub("src/b"), "b", 3).ok());
  ASSERT_TRUE(moved.Seal(Manifest()).ok());
  ASSERT_TRUE(moved.Publish().ok());
  EXPECT_TRUE(ArchiveReader::Open(Path()).ok());
}

TEST_F(ArchiveWriterTest, PublishNeverReplacesAnArchive) {
  WriteFile(Path(), "an archive already here");
  auto w = ArchiveWriter::Create(Path(), 3, 0);
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE(w->Seal(Manifest()).ok());
  EXPECT_TRUE(w->Publish().IsIOError());
  EXPECT_EQ(ReadFile(Path()), "an archive already here");
}

TEST_F(ArchiveWriterTest, FullDiskFailsTheArchiveAndLeavesNothing) {
  {
    auto w = ArchiveWriter::Create(Path(), 3, 0, /*write_limit_for_testing=*/100);
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE(w->AddFile(dir_.Sub("src/a"), "a", 3000).ok());  // compresses to a few bytes
    auto sealed = w->Seal(Manifest());                           // the manifest does not fit
    ASSERT_TRUE(sealed.status().IsIOError());
    EXPECT_NE(sealed.status().message().find("disk full"), std::string_view::npos);
  }
  EXPECT_FALSE(std::filesystem::exists(Path() + ".tmp"));
  EXPECT_FALSE(std::filesystem::exists(Path()));
}

TEST_F(ArchiveWriterTest, ReaderRefusesTruncatedForeignAndNewerArchives) {
  auto w = ArchiveWriter::Create(Path(), 3, 0);
  ASSERT_TRUE(w->AddFile(dir_.Sub("src/a"), "a", 3000).ok());
  ASSERT_TRUE(w->Seal(Manifest()).ok());
  ASSERT_TRUE(w->Publish().ok());
  const std::string bytes = ReadFile(Path());

  WriteFile(dir_.Sub("cut.roxibak"), bytes.substr(0, bytes.size() - 10));
  auto cut = ArchiveReader::Open(dir_.Sub("cut.roxibak"));
  ASSERT_TRUE(cut.status().IsCorruption());
  EXPECT_NE(cut.status().message().find("truncated"), std::string_view::npos);

  WriteFile(dir_.Sub("foreign.roxibak"), std::string(100, 'x'));
  auto foreign = ArchiveReader::Open(dir_.Sub("foreign.roxibak"));
  ASSERT_TRUE(foreign.status().IsCorruption());
  EXPECT_NE(foreign.status().message().find("not a roxi backup archive"), std::string_view::npos);

  std::string newer = bytes;
  std::string header;
  format::EncodeArchiveHeader(format::ArchiveHeader{2}, &header);
  newer.replace(0, header.size(), header);
  WriteFile(dir_.Sub("newer.roxibak"), newer);
  auto v2 = ArchiveReader::Open(dir_.Sub("newer.roxibak"));
  ASSERT_TRUE(v2.status().IsNotSupported());
  EXPECT_NE(v2.status().message().find("version 2 is newer"), std::string_view::npos);

  EXPECT_TRUE(ArchiveReader::Open(dir_.Sub("absent.roxibak")).status().IsNotFound());
}

}  // namespace
}  // namespace roxi::storage
