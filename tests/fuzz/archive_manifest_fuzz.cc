// Fuzz target of DecodeArchiveManifest (FORMAT.md §6.4); see archive_fuzz_check.h for what is
// checked.
#include <cstddef>
#include <cstdint>

#include "format/archive_manifest.h"
#include "tests/fuzz/archive_fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace roxi::format;
  roxi::fuzz::OnInputAndSealedInput(data, size, [](std::string_view in) {
    auto m = DecodeArchiveManifest(in);
    if (!m.ok()) {
      roxi::fuzz::CheckFailure(m.status());
      return;
    }
    std::string again;
    EncodeArchiveManifest(*m, &again);
    ROXI_FUZZ_CHECK(again == in);
    ROXI_FUZZ_CHECK(m->chunks == m->vectors + m->pending + m->failed);
    uint64_t next = kArchiveHeaderSize;
    for (size_t i = 0; i < m->files.size(); ++i) {
      const auto& f = m->files[i];
      ROXI_FUZZ_CHECK(ValidArchiveFileName(f.name));
      ROXI_FUZZ_CHECK(i == 0 || m->files[i - 1].name < f.name);
      ROXI_FUZZ_CHECK(f.source <= m->parents.size());
      if (f.source == 0) {
        ROXI_FUZZ_CHECK(f.frame_offset == next);
        next = f.frame_offset + f.frame_size;
      }
    }
    ROXI_FUZZ_CHECK(ArchiveFramesEnd(*m) == next);
    for (const auto& p : m->parents) ROXI_FUZZ_CHECK(ValidArchiveFileName(p.name));
  });
  return 0;
}
