#include "format/archive_restore_journal.h"

#include "format/archive_file_frame.h"
#include "format/archive_manifest.h"
#include "format/coding.h"
#include "format/dcheck.h"

namespace roxi::format {

namespace {

constexpr std::string_view kWhat = "restore journal";

bool ValidNames(const RestoreJournal& j) {
  return ValidArchiveFileName(j.target) && ValidArchiveFileName(j.incoming) &&
         (j.previous.empty() || ValidArchiveFileName(j.previous)) && j.target != j.incoming &&
         j.target != j.previous && j.incoming != j.previous;
}

}  // namespace

void EncodeRestoreJournal(const RestoreJournal& j, std::string* dst) {
  ROXI_DCHECK(ValidNames(j) && j.archive.size() <= kMaxJournalArchivePathBytes);
  const size_t start = dst->size();
  StartMagicFile(kRestoreJournalMagic, kRestoreJournalV1, dst);
  PutLengthPrefixed(dst, j.target);
  PutLengthPrefixed(dst, j.previous);
  PutLengthPrefixed(dst, j.incoming);
  dst->push_back(j.discard_previous ? 1 : 0);
  PutLengthPrefixed(dst, j.archive);
  PutVarint64(dst, j.created_at_micros);
  SealMagicFile(dst, start);
}

Result<RestoreJournal> DecodeRestoreJournal(std::string_view in) {
  ROXI_ASSIGN_OR_RETURN(std::string_view body,
                        OpenMagicFile(in, kRestoreJournalMagic, kWhat, kRestoreJournalV1));
  RestoreJournal j;
  std::string_view target, previous, incoming, archive;
  uint8_t discard = 0;
  if (!GetLengthPrefixed(&body, &target, kMaxArchiveFileNameBytes) ||
      !GetLengthPrefixed(&body, &previous, kMaxArchiveFileNameBytes) ||
      !GetLengthPrefixed(&body, &incoming, kMaxArchiveFileNameBytes) || !GetByte(&body, &discard) ||
      !GetLengthPrefixed(&body, &archive, kMaxJournalArchivePathBytes) ||
      !GetVarint64(&body, &j.created_at_micros)) {
    return Status::Corruption(kWhat, "truncated fields");
  }
  if (discard > 1) return Status::Corruption(kWhat, "bad discard flag");
  if (!body.empty()) {
    return Status::Corruption(kWhat, std::to_string(body.size()) + " trailing bytes");
  }
  j.target.assign(target);
  j.previous.assign(previous);
  j.incoming.assign(incoming);
  j.discard_previous = discard == 1;
  j.archive.assign(archive);
  if (!ValidNames(j)) return Status::Corruption(kWhat, "bad directory names");
  return j;
}

}  // namespace roxi::format
