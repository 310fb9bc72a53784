// Fuzz target of DecodeDocumentRecord (FORMAT.md §3.1); see fuzz_check.h for what is checked.
#include <cstddef>
#include <cstdint>

#include "format/document_record.h"
#include "format/keys.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace roxi::format;
  roxi::fuzz::OnInputAndSealedInput(data, size, [](std::string_view in) {
    roxi::fuzz::CheckRecord(in, {kDocumentRecordV1, kDocumentRecordV2}, DecodeDocumentRecord,
                            EncodeDocumentRecord,
                            [](const DocumentRecord& r) {
                              ROXI_FUZZ_CHECK(!r.name.empty());
                              ROXI_FUZZ_CHECK(r.name.size() <= kMaxDocumentNameBytes);
                              ROXI_FUZZ_CHECK(r.source_path.size() <= kMaxSourcePathBytes);
                              ROXI_FUZZ_CHECK(r.chunk_count <= kMaxChunkNumber + 1);
                              DocumentMetadata canonical = r.metadata;
                              ROXI_FUZZ_CHECK(CanonicalizeMetadata(&canonical).ok());
                              ROXI_FUZZ_CHECK(canonical == r.metadata);
                            });
  });
  return 0;
}
