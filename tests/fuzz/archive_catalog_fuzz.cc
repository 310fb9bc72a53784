// Fuzz target of DecodeBackupCatalog (FORMAT.md §7); see archive_fuzz_check.h for what is checked.
#include <cstddef>
#include <cstdint>

#include "format/archive_catalog.h"
#include "tests/fuzz/archive_fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace roxi::format;
  roxi::fuzz::OnInputAndSealedInput(data, size, [](std::string_view in) {
    auto c = DecodeBackupCatalog(in);
    if (!c.ok()) {
      roxi::fuzz::CheckFailure(c.status());
      return;
    }
    std::string again;
    EncodeBackupCatalog(*c, &again);
    ROXI_FUZZ_CHECK(again == in);
    for (size_t i = 0; i < c->archives.size(); ++i) {
      const auto& a = c->archives[i];
      ROXI_FUZZ_CHECK(ValidArchiveFileName(a.name));
      ROXI_FUZZ_CHECK(i == 0 || c->archives[i - 1].name < a.name);
      ROXI_FUZZ_CHECK((a.verify_state == VerifyState::kNever) == (a.verified_at_micros == 0));
      for (const auto& f : a.files) ROXI_FUZZ_CHECK(f.source == 0 && ValidArchiveFileName(f.name));
    }
  });
  return 0;
}
