#include "storage/restore_swap.h"

#include <unistd.h>

#include <cerrno>
#include <filesystem>

namespace roxi::storage {

namespace fs = std::filesystem;

namespace {

bool Exists(const std::string& path) {
  std::error_code ec;
  return fs::symlink_status(path, ec).type() != fs::file_type::not_found && !ec;
}

// `base`, or `base`-2, `base`-3, ... whichever does not exist yet.
std::string FreeName(const std::string& base) {
  std::string name = base;
  for (int n = 2; Exists(name); ++n) name = base + "-" + std::to_string(n);
  return name;
}

// Steps 2-5, from whatever state an earlier attempt left.
Status CompleteSwap(const std::string& data_dir, const format::RestoreJournal& j,
                    const std::function<void(std::string_view)>& hook) {
  const std::string parent = ParentDir(data_dir);
  const std::string target = parent + "/" + j.target;
  const std::string incoming = parent + "/" + j.incoming;
  const std::string previous = j.previous.empty() ? "" : parent + "/" + j.previous;
  if (Exists(incoming)) {
    if (Exists(target)) {
      // D is either the old store (not yet moved) or a folder something created after the old
      // store was moved. The latter is kept under a name of its own, never mixed or removed.
      const bool appeared = previous.empty() || Exists(previous);
      ROXI_RETURN_IF_ERROR(
          RenameNoReplace(target, appeared ? FreeName(target + std::string(kAppearedInfix))
                                           : previous));
      ROXI_RETURN_IF_ERROR(SyncDir(parent));
      if (hook) hook("restore:after_move_old");
    }
    ROXI_RETURN_IF_ERROR(RenameNoReplace(incoming, target));
    ROXI_RETURN_IF_ERROR(SyncDir(parent));
    if (hook) hook("restore:after_move_new");
  } else if (!Exists(target)) {
    if (previous.empty() || !Exists(previous)) {
      return Status::Corruption(JournalPath(data_dir),
                                "names " + j.incoming + " and " +
                                    (j.previous.empty() ? "no old store" : j.previous) + " in " +
                                    parent + ", but none is there; inspect " + parent);
    }
    // Neither can happen through roxi, but put the old store back rather than leave no D.
    ROXI_RETURN_IF_ERROR(RenameNoReplace(previous, target));
    ROXI_RETURN_IF_ERROR(SyncDir(parent));
  }
  if (j.discard_previous && !previous.empty()) ROXI_RETURN_IF_ERROR(RemoveAll(previous));
  const std::string journal = JournalPath(data_dir);
  if (::unlink(journal.c_str()) != 0 && errno != ENOENT) {
    return ErrnoStatus("remove", journal, errno);
  }
  return SyncDir(parent);
}

}  // namespace

std::string NormalizeDataDir(const std::string& data_dir) {
  std::string out = data_dir;
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

std::string JournalPath(const std::string& data_dir) {
  return NormalizeDataDir(data_dir) + std::string(kJournalSuffix);
}

Result<FileLock> LockRestore(const std::string& data_dir, bool wait) {
  const std::string dir = NormalizeDataDir(data_dir);
  auto lock =
      FileLock::Acquire(dir + std::string(kRestoreLockSuffix), "data directory " + dir, wait);
  if (!lock.ok() && lock.status().IsBusy()) {
    return Status::Busy("data directory " + dir, "a restore into it is in progress");
  }
  return lock;
}

Status SwapIntoPlace(const std::string& data_dir, const format::RestoreJournal& journal,
                     const std::function<void(std::string_view)>& hook) {
  std::string bytes;
  format::EncodeRestoreJournal(journal, &bytes);
  ROXI_RETURN_IF_ERROR(WriteFileDurably(JournalPath(data_dir), bytes));
  if (hook) hook("restore:after_journal");
  return CompleteSwap(NormalizeDataDir(data_dir), journal, hook);
}

Result<bool> RecoverInterruptedRestore(const std::string& data_dir) {
  if (data_dir.empty()) return false;
  const std::string dir = NormalizeDataDir(data_dir);
  const std::string journal_path = JournalPath(dir);
  if (!Exists(journal_path)) return false;
  ROXI_ASSIGN_OR_RETURN(FileLock lock, LockRestore(dir, /*wait=*/false));
  auto bytes = ReadSmallFile(journal_path, 1 << 16);
  if (!bytes.ok()) {
    if (bytes.status().IsNotFound()) return false;  // the restore finished while we waited
    return bytes.status();
  }
  auto journal = format::DecodeRestoreJournal(*bytes);
  if (!journal.ok()) {
    return journal.status().WithContext(journal_path + " (an interrupted restore of " + dir +
                                        "; inspect " + ParentDir(dir) + " by hand)");
  }
  if (journal->target != BaseName(dir)) {
    return Status::Corruption(journal_path,
                              "is the journal of " + journal->target + ", not " + BaseName(dir));
  }
  ROXI_RETURN_IF_ERROR(CompleteSwap(dir, *journal, nullptr)
                           .WithContext("finishing the interrupted restore of " + dir));
  // why: a lock file left behind is empty and harmless; the next start removes it.
  lock.RemoveAndRelease().IgnoreError();
  return true;
}

}  // namespace roxi::storage
