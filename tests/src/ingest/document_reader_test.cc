// Tests of src/ingest/document_reader.cc: a document read as blocks of checked UTF-8, with errors
// naming the input and the byte offset.
#include "src/ingest/document_reader.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

#include "format/hash.h"
#include "tests/support/temp_dir.h"

namespace roxi::ingest {
namespace {

using testing::TempDir;
using testing::WriteFile;

// Reads `reader` to its end; the blocks joined, or the first error.
Result<std::string> ReadAll(DocumentReader* reader, size_t* blocks = nullptr) {
  std::string all;
  while (true) {
    ROXI_ASSIGN_OR_RETURN(std::string_view block, reader->Next());
    if (block.empty()) break;
    if (blocks != nullptr) ++*blocks;
    all.append(block);
  }
  return all;
}

// Text over several blocks with a multi-byte code point across every block boundary.
std::string MultiBlockText() {
  std::string text;
  while (text.size() < 3 * DocumentReader::kBlockBytes + 100) text += "caf\xC3\xA9 \xE4\xB8\xAD ";
  return text;
}

TEST(DocumentReaderTest, ReadsAFileInBlocksWithCodePointsCarriedAcross) {
  TempDir dir;
  const std::string text = MultiBlockText();
  WriteFile(dir.Sub("a.txt"), text);
  auto reader = DocumentReader::OpenFile(dir.Sub("a.txt"), 1u << 30);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  size_t blocks = 0;
  auto all = ReadAll(reader->get(), &blocks);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_EQ(*all, text);
  EXPECT_EQ(blocks, 4u);
  EXPECT_TRUE((*reader)->at_end());
  EXPECT_EQ((*reader)->offset(), text.size());
  EXPECT_EQ((*reader)->content_hash(), format::Xxh3(text));
  EXPECT_EQ((*reader)->Head(), std::string_view(text).substr(0, DocumentReader::kHeadBytes));
  EXPECT_EQ((*reader)->size_at_open(), text.size());
  // After the end, the end again.
  auto again = (*reader)->Next();
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->empty());
}

TEST(DocumentReaderTest, HeadIsTheWholeOfAShortDocument) {
  auto reader = DocumentReader::OpenText("x", "---\ntitle: x\n---\nbody", 1000);
  ASSERT_TRUE(ReadAll(reader.get()).ok());
  EXPECT_EQ(reader->Head(), "---\ntitle: x\n---\nbody");
}

TEST(DocumentReaderTest, InvalidUtf8LateInTheFileNamesTheByteOffset) {
  TempDir dir;
  std::string text = MultiBlockText();
  // An ASCII byte, so the ill-formed sequence starts exactly there.
  const size_t bad = text.find(' ', 2 * DocumentReader::kBlockBytes + 12345);
  text[bad] = '\xFF';
  WriteFile(dir.Sub("late.txt"), text);
  auto reader = DocumentReader::OpenFile(dir.Sub("late.txt"), 1u << 30);
  ASSERT_TRUE(reader.ok());
  auto all = ReadAll(reader->get());
  EXPECT_EQ(all.status().ToString(), "invalid argument: input " + dir.Sub("late.txt") +
                                         ": invalid utf-8 at byte " + std::to_string(bad));
  // The reader stays failed.
  EXPECT_FALSE((*reader)->Next().ok());
}

TEST(DocumentReaderTest, ACodePointCutShortAtTheEndIsInvalid) {
  auto reader = DocumentReader::OpenText("x", "abc\xE4\xB8", 1000);
  EXPECT_EQ(ReadAll(reader.get()).status().ToString(),
            "invalid argument: input x: invalid utf-8 at byte 3");
}

TEST(DocumentReaderTest, RefusesBinaryContent) {
  auto reader = DocumentReader::OpenText("x", std::string("ab\0cd", 5), 1000);
  EXPECT_EQ(ReadAll(reader.get()).status().ToString(),
            "invalid argument: input x: looks like a binary file, not text");
}

TEST(DocumentReaderTest, RefusesAFileOverTheLimitBeforeReadingIt) {
  TempDir dir;
  WriteFile(dir.Sub("big.txt"), std::string(5000, 'a'));
  auto reader = DocumentReader::OpenFile(dir.Sub("big.txt"), 4096);
  EXPECT_EQ(reader.status().ToString(),
            "invalid argument: input " + dir.Sub("big.txt") +
                ": 5000 bytes, over the limit of 4096 bytes per document (--max-document-size)");
}

TEST(DocumentReaderTest, RefusesTextOverTheLimitOnceItPassesIt) {
  auto reader = DocumentReader::OpenText("x", std::string(5000, 'a'), 4096);
  EXPECT_EQ(ReadAll(reader.get()).status().ToString(),
            "invalid argument: input x: 5000 bytes, over the limit of 4096 bytes per document "
            "(--max-document-size)");
}

TEST(DocumentReaderTest, AFileThatGrowsWhileReadIsAnError) {
  TempDir dir;
  const std::string path = dir.Sub("grows.txt");
  WriteFile(path, MultiBlockText());
  auto reader = DocumentReader::OpenFile(path, 1u << 30);
  ASSERT_TRUE(reader.ok());
  ASSERT_TRUE((*reader)->Next().ok());
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::write(fd, "more", 4), 4);
  ::close(fd);
  auto all = ReadAll(reader->get());
  EXPECT_TRUE(all.status().IsIOError()) << all.status().ToString();
  EXPECT_NE(all.status().ToString().find(path + ": changed while being read: it grew past"),
            std::string::npos)
      << all.status().ToString();
}

TEST(DocumentReaderTest, AFileThatShrinksWhileReadIsAnError) {
  TempDir dir;
  const std::string path = dir.Sub("shrinks.txt");
  const std::string text = MultiBlockText();
  WriteFile(path, text);
  auto reader = DocumentReader::OpenFile(path, 1u << 30);
  ASSERT_TRUE(reader.ok());
  ASSERT_TRUE((*reader)->Next().ok());
  ASSERT_EQ(::truncate(path.c_str(), static_cast<off_t>(DocumentReader::kBlockBytes + 10)), 0);
  auto all = ReadAll(reader->get());
  EXPECT_EQ(all.status().ToString(),
            "io error: input " + path + ": changed while being read: it ended at byte " +
                std::to_string(DocumentReader::kBlockBytes + 10) + ", short of the " +
                std::to_string(text.size()) + " bytes it had when opened");
}

TEST(DocumentReaderTest, MissingAndSpecialFiles) {
  TempDir dir;
  EXPECT_TRUE(DocumentReader::OpenFile(dir.Sub("none.txt"), 100).status().IsNotFound());
  EXPECT_EQ(DocumentReader::OpenFile(dir.path().string(), 100).status().ToString(),
            "invalid argument: input " + dir.path().string() + ": not a regular file");
}

TEST(DocumentReaderTest, AnEmptyDocumentEndsAtOnce) {
  auto reader = DocumentReader::OpenText("x", "", 10);
  auto block = reader->Next();
  ASSERT_TRUE(block.ok());
  EXPECT_TRUE(block->empty());
  EXPECT_TRUE(reader->at_end());
  EXPECT_EQ(reader->content_hash(), format::Xxh3(""));
}

}  // namespace
}  // namespace roxi::ingest
