// The first and last bytes of a backup archive (FORMAT.md §6.2 and §6.5): a fixed-size header that
// says what the file is and which archive format version wrote it, and a fixed-size footer that
// points at the manifest, so a reader can find every frame with two reads at known offsets.
//
//   header := magic: u8[8] | version: fixed32 | xxh3: fixed64        (20 bytes)
//   footer := manifest_offset: fixed64 | manifest_size: fixed64 | xxh3: fixed64
//             | magic: u8[8]                                         (32 bytes)
//
// Each xxh3 is the XXH3-64 of the bytes before it in the same structure (the header's covers the
// magic and the version; the footer's covers the two offsets). The magic ends the footer, so a
// truncated archive is recognised by its last 8 bytes.
//
// Thread-safety: pure functions and values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "format/status.h"

namespace roxi::format {

// "\x89RXB\r\n\x1a\n", built like PNG's signature (FORMAT.md §6.2).
inline constexpr std::string_view kArchiveMagic{"\x89RXB\r\n\x1a\n", 8};
// The archive format version this roxi writes and reads.
inline constexpr uint32_t kArchiveVersion = 1;
inline constexpr size_t kArchiveHeaderSize = 20;
inline constexpr size_t kArchiveFooterSize = 32;

struct ArchiveHeader {
  uint32_t version = kArchiveVersion;
  bool operator==(const ArchiveHeader&) const = default;
};

struct ArchiveFooter {
  uint64_t manifest_offset = 0;  // where the manifest starts, from the start of the archive
  uint64_t manifest_size = 0;    // its length in bytes
  bool operator==(const ArchiveFooter&) const = default;
};

// Appends exactly kArchiveHeaderSize bytes.
void EncodeArchiveHeader(const ArchiveHeader& header, std::string* dst);
// Reads the first kArchiveHeaderSize bytes of `in` (the start of the file). Corruption
// "archive header: ..." if `in` is shorter, if the magic is wrong (not a roxi archive) or the
// checksum does not match; NotSupported naming both versions if the version is not kArchiveVersion.
Result<ArchiveHeader> DecodeArchiveHeader(std::string_view in);

// Appends exactly kArchiveFooterSize bytes.
void EncodeArchiveFooter(const ArchiveFooter& footer, std::string* dst);
// Reads the last kArchiveFooterSize bytes of `in` (the end of the file). Corruption
// "archive footer: ..." if `in` is shorter, if the closing magic is missing (a truncated archive),
// or the checksum does not match. The offsets are checked against the archive's size by
// CheckArchiveLayout (archive_manifest.h).
Result<ArchiveFooter> DecodeArchiveFooter(std::string_view in);

}  // namespace roxi::format
