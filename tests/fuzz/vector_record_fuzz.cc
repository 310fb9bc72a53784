// Fuzz target of DecodeVectorRecord (FORMAT.md §3.4); see fuzz_check.h for what is checked. Also
// checks that EncodeVectorRecordFromFloats, fed the decoded halves as floats, writes the same bytes
// (binary16 -> float -> binary16 is the identity except that NaNs become quiet), and that
// DecodeVectorRecordView agrees with DecodeVectorRecord.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "format/float16.h"
#include "format/vector_record.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace roxi::format;
  roxi::fuzz::OnInputAndSealedInput(data, size, [](std::string_view in) {
    // The view decoder accepts exactly what the record decoder does, with the same fields.
    const auto record = DecodeVectorRecord(in);
    const auto view = DecodeVectorRecordView(in);
    ROXI_FUZZ_CHECK(record.ok() == view.ok());
    if (record.ok()) {
      std::vector<uint16_t> copied(view->dim);
      view->CopyHalfs(copied.data());
      ROXI_FUZZ_CHECK(view->model == record->model && view->text_hash == record->text_hash &&
                      copied == record->halfs);
    } else {
      ROXI_FUZZ_CHECK(view.status().code() == record.status().code());
    }
    roxi::fuzz::CheckRecord(
        in, kVectorRecordV1, DecodeVectorRecord, EncodeVectorRecord, [](const VectorRecord& r) {
          ROXI_FUZZ_CHECK(!r.halfs.empty() && r.halfs.size() <= kMaxDim);
          std::vector<float> floats(r.halfs.size());
          HalfsToFloats(r.halfs.data(), r.halfs.size(), floats.data());
          VectorRecord quieted = r;
          for (uint16_t& h : quieted.halfs) {
            if ((h & 0x7c00) == 0x7c00 && (h & 0x03ff) != 0) h |= 0x0200;
          }
          std::string from_floats, from_halfs;
          EncodeVectorRecordFromFloats(r.model, r.text_hash, floats.data(),
                                       static_cast<uint32_t>(floats.size()), &from_floats);
          EncodeVectorRecord(quieted, &from_halfs);
          ROXI_FUZZ_CHECK(from_floats == from_halfs);
        });
  });
  return 0;
}
