// Main: the roxi command dispatcher. Finds the subcommand, runs it, and maps everything that could
// escape (exceptions included) to an exit code.
#pragma once

namespace roxi::cli {

int Main(int argc, char** argv);

}  // namespace roxi::cli
