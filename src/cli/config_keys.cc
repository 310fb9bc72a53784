#include "src/cli/config_keys.h"

#include "src/cli/command_line.h"
#include "src/cli/serve_options.h"

namespace roxi::cli {

const std::set<std::string>& KnownConfigKeys() {
  static const std::set<std::string>* const keys = [] {
    // clang-format off
    auto* set = new std::set<std::string>{
        "data-dir", "config", "json", "log-level", "help", "strict-permissions",     // common
        "admin-key-file", "read-key-file", "server-ca-bundle",
        "id", "chunk-size", "chunk-max", "chunk-overlap", "max-document-size",       // ingest
        "batch-size", "target", "until-done", "max-attempts", "retry-failed", "quiet",
        "give-up-after", "embedder", "reembed",                                      // process
        "cancel",                                                                    // reembed
        "k", "min-score", "snippet-bytes",                                           // search
        "effective",                                                                 // config
        "deep",                                                                      // sleep
        "watch",                                                                     // status
        "to", "level", "threads", "full", "keep-last", "keep-daily", "keep-weekly",
        "dry-run",                                                                   // backup
        "force", "discard-old", "stop-server",                                       // restore
        "archive", "deep", "no-rocksdb-checksums",                                   // verify
        "chunks", "corpus", "batch-sizes", "index", "memory-limit", "repeat",
        "write-config"};                                                             // bench
    // roxi delete and roxi documents take their options from the command line only.
    // clang-format on
    ServeFlags flags;
    po::options_description serve;
    AddServeOptions(&serve, &flags);
    for (const auto& option : serve.options()) set->insert(option->long_name());
    return set;
  }();
  return *keys;
}

}  // namespace roxi::cli
