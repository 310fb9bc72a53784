// The one mapping from Status to the process exit code, documented in every --help and the README:
//   0 ok; 1 internal error; 2 usage or configuration; 3 corruption found; 4 I/O error or missing
//   path; 5 data directory locked by another process; 6 embedder unavailable or timed out;
//   130 interrupted.
//
// Thread-safety: pure functions.
#pragma once

#include <string_view>

#include "format/status.h"

namespace roxi::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitInternal = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitCorruption = 3;
inline constexpr int kExitIO = 4;
inline constexpr int kExitLocked = 5;
inline constexpr int kExitEmbedder = 6;
inline constexpr int kExitInterrupted = 130;

int ExitCodeFor(const Status& status);

// The table above as help text.
std::string_view ExitCodeHelp();

}  // namespace roxi::cli
