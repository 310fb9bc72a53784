#include "src/cli/effective_option.h"

#include <gtest/gtest.h>

namespace roxi::cli {
namespace {

namespace po = boost::program_options;

std::string Text(const boost::any& value) {
  po::variable_value v(value, false);
  return DescribeOption("x", &v, "flag").value;
}

TEST(EffectiveOptionTest, ValuesAsText) {
  EXPECT_EQ(Text(std::string("100%")), "100%");
  EXPECT_EQ(Text(true), "true");
  EXPECT_EQ(Text(false), "false");
  EXPECT_EQ(Text(1.5), "1.5");
  EXPECT_EQ(Text(300.0), "300");
  EXPECT_EQ(Text(0.1), "0.1");
  EXPECT_EQ(Text(size_t{256}), "256");
  EXPECT_EQ(Text(uint32_t{3}), "3");
  EXPECT_EQ(Text(uint64_t{10485760}), "10485760");
  EXPECT_EQ(Text(-4), "-4");
  EXPECT_EQ(Text('c'), "(unprintable)");
}

TEST(EffectiveOptionTest, Lists) {
  po::variable_value v(boost::any(std::vector<std::string>{"/a", "/b"}), false);
  EffectiveOption o = DescribeOption("watch", &v, "file /etc/roxi.conf");
  EXPECT_TRUE(o.is_list);
  EXPECT_EQ(o.values, (std::vector<std::string>{"/a", "/b"}));
  EXPECT_EQ(o.value, "/a, /b");
  EXPECT_EQ(o.source, "file /etc/roxi.conf");
}

TEST(EffectiveOptionTest, NoValue) {
  EffectiveOption o = DescribeOption("config", nullptr, "unset");
  EXPECT_EQ(o.value, "");
  EXPECT_FALSE(o.is_list);
  EXPECT_EQ(o.source, "unset");
}

}  // namespace
}  // namespace roxi::cli
