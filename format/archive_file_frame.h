// The frame of the small files roxi keeps beside its backup archives, the backup catalog and the
// restore journal (FORMAT.md §6.1):
//
//   file := magic: u8[8] | version: u8 | body: u8[*] | xxh3: fixed64
//
// `xxh3` is the XXH3-64 of every preceding byte, magic and version included. OpenMagicFile checks,
// in order: length, magic, checksum, version, so a damaged version byte reads as damage.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "format/status.h"

namespace roxi::format {

// Appends magic and version to *dst; the caller appends the body, then calls SealMagicFile.
void StartMagicFile(std::string_view magic, uint8_t version, std::string* dst);
// Appends the XXH3-64 of (*dst)[start..].
void SealMagicFile(std::string* dst, size_t start);

// Returns the body. `what` names the file in messages ("backup catalog"). Corruption if shorter
// than a frame, the magic differs (naming it "not a <what>") or the checksum does not match;
// NotSupported naming both versions if the version is not `version`.
Result<std::string_view> OpenMagicFile(std::string_view in, std::string_view magic,
                                       std::string_view what, uint8_t version);

}  // namespace roxi::format
