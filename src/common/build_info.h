// What the binary was built from, for `roxi --version`. The definition is generated at build time
// (tools/cmake/WriteBuildInfo.cmake), in a file of its own, so that a new commit recompiles one
// file only.
//
// Thread-safety: thread-safe (a constant).
#pragma once

namespace roxi::common {

// The git commit of the source tree, abbreviated to 12 hex digits, with "-dirty" when tracked files
// had uncommitted changes; "unknown" when built outside a git checkout.
const char* BuildCommit();

}  // namespace roxi::common
