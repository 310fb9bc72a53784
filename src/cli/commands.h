// The subcommands of the roxi binary. Each takes the arguments after its name and returns the
// process exit code (src/cli/exit_code.h); none throws.
#pragma once

#include <string>
#include <vector>

namespace roxi::cli {

using CommandArgs = std::vector<std::string>;

int RunIngest(const CommandArgs& args);
int RunProcess(const CommandArgs& args);
int RunSearch(const CommandArgs& args);
int RunStatus(const CommandArgs& args);
int RunConfig(const CommandArgs& args);
int RunServe(const CommandArgs& args);
int RunSleep(const CommandArgs& args);
int RunWake(const CommandArgs& args);
// backup, restore, verify: later milestones.
int RunPlanned(const std::string& name, const CommandArgs& args);

}  // namespace roxi::cli
