#include "src/cli/exit_code.h"

namespace roxi::cli {

int ExitCodeFor(const Status& status) {
  switch (status.code()) {
    case Status::Code::kOk: return kExitOk;
    case Status::Code::kInvalidArgument:
    case Status::Code::kNotSupported: return kExitUsage;
    case Status::Code::kCorruption: return kExitCorruption;
    case Status::Code::kIOError:
    case Status::Code::kNotFound: return kExitIO;
    case Status::Code::kBusy: return kExitLocked;
    case Status::Code::kUnavailable:
    case Status::Code::kTimedOut: return kExitEmbedder;
    case Status::Code::kAborted: return kExitInterrupted;
    case Status::Code::kInternal: return kExitInternal;
  }
  return kExitInternal;
}

std::string_view ExitCodeHelp() {
  return "Exit codes:\n"
         "  0    success\n"
         "  1    internal error (a bug: please report it)\n"
         "  2    usage or configuration error (bad flag, bad input, wrong embedder)\n"
         "  3    corruption found in the store\n"
         "  4    I/O error, missing path or store, disk full\n"
         "  5    data directory locked by another roxi process\n"
         "  6    embedder unavailable or timed out\n"
         "  130  interrupted\n";
}

}  // namespace roxi::cli
