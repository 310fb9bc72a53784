// The --embedder flag shared by every subcommand that embeds (process, search): which embedder to
// build and how it is checked against the one the store was built with.
#pragma once

#include <memory>
#include <string>

#include "format/status.h"
#include "src/cli/command_line.h"
#include "src/embedders/embedder.h"
#include "storage/store.h"

namespace roxi::cli {

// Adds --embedder to `options`, storing the spec in *spec.
void AddEmbedderOption(po::options_description* options, std::string* spec);

// Builds the embedder `spec` names and binds the store to it (records it on first use; refuses a
// store built with another embedder, InvalidArgument naming both).
Result<std::unique_ptr<embedders::Embedder>> OpenEmbedderFor(storage::Store* store,
                                                             const std::string& spec);

}  // namespace roxi::cli
