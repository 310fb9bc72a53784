// The frame every roxi value record shares (FORMAT.md §1.3):
//
//   version: u8 | body... | xxh3: fixed64   (XXH3-64 of every preceding byte, version included)
//
// SealRecord appends the checksum to a record whose version and body were written from `start`.
// OpenRecord checks length, checksum and version, in that order, and returns the body between them.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "format/status.h"

namespace roxi::format {

// Appends XXH3 of (*dst)[start..] to *dst.
void SealRecord(std::string* dst, size_t start);

// Returns the body of a framed record of kind `what` (used in error messages, e.g. "chunk record").
// Corruption if shorter than a frame or the checksum does not match; NotSupported if the version
// byte is not `version`.
Result<std::string_view> OpenRecord(std::string_view in, std::string_view what, uint8_t version);

// Corruption("<what>", "<detail>"): the one way decoders report damaged fields.
Status BadRecord(std::string_view what, std::string_view detail);

}  // namespace roxi::format
