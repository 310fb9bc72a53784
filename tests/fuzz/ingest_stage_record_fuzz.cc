// Fuzz target of DecodeIngestStageRecord (FORMAT.md §3.9); see fuzz_check.h for what is checked.
#include <cstddef>
#include <cstdint>

#include "format/ingest_stage_record.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace roxi::format;
  roxi::fuzz::OnInputAndSealedInput(data, size, [](std::string_view in) {
    roxi::fuzz::CheckRecord(in, kIngestStageRecordV1, DecodeIngestStageRecord,
                            EncodeIngestStageRecord, [](const IngestStageRecord& r) {
                              ROXI_FUZZ_CHECK(r.chunks <= kMaxChunkNumber + 1);
                              ROXI_FUZZ_CHECK(r.name.empty() || r.phase == StagePhase::kStaging);
                            });
  });
  return 0;
}
