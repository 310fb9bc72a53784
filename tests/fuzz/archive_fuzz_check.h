// What the fuzz targets of the backup formats (FORMAT.md §6-8) check on every input: the decoder
// never crashes or reads out of bounds (the sanitizers see to that), fails only with Corruption
// or NotSupported, and whatever it accepts re-encodes to exactly the input bytes (canonical
// encodings) and keeps the record's rules. Each input is also tried with a valid checksum
// appended (OnInputAndSealedInput of fuzz_check.h), so the fuzzer gets past the checksum into the
// body.
#pragma once

#include "format/status.h"
#include "tests/fuzz/fuzz_check.h"

namespace roxi::fuzz {

// A failed decode must be damage or an unknown version, never anything else.
inline void CheckFailure(const Status& s) {
  ROXI_FUZZ_CHECK(!s.ok());
  ROXI_FUZZ_CHECK(s.IsCorruption() || s.IsNotSupported());
}

}  // namespace roxi::fuzz
