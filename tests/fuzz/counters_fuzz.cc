// Fuzz target of DecodeCountersRecord (FORMAT.md §3.6); see fuzz_check.h for what is checked. The
// sum invariant is checked in 128 bits, so a sum that wraps around 2^64 cannot pass for equal.
#include <cstddef>
#include <cstdint>

#include "format/meta_records.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace roxi::format;
  roxi::fuzz::OnInputAndSealedInput(data, size, [](std::string_view in) {
    roxi::fuzz::CheckRecord(in, kCountersRecordV1, DecodeCountersRecord, EncodeCountersRecord,
                            [](const CountersRecord& r) {
                              using Wide = unsigned __int128;
                              ROXI_FUZZ_CHECK(Wide{r.embedded} + r.pending + r.failed == r.chunks);
                              ROXI_FUZZ_CHECK(r.next_document_id != 0);
                            });
  });
  return 0;
}
