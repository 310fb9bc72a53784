// Fuzz target of DecodeDeletionsRecord (FORMAT.md §3.8); see fuzz_check.h for what is checked.
#include <cstddef>
#include <cstdint>

#include "format/deletions_record.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace roxi::format;
  roxi::fuzz::OnInputAndSealedInput(data, size, [](std::string_view in) {
    roxi::fuzz::CheckRecord(in, kDeletionsRecordV1, DecodeDeletionsRecord, EncodeDeletionsRecord,
                            [](const DeletionsRecord&) {});
  });
  return 0;
}
