#include "tests/cli/cli_fixture.h"

#include <random>

namespace roxi::testing {

std::string GeneratedParagraph(uint64_t seed, size_t words) {
  static const char* kVocabulary[] = {
      "river",  "stone",   "lantern", "copper", "meadow", "harbor",  "signal", "engine",
      "garden", "crystal", "winter",  "ember",  "saddle", "orchard", "falcon", "quarry",
      "violet", "timber",  "canyon",  "beacon", "marble", "thistle", "anchor", "glacier"};
  std::mt19937_64 rng(seed);
  std::string out;
  for (size_t i = 0; i < words; ++i) {
    if (!out.empty()) out += (i % 12 == 0) ? ". " : " ";
    out += kVocabulary[rng() % (sizeof kVocabulary / sizeof *kVocabulary)];
    out += std::to_string(rng() % 50);
  }
  return out + ".";
}

}  // namespace roxi::testing
