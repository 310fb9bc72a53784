// Fuzz target of DecodeStoreInfoRecord (FORMAT.md §3.6); see fuzz_check.h for what is checked.
#include <cstddef>
#include <cstdint>

#include "format/meta_records.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace roxi::format;
  roxi::fuzz::OnInputAndSealedInput(data, size, [](std::string_view in) {
    roxi::fuzz::CheckRecord(in, kStoreInfoRecordV1, DecodeStoreInfoRecord, EncodeStoreInfoRecord,
                            [](const StoreInfoRecord& r) {
                              ROXI_FUZZ_CHECK(r.created_by.size() <= kMaxCreatedByBytes);
                            });
  });
  return 0;
}
