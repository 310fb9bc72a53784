// Entry point of the roxi binary. Replaced by the command dispatcher.
#include <cstdio>
int main() {
  std::printf("roxi %s\n", ROXI_VERSION);
  return 0;
}
