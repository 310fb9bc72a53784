// The re-embed behind `roxi reembed` and `roxi process --reembed`: both parse the same embedder
// options and then hand over here.
//
// Thread-safety: used by the main thread only.
#pragma once

#include <cstddef>
#include <string>

#include "src/cli/command_line.h"

namespace roxi::cli {

struct ReembedRequest {
  std::string embedder_spec;  // the new embedder, as AddEmbedderOption packs it
  size_t batch_size = 256;
  bool cancel = false;        // drop the re-embed in progress instead
  bool quiet = false;
};

// Re-embeds the store of cl's data directory with the new embedder in the foreground, until the
// swap (progress on stderr; Ctrl-C stops after the batch in flight, and a rerun resumes), and
// returns the exit code. While `roxi serve` owns the directory, asks it to re-embed in the
// background (POST /v1/reembed) and follows its progress until the swap.
int RunReembedRequest(const CommandLine& cl, const ReembedRequest& request);

}  // namespace roxi::cli
