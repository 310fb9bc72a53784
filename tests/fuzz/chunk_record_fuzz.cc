// Fuzz target of DecodeChunkRecord (FORMAT.md §3.3); see fuzz_check.h for what is checked.
#include <cstddef>
#include <cstdint>

#include "format/chunk_record.h"
#include "format/hash.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace roxi::format;
  roxi::fuzz::OnInputAndSealedInput(data, size, [](std::string_view in) {
    roxi::fuzz::CheckRecord(
        in, kChunkRecordV1, DecodeChunkRecord, EncodeChunkRecord, [](const ChunkRecord& r) {
          ROXI_FUZZ_CHECK(r.state == ChunkState::kPending || r.state == ChunkState::kEmbedded ||
                          r.state == ChunkState::kFailed);
          ROXI_FUZZ_CHECK(r.text_hash == Xxh3(r.text));
          ROXI_FUZZ_CHECK(r.text.size() <= kMaxChunkTextBytes);
          ROXI_FUZZ_CHECK(r.last_error.size() <= kMaxErrorBytes);
        });
  });
  return 0;
}
