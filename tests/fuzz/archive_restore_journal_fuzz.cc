// Fuzz target of DecodeRestoreJournal (FORMAT.md §8); see archive_fuzz_check.h for what is checked.
#include <cstddef>
#include <cstdint>

#include "format/archive_manifest.h"
#include "format/archive_restore_journal.h"
#include "tests/fuzz/archive_fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace roxi::format;
  roxi::fuzz::OnInputAndSealedInput(data, size, [](std::string_view in) {
    auto j = DecodeRestoreJournal(in);
    if (!j.ok()) {
      roxi::fuzz::CheckFailure(j.status());
      return;
    }
    std::string again;
    EncodeRestoreJournal(*j, &again);
    ROXI_FUZZ_CHECK(again == in);
    // Every name it makes roxi rename stays beside the data directory.
    ROXI_FUZZ_CHECK(ValidArchiveFileName(j->target) && ValidArchiveFileName(j->incoming));
    ROXI_FUZZ_CHECK(j->previous.empty() || ValidArchiveFileName(j->previous));
  });
  return 0;
}
