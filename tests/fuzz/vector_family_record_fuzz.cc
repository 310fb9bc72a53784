// Fuzz target of DecodeVectorFamilyRecord (FORMAT.md §3.7); see fuzz_check.h for what is checked.
#include <cstddef>
#include <cstdint>

#include "format/reembed_record.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace roxi::format;
  roxi::fuzz::OnInputAndSealedInput(data, size, [](std::string_view in) {
    roxi::fuzz::CheckRecord(in, kVectorFamilyRecordV1, DecodeVectorFamilyRecord,
                            EncodeVectorFamilyRecord, [](const VectorFamilyRecord& r) {
                              ROXI_FUZZ_CHECK(r.active == VectorFamily::kVectors ||
                                              r.active == VectorFamily::kVectorsB);
                            });
  });
  return 0;
}
