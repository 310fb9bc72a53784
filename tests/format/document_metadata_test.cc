// Tests of format/document_metadata.cc: canonical form, limits, and the encoding round trip.
#include "format/document_metadata.h"

#include <gtest/gtest.h>

namespace roxi::format {
namespace {

TEST(DocumentMetadataTest, CanonicalFormIsSortedWithoutRepeatedPairs) {
  DocumentMetadata m = {{"tags", "b"}, {"title", "T"}, {"tags", "a"}, {"tags", "b"}};
  ASSERT_TRUE(CanonicalizeMetadata(&m).ok());
  EXPECT_EQ(m, (DocumentMetadata{{"tags", "a"}, {"tags", "b"}, {"title", "T"}}));
  EXPECT_EQ(MetadataValues(m, "tags"), (std::vector<std::string_view>{"a", "b"}));
  EXPECT_TRUE(MetadataValues(m, "lang").empty());
  EXPECT_TRUE(HasMetadata(m, "tags", "b"));
  EXPECT_FALSE(HasMetadata(m, "tags", "c"));
  EXPECT_FALSE(HasMetadata(m, "title", "t"));  // values are compared exactly
  EXPECT_EQ(DescribeMetadata(m), "tags: a, b; title: T");
  EXPECT_EQ(DescribeMetadata({}), "");
}

TEST(DocumentMetadataTest, KeysAndSizesAreChecked) {
  EXPECT_TRUE(ValidateMetadataKey("a.b-c_D9").ok());
  EXPECT_TRUE(ValidateMetadataKey("").IsInvalidArgument());
  EXPECT_TRUE(ValidateMetadataKey("has space").IsInvalidArgument());
  EXPECT_TRUE(ValidateMetadataKey("caf\xc3\xa9").IsInvalidArgument());
  EXPECT_TRUE(ValidateMetadataKey(std::string(kMaxMetadataKeyBytes, 'k')).ok());
  EXPECT_TRUE(ValidateMetadataKey(std::string(kMaxMetadataKeyBytes + 1, 'k')).IsInvalidArgument());

  DocumentMetadata long_value = {{"k", std::string(kMaxMetadataValueBytes + 1, 'v')}};
  Status s = CanonicalizeMetadata(&long_value);
  EXPECT_TRUE(s.IsInvalidArgument());
  EXPECT_NE(s.ToString().find("'k'"), std::string::npos) << s.ToString();

  DocumentMetadata many;
  for (size_t i = 0; i <= kMaxMetadataFields; ++i) many.push_back({"k", std::to_string(i)});
  EXPECT_TRUE(CanonicalizeMetadata(&many).IsInvalidArgument());

  DocumentMetadata big;
  for (size_t i = 0; i < 20; ++i) {
    big.push_back({"k" + std::to_string(i), std::string(kMaxMetadataValueBytes, 'v')});
  }
  s = CanonicalizeMetadata(&big);
  EXPECT_TRUE(s.IsInvalidArgument());
  EXPECT_NE(s.ToString().find("bytes of keys and values"), std::string::npos) << s.ToString();
}

TEST(DocumentMetadataTest, EncodingRoundTripsAndRefusesNonCanonicalLists) {
  DocumentMetadata m = {{"lang", "en"}, {"tags", ""}, {"tags", "x=y"}};
  std::string bytes;
  EncodeMetadata(m, &bytes);
  std::string_view in = bytes;
  auto decoded = DecodeMetadata(&in, "test");
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, m);
  EXPECT_TRUE(in.empty());

  // Out of order, repeated, a bad key: each is damage, not another way to say the same thing.
  for (const DocumentMetadata& bad : {DocumentMetadata{{"b", "1"}, {"a", "1"}},
                                      DocumentMetadata{{"a", "1"}, {"a", "1"}},
                                      DocumentMetadata{{"a b", "1"}}}) {
    std::string raw;
    EncodeMetadata(bad, &raw);
    std::string_view view = raw;
    EXPECT_TRUE(DecodeMetadata(&view, "test").status().IsCorruption());
  }
  std::string truncated = bytes.substr(0, bytes.size() - 1);
  std::string_view view = truncated;
  EXPECT_TRUE(DecodeMetadata(&view, "test").status().IsCorruption());
}

}  // namespace
}  // namespace roxi::format
