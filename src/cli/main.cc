// The roxi binary: process-wide set-up that must happen exactly once, then the command dispatcher.
#include <cstdio>

#include "src/cli/cli.h"
#include "src/cli/exit_code.h"
#include "src/embedders/http_global.h"
#include "storage/file_privacy.h"

int main(int argc, char** argv) {
  // Everything roxi creates holds or reveals the user's documents: owner-only, whatever umask the
  // shell or service manager left (storage/file_privacy.h).
  roxi::storage::SetOwnerOnlyUmask();
  // libcurl's global state is initialised here, before any thread exists, as its manual requires.
  if (roxi::Status s = roxi::embedders::InitHttpGlobal(); !s.ok()) {
    std::fprintf(stderr, "roxi: error: %s\n", s.ToString().c_str());
    return roxi::cli::kExitInternal;
  }
  return roxi::cli::Main(argc, argv);
}
