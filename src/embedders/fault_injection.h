// Fault injection for tests of the processor and daemon, driven by environment variables so the
// real binary can be exercised end to end:
//   ROXI_TEST_EMBEDDER_REJECT=<marker>    every text containing <marker> is rejected
//                                         (InvalidArgument "rejected by test fault injection")
//   ROXI_TEST_EMBEDDER_OUTAGE_FILE=<path> while <path> exists, every batch fails with Unavailable,
//                                         as if the embedding service were down
// Without them WithInjectedFaults returns the embedder unchanged, so production pays nothing.
//
// Thread-safety: the wrapper is as thread-safe as the embedder it wraps.
#pragma once

#include <memory>

#include "src/embedders/embedder.h"

namespace roxi::embedders {

std::unique_ptr<Embedder> WithInjectedFaults(std::unique_ptr<Embedder> embedder);

}  // namespace roxi::embedders
