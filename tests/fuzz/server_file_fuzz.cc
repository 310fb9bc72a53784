// Fuzz target of DecodeServerFile (FORMAT.md §10). Besides the raw input it tries the input with a
// valid checksum line appended, so the line parsing behind the checksum is reached. A decoded file
// must re-encode to the very same bytes, and a failure must be Corruption or NotSupported.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "format/hash.h"
#include "format/server_file.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

void Check(std::string_view in) {
  using namespace roxi::format;
  auto decoded = DecodeServerFile(in);
  if (!decoded.ok()) {
    ROXI_FUZZ_CHECK(decoded.status().IsCorruption() || decoded.status().IsNotSupported());
    return;
  }
  ROXI_FUZZ_CHECK(decoded->pid > 0 && decoded->port >= 1 && decoded->port <= 65535);
  ROXI_FUZZ_CHECK(EncodeServerFile(*decoded) == in);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  Check(raw);
  std::string sealed(raw);
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx",
                static_cast<unsigned long long>(roxi::format::Xxh3(sealed)));
  sealed += "xxh3=" + std::string(hex) + "\n";
  Check(sealed);
  return 0;
}
