// The embedder flags shared by every subcommand that embeds (process, search): which embedder to
// build, its settings, and how it is checked against the one the store was built with.
//
//   --embedder SPEC            builtin (default) | static:PATH | openai:URL
//   --dimensions N             builtin: 8..4096 (default 384); openai: asks the server for N
//   --model NAME               openai: the model (required)
//   --ca-bundle FILE           openai over https: trusted CAs (else $ROXI_CA_BUNDLE, ...)
//   --timeout-ms N, --connect-timeout-ms N, --requests-in-flight N, --max-requests-per-minute N,
//   --max-tokens-per-minute N, --max-batch-inputs N, --max-batch-bytes N, --max-input-tokens N,
//   --oversize truncate|split, --max-retries N            openai: see OpenAiEmbedderOptions
//   --pooling sif|mean         static: see StaticEmbedder
// The API key of an openai embedder comes from $ROXI_EMBEDDER_API_KEY only: a flag would show it
// in `ps` and shell history. It is never logged and never stored.
//
// How the settings travel: AddEmbedderOption stores, in the one string it is given, the spec
// followed by every other embedder flag the user set ("<spec>\0<flag>=<value>\0..."; a command
// line argument cannot contain \0); OpenEmbedderFor reads them back. Treat the string as opaque;
// a plain spec such as "builtin" or "openai:http://127.0.0.1:11434/v1" works too. This keeps
// every subcommand's code to one string, whatever flags embedders grow.
//
// Thread-safety: used by the main thread only.
#pragma once

#include <memory>
#include <set>
#include <string>

#include "format/status.h"
#include "src/cli/command_line.h"
#include "src/embedders/embedder.h"
#include "src/embedders/embedder_factory.h"
#include "storage/store.h"

namespace roxi::cli {

// Adds --embedder and the settings above to `options` (as an "Embedder options" group), storing
// them in *spec once the command line is notified. Settings named in `leave_out` are not added
// (a command that gives one of those names another meaning, as `roxi bench` does with
// --requests-in-flight, sets it itself).
void AddEmbedderOption(po::options_description* options, std::string* spec,
                       const std::set<std::string>& leave_out = {});

// The embedder settings `spec` (from AddEmbedderOption, or a plain spec) describe, with the API
// key from $ROXI_EMBEDDER_API_KEY. InvalidArgument naming the flag for a malformed value or a flag
// that does not apply to the embedder's kind (e.g. --model with builtin).
Result<embedders::EmbedderOptions> ParseEmbedderSpec(const std::string& spec);

// The identity of the vectors the embedder `spec` names would make: the embedder is built (as
// OpenEmbedderFor builds it, with its errors) and dropped. What `roxi search` sends a running
// server, which refuses a mismatch as OpenEmbedderFor does.
Result<format::EmbedderRecord> EmbedderIdentityFor(const std::string& spec);

// Builds the embedder `spec` names and binds the store to it (records it on first use; refuses a
// store built with another embedder, InvalidArgument naming both). An openai embedder without
// --dimensions asks its server once, here, for the model's dimension: Unavailable or TimedOut when
// it cannot be reached.
Result<std::unique_ptr<embedders::Embedder>> OpenEmbedderFor(storage::Store* store,
                                                             const std::string& spec);

}  // namespace roxi::cli
