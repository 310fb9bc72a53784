// What the fuzz targets of the backup formats (FORMAT.md §6-8) check on every input: the decoder
// never crashes or reads out of bounds (the sanitizers see to that), fails only with Corruption
// or NotSupported, and whatever it accepts re-encodes to exactly the input bytes (canonical
// encodings) and keeps the record's rules. Each input is also tried with a valid checksum
// appended, so the fuzzer gets past the checksum into the body.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "format/coding.h"
#include "format/hash.h"
#include "format/status.h"

#define ROXI_FUZZ_CHECK(cond)                                                            \
  do {                                                                                   \
    if (!(cond)) {                                                                       \
      std::fprintf(stderr, "fuzz check failed: %s:%d: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                      \
    }                                                                                    \
  } while (0)

namespace roxi::fuzz {

// Calls fn on the input, then on the input followed by its XXH3-64 (a sealed record or file).
template <class Fn>
void OnInputAndSealedInput(const uint8_t* data, size_t size, const Fn& fn) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  fn(in);
  std::string sealed(in);
  format::PutFixed64(&sealed, format::Xxh3(in));
  fn(sealed);
}

// A failed decode must be damage or an unknown version, never anything else.
inline void CheckFailure(const Status& s) {
  ROXI_FUZZ_CHECK(!s.ok());
  ROXI_FUZZ_CHECK(s.IsCorruption() || s.IsNotSupported());
}

}  // namespace roxi::fuzz
