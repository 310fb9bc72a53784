#include "src/cli/config_keys.h"

#include <gtest/gtest.h>

namespace roxi::cli {
namespace {

TEST(ConfigKeysTest, HoldsCommonServeAndOtherCommandsOptions) {
  const auto& keys = KnownConfigKeys();
  for (const char* key : {"data-dir", "log-level", "batch-size", "chunk-size", "k", "listen",
                          "watch", "log-max-files", "block-cache-mb", "outage-backoff-max"}) {
    EXPECT_EQ(keys.count(key), 1u) << key;
  }
  EXPECT_EQ(keys.count("frobnicate"), 0u);
  EXPECT_EQ(&keys, &KnownConfigKeys());
}

}  // namespace
}  // namespace roxi::cli
