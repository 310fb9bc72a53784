// The restore journal (FORMAT.md §8): written beside a data directory D just before `restore`
// swaps directories, and removed when the swap is complete. If roxi is killed in between, the
// next roxi command on D finds it and finishes the swap, so D is never left half-restored.
//
//   journal := magic: u8[8] | version: u8 = 1 | target: lenprefixed | previous: lenprefixed
//            | incoming: lenprefixed | discard_previous: u8 | archive: lenprefixed
//            | created_at_micros: varint64 | xxh3: fixed64
//
// target, previous and incoming are names of directories beside the journal (no '/'): D itself,
// where the old D goes (empty when there was none) and the fully restored, verified new store.
//
// Thread-safety: pure functions and values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "format/status.h"

namespace roxi::format {

// "\x89RXJ\r\n\x1a\n" (FORMAT.md §8).
inline constexpr std::string_view kRestoreJournalMagic{"\x89RXJ\r\n\x1a\n", 8};
inline constexpr uint8_t kRestoreJournalV1 = 1;
inline constexpr uint32_t kMaxJournalArchivePathBytes = 4096;

struct RestoreJournal {
  std::string target;             // the data directory's name
  std::string previous;           // where the old data directory is moved; empty if there was none
  std::string incoming;           // the restored store, moved to `target`
  bool discard_previous = false;  // delete `previous` once the swap is done
  std::string archive;            // the archive restored (for messages)
  uint64_t created_at_micros = 0;
  bool operator==(const RestoreJournal&) const = default;
};

// REQUIRES: target and incoming are valid archive file names (archive_manifest.h), previous is
// empty or one, all three differ, archive is at most kMaxJournalArchivePathBytes.
void EncodeRestoreJournal(const RestoreJournal& journal, std::string* dst);
// Corruption "restore journal: <detail>" on damage or a broken rule above; NotSupported on an
// unknown version.
Result<RestoreJournal> DecodeRestoreJournal(std::string_view in);

}  // namespace roxi::format
