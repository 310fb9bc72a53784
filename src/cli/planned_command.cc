// serve: named now so that scripts and --help see the whole command set, and refused with a clear
// message until its milestone lands.
#include "src/cli/command_line.h"
#include "src/cli/commands.h"

namespace roxi::cli {

int RunPlanned(const std::string& name, const CommandArgs& args) {
  CommandLine cl(name, "roxi " + name + " [options]",
                 "Not built yet in this version of roxi.");
  if (auto exit = cl.Parse(args)) return *exit;
  return cl.Fail(Status::NotSupported("roxi " + name, "not built yet in roxi " ROXI_VERSION));
}

}  // namespace roxi::cli
