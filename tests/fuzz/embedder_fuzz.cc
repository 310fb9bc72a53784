// Fuzz target of DecodeEmbedderRecord (FORMAT.md §3.6); see fuzz_check.h for what is checked.
#include <cstddef>
#include <cstdint>

#include "format/hash.h"
#include "format/meta_records.h"
#include "format/vector_record.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace roxi::format;
  roxi::fuzz::OnInputAndSealedInput(data, size, [](std::string_view in) {
    roxi::fuzz::CheckRecord(in, kEmbedderRecordV1, DecodeEmbedderRecord, EncodeEmbedderRecord,
                            [](const EmbedderRecord& r) {
                              ROXI_FUZZ_CHECK(!r.id.empty() && r.id.size() <= kMaxEmbedderIdBytes);
                              ROXI_FUZZ_CHECK(r.fingerprint == Xxh3(r.id));
                              ROXI_FUZZ_CHECK(r.dim >= 1 && r.dim <= kMaxDim);
                            });
  });
  return 0;
}
