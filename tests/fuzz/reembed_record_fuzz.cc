// Fuzz target of DecodeReembedRecord (FORMAT.md §3.7); see fuzz_check.h for what is checked.
#include <cstddef>
#include <cstdint>

#include "format/hash.h"
#include "format/reembed_record.h"
#include "format/vector_record.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace roxi::format;
  roxi::fuzz::OnInputAndSealedInput(data, size, [](std::string_view in) {
    roxi::fuzz::CheckRecord(in, kReembedRecordV1, DecodeReembedRecord, EncodeReembedRecord,
                            [](const ReembedRecord& r) {
                              ROXI_FUZZ_CHECK(!r.target.id.empty() &&
                                              r.target.id.size() <= kMaxEmbedderIdBytes);
                              ROXI_FUZZ_CHECK(r.target.fingerprint == Xxh3(r.target.id));
                              ROXI_FUZZ_CHECK(r.target.dim >= 1 && r.target.dim <= kMaxDim);
                            });
  });
  return 0;
}
