// The manifest of a backup archive (FORMAT.md §6.4): what the archive holds and where. It lists
// every file of the RocksDB checkpoint with its size and XXH3, and where its zstd frames lie: in
// this archive, or in an earlier archive of the same backup folder (an incremental archive refers
// to immutable files its parents already hold instead of storing them again).
//
//   manifest := version: u8 = 1 | archive_id: u8[16] | store_id: u8[16]
//             | created_at_micros: varint64 | created_by: lenprefixed | schema_version: varint32
//             | sequence: varint64 | embedder_id: lenprefixed
//             | documents | chunks | vectors | pending | failed (each varint64)
//             | parent_count: varint32 | parent[parent_count]
//             | file_count: varint32 | file[file_count]
//             | xxh3: fixed64
//   parent   := archive_id: u8[16] | name: lenprefixed
//   file     := name: lenprefixed | size: varint64 | xxh3: fixed64 | source: varint32
//             | frame_offset: varint64 | frame_size: varint64 | frame_xxh3: fixed64
//
// Thread-safety: pure functions and values.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "format/archive_header.h"
#include "format/status.h"

namespace roxi::format {

inline constexpr uint8_t kArchiveManifestV1 = 1;
inline constexpr uint32_t kMaxArchiveFiles = 1u << 20;
inline constexpr uint32_t kMaxArchiveParents = 4096;
inline constexpr uint32_t kMaxArchiveFileNameBytes = 255;
inline constexpr uint64_t kMaxArchiveManifestBytes = uint64_t{256} << 20;
// Frame offsets and sizes stay below 2^62, so offset + size never overflows.
inline constexpr uint64_t kMaxArchiveOffset = uint64_t{1} << 62;

using ArchiveId = std::array<uint8_t, 16>;

// One file of the checkpoint.
struct ArchiveFileEntry {
  std::string name;           // a plain file name (ValidArchiveFileName)
  uint64_t size = 0;          // bytes of the file
  uint64_t xxh3 = 0;          // XXH3-64 of the file's bytes
  uint32_t source = 0;        // 0: the frame is in this archive; k >= 1: in parents[k - 1]
  uint64_t frame_offset = 0;  // where its zstd frames start in the archive that holds them
  uint64_t frame_size = 0;    // their length in bytes
  uint64_t frame_xxh3 = 0;    // XXH3-64 of their bytes, as stored
  bool operator==(const ArchiveFileEntry&) const = default;
};

// An earlier archive in the same folder that holds frames this one refers to.
struct ArchiveParent {
  ArchiveId archive_id{};
  std::string name;  // its file name in the folder
  bool operator==(const ArchiveParent&) const = default;
};

struct ArchiveManifest {
  ArchiveId archive_id{};          // random, names this archive to its children
  ArchiveId store_id{};            // StoreInfoRecord.store_id of the store it was taken from
  uint64_t created_at_micros = 0;  // Unix time
  std::string created_by;          // "roxi <version>"
  uint32_t schema_version = 0;     // of the store (FORMAT.md §5.1)
  uint64_t sequence = 0;           // RocksDB sequence number the checkpoint contains
  std::string embedder_id;         // EmbedderRecord.id; empty when the store has none yet
  uint64_t documents = 0;
  uint64_t chunks = 0;
  uint64_t vectors = 0;
  uint64_t pending = 0;
  uint64_t failed = 0;
  std::vector<ArchiveParent> parents;
  std::vector<ArchiveFileEntry> files;  // in strictly ascending name order
  bool operator==(const ArchiveManifest&) const = default;
};

// True for 1..kMaxArchiveFileNameBytes bytes without '/' or NUL, other than "." and "..": a name
// that can only denote a file directly inside the directory it is restored into.
bool ValidArchiveFileName(std::string_view name);

// REQUIRES: the manifest satisfies every rule DecodeArchiveManifest checks.
void EncodeArchiveManifest(const ArchiveManifest& manifest, std::string* dst);
void EncodeArchiveFileEntry(const ArchiveFileEntry& file, std::string* dst);

// Corruption "archive manifest: <detail>" on damage or a broken rule: a bad file or parent name,
// names out of order, counts above their limits or the bytes left, chunks != vectors + pending +
// failed, a source with no parent, a parent no file refers to, or local frames that do not follow
// each other from the end of the header. NotSupported on an unknown version.
Result<ArchiveManifest> DecodeArchiveManifest(std::string_view in);
// Decodes one `file` from the front of *in, consuming it. Corruption naming the field.
Result<ArchiveFileEntry> DecodeArchiveFileEntry(std::string_view* in);

// Where the manifest must start: the end of the last frame this archive holds, or the end of the
// header when it holds none.
uint64_t ArchiveFramesEnd(const ArchiveManifest& manifest);
// Corruption "archive manifest: ..." unless the manifest starts where the frames end, so every
// byte of the archive belongs to exactly one checksummed part.
Status CheckArchiveManifestPlacement(const ArchiveManifest& manifest, const ArchiveFooter& footer);

// Checks a decoded footer against the archive's size before the manifest is read: the manifest
// lies between the header and the footer, exactly filling the space, and is at most
// kMaxArchiveManifestBytes. Corruption "archive footer: ..." otherwise.
Status CheckArchiveFooter(const ArchiveFooter& footer, uint64_t archive_size);

}  // namespace roxi::format
