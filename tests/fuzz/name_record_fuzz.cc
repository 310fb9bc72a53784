// Fuzz target of DecodeNameRecord (FORMAT.md §3.2); see fuzz_check.h for what is checked.
#include <cstddef>
#include <cstdint>

#include "format/name_record.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace roxi::format;
  roxi::fuzz::OnInputAndSealedInput(data, size, [](std::string_view in) {
    roxi::fuzz::CheckRecord(
        in, kNameRecordV1, DecodeNameRecord, EncodeNameRecord,
        [](const DocumentId& id) { ROXI_FUZZ_CHECK(id.value >= 1 && id.value <= kMaxDocumentId); });
  });
  return 0;
}
