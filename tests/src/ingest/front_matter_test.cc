// Tests of src/ingest/front_matter.cc and document_metadata_input.cc.
#include "src/ingest/front_matter.h"

#include <gtest/gtest.h>

#include "src/ingest/document_metadata_input.h"

namespace roxi::ingest {
namespace {

using format::DocumentMetadata;

DocumentMetadata Parse(std::string_view text) {
  auto parsed = ParseFrontMatter(text);
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
  if (!parsed.ok() || !parsed->has_value()) return {};
  return **parsed;
}

std::string ErrorOf(std::string_view text) {
  auto parsed = ParseFrontMatter(text);
  EXPECT_FALSE(parsed.ok()) << text;
  return parsed.ok() ? "" : parsed.status().ToString();
}

TEST(FrontMatterTest, ReadsTheYamlSubsetMarkdownFilesUse) {
  const std::string doc =
      "---\n"
      "title: \"Roxi: notes\"\n"
      "date: 2026-12-01\n"
      "# a comment\n"
      "\n"
      "tags: [search, 'edge, small', ]\n"
      "authors:\n"
      "  - Ada\n"
      "  - \"Grace\"\n"
      "summary: >\n"
      "  two lines\n"
      "  folded\n"
      "draft: false # not yet\n"
      "empty:\n"
      "---\n"
      "# Body\n";
  EXPECT_EQ(Parse(doc), (DocumentMetadata{{"authors", "Ada"},
                                          {"authors", "Grace"},
                                          {"date", "2026-12-01"},
                                          {"draft", "false"},
                                          {"empty", ""},
                                          {"summary", "two lines folded"},
                                          {"tags", "edge, small"},
                                          {"tags", "search"},
                                          {"title", "Roxi: notes"}}));
}

TEST(FrontMatterTest, OnlyABlockOnTheFirstLineCounts) {
  auto none = ParseFrontMatter("# Title\n---\na: b\n---\n");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  auto plain = ParseFrontMatter("just text");
  ASSERT_TRUE(plain.ok());
  EXPECT_FALSE(plain->has_value());
  // CRLF line ends, a byte-order mark and the `...` closing line are accepted.
  EXPECT_EQ(Parse("\xEF\xBB\xBF---\r\ntitle: x\r\n...\r\nbody"), (DocumentMetadata{{"title", "x"}}));
  // An empty block is front matter with no fields.
  auto empty = ParseFrontMatter("---\n---\nbody");
  ASSERT_TRUE(empty.ok());
  ASSERT_TRUE(empty->has_value());
  EXPECT_TRUE((*empty)->empty());
}

TEST(FrontMatterTest, MalformedBlocksNameTheLine) {
  EXPECT_NE(ErrorOf("---\ntitle: x\nno colon here\n---\n").find("front matter line 3"),
            std::string::npos);
  EXPECT_NE(ErrorOf("---\nbad key: x\n---\n").find("front matter line 2"), std::string::npos);
  EXPECT_NE(ErrorOf("---\nauthor:\n  name: Ada\n---\n").find("nested"), std::string::npos);
  EXPECT_NE(ErrorOf("---\ntags: [a, b\n---\n").find("not closed"), std::string::npos);
  EXPECT_NE(ErrorOf("---\ntitle: x\nbody without an end\n").find("line"), std::string::npos);
  EXPECT_NE(ErrorOf("---\ntitle: x\n").find("front matter line 1: not closed"), std::string::npos);
  EXPECT_NE(ErrorOf("---\ntitle: " + std::string(2000, 'x') + "\n---\n").find("1024"),
            std::string::npos);
  EXPECT_NE(ErrorOf("---\ntitle: \xff\n---\n").find("utf-8"), std::string::npos);
}

TEST(FrontMatterTest, MarkdownNames) {
  EXPECT_TRUE(IsMarkdownName("/notes/a.md"));
  EXPECT_TRUE(IsMarkdownName("B.MARKDOWN"));
  EXPECT_TRUE(IsMarkdownName("c.mdx"));
  EXPECT_FALSE(IsMarkdownName("notes.txt"));
  EXPECT_FALSE(IsMarkdownName("md"));
}

TEST(MetadataInputTest, MetaAssignments) {
  auto field = ParseMetaAssignment("lang=en=gb");
  ASSERT_TRUE(field.ok());
  EXPECT_EQ(field->key, "lang");
  EXPECT_EQ(field->value, "en=gb");
  auto empty_value = ParseMetaAssignment("reviewed=");
  ASSERT_TRUE(empty_value.ok());
  EXPECT_EQ(empty_value->value, "");
  for (const char* bad : {"novalue", "=x", "bad key=x", "k=\xff"}) {
    Status s = ParseMetaAssignment(bad).status();
    EXPECT_TRUE(s.IsInvalidArgument()) << bad;
    EXPECT_NE(s.ToString().find("--meta"), std::string::npos) << s.ToString();
  }
  EXPECT_TRUE(ParseMetaAssignment("k=" + std::string(1025, 'v')).status().IsInvalidArgument());
}

TEST(MetadataInputTest, GivenKeysReplaceTheFrontMattersValues) {
  auto merged = MergeMetadata({{"tags", "cli"}}, {{"tags", "a"}, {"tags", "b"}, {"title", "T"}});
  ASSERT_TRUE(merged.ok());
  EXPECT_EQ(*merged, (DocumentMetadata{{"tags", "cli"}, {"title", "T"}}));
}

}  // namespace
}  // namespace roxi::ingest
