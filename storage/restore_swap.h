// Putting a restored store in place of a data directory D atomically, and finishing a swap that a
// crash interrupted. The restored store is first complete and verified in D.restoring; then
//
//   1. the restore journal D.restore-journal (FORMAT.md §8) is written durably;
//   2. D is renamed to D.before-restore-<UTC time> (when D exists);
//   3. D.restoring is renamed to D;
//   4. with --discard-old, D.before-restore-<time> is removed;
//   5. the journal is removed.
//
// Each rename is atomic and followed by an fsync of the parent. A crash before 1 leaves the old D
// untouched (and a D.restoring the next restore removes); a crash after 1 leaves a journal, and
// the next roxi command on D (Store::Open calls RecoverInterruptedRestore) completes steps 2-5
// from whatever state it finds, so D is afterwards either the old store (before 1) or the new
// one, never a mixture. A D that reappears between 2 and 3 (no roxi reader creates it, but
// another program may) is moved to D.appeared-during-restore and the swap goes on. D.restore-lock, an empty file, serialises restores and recoveries of D.
//
// Thread-safety: thread-safe functions; the restore lock serialises them across processes.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "format/archive_restore_journal.h"
#include "format/status.h"
#include "storage/archive_io.h"

namespace roxi::storage {

inline constexpr std::string_view kJournalSuffix = ".restore-journal";
inline constexpr std::string_view kRestoreLockSuffix = ".restore-lock";
inline constexpr std::string_view kIncomingSuffix = ".restoring";
inline constexpr std::string_view kPreviousInfix = ".before-restore-";
// A folder found at D after the old store was already moved away (something recreated D during
// the swap) is kept as D.appeared-during-restore rather than blocking the restore for good.
inline constexpr std::string_view kAppearedInfix = ".appeared-during-restore";

// `data_dir` without trailing slashes; "" stays "".
std::string NormalizeDataDir(const std::string& data_dir);
std::string JournalPath(const std::string& data_dir);

// The restore lock of `data_dir`. Busy ("a restore into D is in progress") if held elsewhere and
// `wait` is false.
Result<FileLock> LockRestore(const std::string& data_dir, bool wait);

// Steps 1-5 above for `journal` (names relative to the parent of data_dir). `hook`, when set, is
// called with "restore:after_journal", "restore:after_move_old" and "restore:after_move_new".
// REQUIRES: the restore lock is held; the incoming directory is complete and verified.
Status SwapIntoPlace(const std::string& data_dir, const format::RestoreJournal& journal,
                     const std::function<void(std::string_view)>& hook);

// Completes an interrupted swap of `data_dir` if its journal exists. Returns true if it did,
// false if there was nothing to do (one stat). Busy while a restore holds the lock; Corruption if
// the journal is damaged or names directories that are all gone (the message says what to inspect).
Result<bool> RecoverInterruptedRestore(const std::string& data_dir);

}  // namespace roxi::storage
