// The keys a config file may hold. One roxi.conf serves every command: each command applies the
// keys that are its own options and passes over the keys of other commands (batch-size means
// nothing to 'roxi status'), while a key that no command has is an error, so that a typo cannot
// pass silently.
//
// The serve options come from AddServeOptions, so they never drift; the other commands register
// their options inside their Run functions, so their names are listed here, and
// tests/cli/config_test.cc checks the list against every command's --help.
//
// Thread-safety: thread-safe; the set is built once, on first use, and never changes.
#pragma once

#include <set>
#include <string>

namespace roxi::cli {

// Every option name of every roxi command, common options included.
const std::set<std::string>& KnownConfigKeys();

}  // namespace roxi::cli
