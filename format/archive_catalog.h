// The backup catalog (FORMAT.md §7): one file, `roxi-catalog`, in a backup folder. It records every
// archive of the folder, which files each one holds (with their checksums and frame locations, as
// in its manifest) and when it was last verified, so an incremental backup can find the files it
// may refer to without reading every archive, and retention knows which archives are parents.
// The archives remain the truth: a missing or damaged catalog is rebuilt from their manifests.
//
//   catalog := magic: u8[8] | version: u8 = 1 | archive_count: varint32 | archive[archive_count]
//            | xxh3: fixed64
//   archive := name: lenprefixed | archive_id: u8[16] | store_id: u8[16]
//            | created_at_micros: varint64 | archive_bytes: varint64 | restored_bytes: varint64
//            | sequence: varint64 | documents: varint64 | chunks: varint64 | vectors: varint64
//            | parent_count: varint32 | parent_name: lenprefixed[parent_count]
//            | verify_state: u8 | verified_at_micros: varint64
//            | file_count: varint32 | file[file_count]          (file: as in the manifest, §6.4)
//
// Thread-safety: pure functions and values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "format/archive_manifest.h"
#include "format/status.h"

namespace roxi::format {

// "\x89RXC\r\n\x1a\n" (FORMAT.md §7).
inline constexpr std::string_view kCatalogMagic{"\x89RXC\r\n\x1a\n", 8};
inline constexpr uint8_t kCatalogV1 = 1;
inline constexpr uint32_t kMaxCatalogArchives = 100000;
inline constexpr uint64_t kMaxCatalogBytes = uint64_t{1} << 30;

enum class VerifyState : uint8_t {
  kNever = 0,     // not verified since it was written
  kClean = 1,     // the last verification found nothing wrong
  kProblems = 2,  // the last verification found damage
};
std::string_view VerifyStateName(VerifyState state);

struct CatalogArchive {
  std::string name;  // file name in the folder
  ArchiveId archive_id{};
  ArchiveId store_id{};
  uint64_t created_at_micros = 0;
  uint64_t archive_bytes = 0;   // size of the archive file
  uint64_t restored_bytes = 0;  // sum of the sizes of all its files, parents' included
  uint64_t sequence = 0;
  uint64_t documents = 0;
  uint64_t chunks = 0;
  uint64_t vectors = 0;
  std::vector<std::string> parents;  // names of the archives it refers to, ascending
  VerifyState verify_state = VerifyState::kNever;
  uint64_t verified_at_micros = 0;      // 0 exactly when verify_state is kNever
  std::vector<ArchiveFileEntry> files;  // the files it holds itself (source 0), ascending names
  bool operator==(const CatalogArchive&) const = default;
};

struct BackupCatalog {
  std::vector<CatalogArchive> archives;  // in strictly ascending name order
  bool operator==(const BackupCatalog&) const = default;
};

// REQUIRES: the catalog satisfies every rule DecodeBackupCatalog checks.
void EncodeBackupCatalog(const BackupCatalog& catalog, std::string* dst);
// Corruption "backup catalog: <detail>" on damage, a bad name, names out of order, a file entry
// whose source is not 0, an unknown verify state, or counts beyond their limits; NotSupported on
// an unknown version.
Result<BackupCatalog> DecodeBackupCatalog(std::string_view in);

}  // namespace roxi::format
