#include "src/cli/cli.h"

#include <cstring>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "src/cli/commands.h"
#include "src/cli/exit_code.h"
#include "src/common/build_info.h"
#include "src/embedders/http_global.h"

namespace roxi::cli {

namespace {

struct Subcommand {
  const char* name;
  const char* summary;
  int (*run)(const CommandArgs&);
};


constexpr Subcommand kSubcommands[] = {
    {"ingest", "add files, folders or standard input to the queue", RunIngest},
    {"process", "embed queued chunks (until done or to a --target)", RunProcess},
    {"reembed", "re-embed every chunk with a new embedder, searches going on", RunReembed},
    {"search", "find the chunks most similar to a query", RunSearch},
    {"documents", "list documents with their chunks by state", RunDocuments},
    {"delete", "delete documents by name or --prefix", RunDelete},
    {"status", "counts, progress, store size and embedder", RunStatus},
    {"config", "show the effective configuration and where each value comes from", RunConfig},
    {"serve", "run the background processor daemon for a data directory", RunServe},
    {"sleep", "put a running server into deep sleep", RunSleep},
    {"wake", "wake a running server", RunWake},
    {"backup", "archive the store; 'backup list', 'backup prune'", RunBackup},
    {"restore", "replace the store with an archive's, atomically", RunRestore},
    {"verify", "check the store or an archive, listing every problem", RunVerify},
    {"bench", "measure this machine and recommend batch size, index and memory", RunBench},
};

void PrintUsage(std::ostream& out) {
  out << "Usage: roxi <command> [options]\n\n"
         "roxi turns a data directory into a self-maintaining semantic index.\n\n"
         "Commands:\n";
  for (const auto& c : kSubcommands) {
    std::string name = c.name;
    name.resize(10, ' ');
    out << "  " << name << c.summary << "\n";
  }
  out << "\nEvery command takes --data-dir DIR (or $ROXI_DATA_DIR), --json and --help.\n"
         "roxi --version prints the version.\n\n"
      << ExitCodeHelp();
}

}  // namespace

int Main(int argc, char** argv) {
  try {
    if (argc < 2) {
      PrintUsage(std::cerr);
      return kExitUsage;
    }
    const std::string first = argv[1];
    if (first == "--help" || first == "-h" || first == "help") {
      PrintUsage(std::cout);
      return kExitOk;
    }
    if (first == "--version" || first == "version") {
      std::cout << "roxi " << ROXI_VERSION << " (commit " << common::BuildCommit() << ")\n"
                << embedders::HttpClientVersion() << "\n";
      return kExitOk;
    }
    const CommandArgs args(argv + 2, argv + argc);
    for (const auto& c : kSubcommands) {
      if (first == c.name) return c.run(args);
    }
    std::cerr << "roxi: error: unknown command '" << first << "' (see 'roxi --help')\n";
    return kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "roxi: error: internal: " << e.what() << "\n";
    return kExitInternal;
  } catch (...) {
    std::cerr << "roxi: error: internal: unknown exception\n";
    return kExitInternal;
  }
}

}  // namespace roxi::cli
