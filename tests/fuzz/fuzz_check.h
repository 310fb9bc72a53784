// Shared checks of the fuzz targets in tests/fuzz/. A failed check prints what failed and where and
// aborts, so libFuzzer saves the input as a crash and the GCC replay of the seed corpus fails.
//
// Every record target checks three things of each input: the decoder never crashes or reads out of
// bounds (the sanitizers' job); a failure is Corruption, or NotSupported exactly when the checksum
// holds and the version byte is another version; and a success re-encodes to the very same bytes
// (encodings are canonical, FORMAT.md §1.2) and satisfies the record's documented invariants.
#pragma once

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "format/coding.h"
#include "format/hash.h"
#include "format/record_frame.h"
#include "format/status.h"

#define ROXI_FUZZ_CHECK(cond)                                                            \
  do {                                                                                   \
    if (!(cond)) {                                                                       \
      std::fprintf(stderr, "fuzz check failed: %s:%d: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                      \
    }                                                                                    \
  } while (0)

namespace roxi::fuzz {

// Calls check(bytes) on the input as a stored value, then on the input followed by its valid XXH3
// checksum. Random bytes almost never carry a valid 64-bit checksum, so only the second form lets
// the fuzzer explore the field parsing behind it.
template <class Check>
void OnInputAndSealedInput(const uint8_t* data, size_t size, Check check) {
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  check(raw);
  std::string sealed(raw);
  format::SealRecord(&sealed, 0);
  check(std::string_view(sealed));
}

inline bool HasValidChecksum(std::string_view in) {
  if (in.size() < 1 + format::kXxh3Size) return false;
  const std::string_view covered = in.substr(0, in.size() - format::kXxh3Size);
  return format::DecodeFixed64(in.data() + covered.size()) == format::Xxh3(covered);
}

// Decodes `in` with `decode`, a decoder of the record versions `versions`. On failure, checks the
// Status code. On success, checks `invariants` on the record and that `encode` gives back exactly
// `in`.
template <class Decode, class Encode, class Invariants>
void CheckRecord(std::string_view in, std::initializer_list<uint8_t> versions, Decode decode,
                 Encode encode, Invariants invariants) {
  const auto result = decode(in);
  const bool known_version =
      !in.empty() && std::find(versions.begin(), versions.end(), static_cast<uint8_t>(in[0])) !=
                         versions.end();
  if (!result.ok()) {
    const Status& s = result.status();
    ROXI_FUZZ_CHECK(s.IsCorruption() || s.IsNotSupported());
    if (s.IsNotSupported()) {
      ROXI_FUZZ_CHECK(HasValidChecksum(in) && !known_version);
    } else if (HasValidChecksum(in)) {
      // Damage behind a valid checksum: the version was right, a field was not.
      ROXI_FUZZ_CHECK(known_version);
    }
    return;
  }
  ROXI_FUZZ_CHECK(HasValidChecksum(in) && known_version);
  invariants(*result);
  std::string reencoded;
  encode(*result, &reencoded);
  ROXI_FUZZ_CHECK(reencoded == in);
}

// CheckRecord for a decoder of one record version.
template <class Decode, class Encode, class Invariants>
void CheckRecord(std::string_view in, uint8_t version, Decode decode, Encode encode,
                 Invariants invariants) {
  CheckRecord(in, {version}, decode, encode, invariants);
}

}  // namespace roxi::fuzz
