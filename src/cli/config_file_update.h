// Writing settings into a roxi.conf (the format of config_sources.h) the way a person would edit
// it: every other line (comments, blank lines, other keys, their order) stays as it is. What
// `roxi bench --write-config` uses to record the settings it recommends.
//
// Thread-safety: reentrant; two writers of one file at once are not coordinated.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "format/status.h"

namespace roxi::cli {

// The text of config file `current` (may be empty) with each (key, value) of `settings` set: the
// first line holding the key gets "key = value" (a comment at its end is kept), later lines
// holding it are removed (a file may give a key once), and keys no line holds are appended at the
// end, in the order given. Lines are compared by key, so "batch-size=8  # old" is replaced.
std::string UpdateConfigText(const std::string& current,
                             const std::vector<std::pair<std::string, std::string>>& settings);

// Applies UpdateConfigText to the file at `path` (created when missing, owner-only) and writes it
// durably: <path>.tmp, fsync, rename over `path`, fsync the folder, so a crash leaves the old file
// or the new one. IOError naming the path when it cannot be read or written (a missing folder
// included); InvalidArgument for a file over 1 MiB (no config file is that large).
Status UpdateConfigFile(const std::string& path,
                        const std::vector<std::pair<std::string, std::string>>& settings);

}  // namespace roxi::cli
