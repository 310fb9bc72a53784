// Owner-only files. A roxi store holds the full text of its user's documents, and so do its backups
// and logs: everything roxi creates is readable and writable by its owner only (folders 0700, files
// 0600), whatever umask the process was started with, as PostgreSQL demands of its data directory
// and ssh of a private key. This file holds the checks and changes of file modes; the policy (what
// is warned about, tightened or refused) is applied by Store::Open and the backup writer.
//
// Thread-safety: every function is thread-safe, except SetOwnerOnlyUmask (process-wide state).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "format/status.h"

namespace roxi::storage {

inline constexpr mode_t kPrivateDirMode = 0700;
inline constexpr mode_t kPrivateFileMode = 0600;
// The mode bits that let someone other than the owner read, write or enter.
inline constexpr mode_t kGroupOtherBits = 0077;

// Sets the process umask to 0077, so every file and folder the process creates, RocksDB's and the
// logger's included, is owner-only. Call once at start, before any thread exists.
void SetOwnerOnlyUmask();

// Creates `path` and each missing parent with mode 0700 (not widened by any umask). Existing
// folders are left as they are. IOError naming the folder that could not be created;
// InvalidArgument if a component exists and is not a folder (naming it).
Status CreatePrivateDirectories(const std::string& path);

// Like CreatePrivateDirectories for `root`/`relative`, but `root` itself must already exist: it is
// never created. A reader uses this for its scratch folder inside a data directory, so that it
// cannot bring back a directory a restore has just moved away. NotFound naming `root` if it is
// missing.
Status CreatePrivateDirectoriesUnder(const std::string& root, const std::string& relative);

// The permission bits of `path` (not following a final symlink); nullopt if it does not exist.
// IOError if it cannot be examined.
Result<std::optional<mode_t>> ModeOf(const std::string& path);

// True if group or others have any access bit on `mode`.
inline bool IsExposed(mode_t mode) { return (mode & kGroupOtherBits) != 0; }

// "0755": the permission bits as chmod takes them.
std::string FormatMode(mode_t mode);

// The message for a folder that group or others can reach: "<what> <path> can be read by group or
// others (mode 0755): run chmod 700 <path>".
std::string ExposedFolderMessage(const std::string& what, const std::string& path, mode_t mode);

// Removes the group and other bits from `root` and from every file and folder below it. Symbolic
// links are neither followed nor changed. Returns how many entries were changed. IOError naming the
// first entry that could not be examined or changed; entries that vanish meanwhile are skipped.
Result<uint64_t> TightenTree(const std::string& root);

// As TightenTree for the regular files directly inside `folder` (not below) and the folder itself.
Result<uint64_t> TightenFolderFiles(const std::string& folder);

// What securing a folder found and did, for the caller to log (storage does not log).
struct FolderPrivacy {
  std::vector<std::string> warnings;  // one line each, naming the folder and the fix
  uint64_t tightened = 0;             // entries made owner-only
};

// The owner-only policy for a data directory, applied before its store is opened:
//  - missing: nothing to do (the store creates it 0700);
//  - group or others can reach it: with `strict`, InvalidArgument naming it and the fix, before
//    anything is written; else a warning;
//  - its db/ folder is exposed too, so an older roxi wrote it (this one makes db/ 0700): with
//    `read_write`, the whole directory is made owner-only, itself included, and one warning says
//    how many entries changed; read-only, a warning says the next read-write open will.
// IOError if a mode cannot be read or changed.
Result<FolderPrivacy> SecureDataDir(const std::string& data_dir, bool read_write, bool strict);

// The same policy for a backup folder about to be written: exposed with `strict` is refused; an
// exposed folder whose archives are exposed too (an older roxi's) has the folder and its files
// made owner-only; else a warning.
Result<FolderPrivacy> SecureBackupFolder(const std::string& folder, bool strict);

// Reads a secret (an API key) from `path`: the file's content with trailing white space removed.
// Refused, like ssh refuses a private key others can read, with InvalidArgument naming the file
// and the fix (chmod 600) when group or others have any access to it; NotFound if it does not
// exist; InvalidArgument if it is not a regular file, is empty, or is larger than 64 KiB;
// IOError if it cannot be read. `what` names the option ("--api-key-file").
Result<std::string> ReadSecretFile(const std::string& what, const std::string& path);

}  // namespace roxi::storage
