// Option values from outside the command line: ROXI_* environment variables and the config file
// ("key = value" lines). Boost.Program_options parses both (po::parse_environment,
// po::parse_config_file); this file adds what Boost does not report: the variable or file line
// each value came from, so that every error names its source and 'roxi config --effective' can
// show it.
//
// Thread-safety: ReadEnvironmentOptions reads the process environment and must not race with
// setenv; the other functions touch only their arguments (ReadConfigFile reads one file).
#pragma once

#include <boost/program_options.hpp>

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "format/status.h"

namespace roxi::cli {

namespace po = boost::program_options;

// One option value read from the environment or a config file.
struct SourcedOption {
  enum class Origin { kEnvironment, kFile };
  Origin origin = Origin::kEnvironment;
  std::string where;  // the variable name (ROXI_BATCH_SIZE) or the file path
  int line = 0;       // 1-based line in the file; 0 for the environment
  // string_key: the option name; value: its one token; unregistered: the name is not an option of
  // the description the file was read with.
  po::option option;
};

// "env ROXI_BATCH_SIZE" or "file /var/lib/roxi/roxi.conf".
std::string SourceName(const SourcedOption& entry);

// "ROXI_" + the option name upper-cased with '-' as '_': "batch-size" -> "ROXI_BATCH_SIZE".
std::string EnvironmentVariableFor(std::string_view option_name);

// Reads ROXI_<NAME> for every long option name of `desc`, through po::parse_environment. An empty
// variable counts as unset; every other variable, other ROXI_* ones included, is ignored.
std::vector<SourcedOption> ReadEnvironmentOptions(const po::options_description& desc);

// Reads the config file `path` through po::parse_config_file: one "key = value" per line, spaces
// around both trimmed, '#' starts a comment that runs to the end of the line (inside a value too),
// blank lines are skipped, values are taken verbatim (quotes are not removed). A key `desc` does
// not have comes back with option.unregistered set, for the caller to name. Returns the entries in
// file order, each with its line.
// NotFound when `path` does not exist; IOError naming it when it cannot be read (a directory, no
// permission); InvalidArgument "config file <path>: line N: ..." for a line that is not
// "key = value" or has an empty key, and for a file larger than 1 MiB.
Result<std::vector<SourcedOption>> ReadConfigFile(const std::string& path,
                                                  const po::options_description& desc);

// po::store of `entries` into *vm, one option name at a time so that an error names its source:
// InvalidArgument "config file <path>: bad value 'abc' for batch-size (line 3)",
// "environment variable ROXI_BATCH_SIZE: bad value 'abc' for batch-size", or
// "config file <path>: batch-size given more than once (lines 2, 5)". An option already named in
// *sources (set by a stronger source) is validated but not stored, so the stronger value stays;
// every option stored gets its source recorded in *sources. Nothing is notified.
// REQUIRES: every entry's option is registered in `desc`.
Status StoreSourcedOptions(const std::vector<SourcedOption>& entries,
                           const po::options_description& desc, po::variables_map* vm,
                           std::map<std::string, std::string>* sources);

// True when `stored` holds an unsigned number and one of `tokens` is negative: Boost parses "-1"
// for an unsigned option as its largest value instead of refusing it.
bool IsNegativeForUnsigned(const po::variable_value& stored,
                           const std::vector<std::string>& tokens);

}  // namespace roxi::cli
