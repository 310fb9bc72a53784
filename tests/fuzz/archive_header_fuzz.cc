// Fuzz target of DecodeArchiveHeader, DecodeArchiveFooter and CheckArchiveFooter (FORMAT.md §6.2,
// §6.5); see archive_fuzz_check.h for what is checked.
#include <cstddef>
#include <cstdint>

#include "format/archive_header.h"
#include "format/archive_manifest.h"
#include "tests/fuzz/archive_fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace roxi::format;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  auto header = DecodeArchiveHeader(in);
  if (header.ok()) {
    std::string again;
    EncodeArchiveHeader(*header, &again);
    ROXI_FUZZ_CHECK(again == in.substr(0, kArchiveHeaderSize));
  } else {
    roxi::fuzz::CheckFailure(header.status());
  }
  auto footer = DecodeArchiveFooter(in);
  if (footer.ok()) {
    std::string again;
    EncodeArchiveFooter(*footer, &again);
    ROXI_FUZZ_CHECK(again == in.substr(in.size() - kArchiveFooterSize));
    if (CheckArchiveFooter(*footer, in.size()).ok()) {
      // The manifest it points at lies between header and footer.
      ROXI_FUZZ_CHECK(footer->manifest_offset >= kArchiveHeaderSize);
      ROXI_FUZZ_CHECK(footer->manifest_offset + footer->manifest_size + kArchiveFooterSize ==
                      in.size());
    }
  } else {
    roxi::fuzz::CheckFailure(footer.status());
  }
  return 0;
}
