// Entry point of the roxi binary. Replaced by the command dispatcher.
#include <cstdio>

#include "src/embedders/http_global.h"

int main() {
  std::printf("roxi %s\n", ROXI_VERSION);
  std::printf("%s\n", roxi::embedders::HttpClientVersion().c_str());
  return 0;
}
