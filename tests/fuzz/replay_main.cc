// Replays every file of one fuzz target's seed corpus (ROXI_FUZZ_CORPUS_DIR) through its
// LLVMFuzzerTestOneInput under the normal compiler, so CI exercises each decoder on every seed
// without needing clang or libFuzzer.
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

TEST(FuzzCorpusReplay, EverySeedDecodesWithoutCrashing) {
  const std::filesystem::path dir(ROXI_FUZZ_CORPUS_DIR);
  ASSERT_TRUE(std::filesystem::is_directory(dir)) << "missing seed corpus " << dir;
  size_t seeds = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(0, LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()),
                                        bytes.size()))
        << entry.path();
    ++seeds;
  }
  EXPECT_GT(seeds, 0u) << "no seeds in " << dir;
}

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
