// What every subcommand shares: the common options (--data-dir, --config, --json, --log-level,
// --help), parsing with Boost.Program_options (whose exceptions end here), and how results and
// errors are printed. With --json, stdout carries exactly one JSON document, errors included;
// errors also go to stderr as "roxi: error: <status>".
//
// Every option a command registers in options() can be given four ways; the first one present
// wins:
//   1. the command line: --batch-size 64;
//   2. the environment: ROXI_BATCH_SIZE=64 (the name upper-cased, '-' as '_'; an empty variable
//      counts as unset; ROXI_* variables that name no option of the command are ignored);
//   3. the config file: "batch-size = 64" in the file --config (or ROXI_CONFIG) names, which must
//      exist, else in <data-dir>/roxi.conf when that exists (config_sources.h has the syntax).
//      One file serves every command: keys that are other commands' options are passed over, a
//      key no command has is an error (config_keys.h); help, config and data-dir cannot be set
//      there;
//   4. the option's default.
// Options in hidden() (positional arguments) come from the command line only.
//
// Thread-safety: not thread-safe. Parse and ReloadConfig write the variables the options are
// bound to; they run on one thread while no other thread reads those variables.
#pragma once

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "format/status.h"
#include "src/cli/config_sources.h"
#include "src/cli/effective_option.h"
#include "storage/store.h"

namespace roxi::cli {

namespace po = boost::program_options;

struct CommonOptions {
  std::string data_dir;  // --data-dir, else ROXI_DATA_DIR
  std::string config;    // --config, else ROXI_CONFIG; "" means <data-dir>/roxi.conf if present
  bool json = false;
  std::string log_level = "warn";
  // Refuse a data directory or backup folder that group or others can reach, instead of warning.
  bool strict_permissions = false;
  // Files holding the HTTP API's keys (server_access.h): roxi serve demands them, the commands
  // that talk to a running server send them. "" : $ROXI_API_KEY, $ROXI_READ_API_KEY.
  std::string admin_key_file;
  std::string read_key_file;
  // PEM file of the CAs trusted for a server that speaks HTTPS; "" : plain HTTP.
  std::string server_ca_bundle;
};

// A parsed subcommand line.
class CommandLine {
 public:
  // `usage` is the synopsis line ("roxi ingest [options] PATH..."), `about` a paragraph on what the
  // command does. `options` gets the common options added.
  CommandLine(std::string name, std::string usage, std::string about);
  CommandLine(const CommandLine&) = delete;
  CommandLine& operator=(const CommandLine&) = delete;

  po::options_description& options() { return options_; }
  po::positional_options_description& positional() { return positional_; }
  // Options parsed but not shown in --help (positional argument holders).
  po::options_description& hidden() { return hidden_; }

  // Takes option `name` from the command line only, never from the environment or a config file:
  // for options that select what a command acts on (roxi delete --prefix), where a stray
  // ROXI_PREFIX or a line in roxi.conf must not change which documents go. REQUIRES: before Parse.
  void CommandLineOnly(const std::string& name) { command_line_only_.insert(name); }

  // Reading the environment and the config file is what Parse always does; this call only says
  // so where a command wants it stated. Idempotent.
  void EnableConfig() {}

  // Parses args, then the environment and the config file (see the top of this file), and sets
  // the log level. Returns an exit code when the command should end now, with the error printed
  // (after --help: 0; a usage or config error: 2; a config file that is missing although named,
  // or unreadable: 4), or nullopt to go on. REQUIRES: called once, after every option is added.
  std::optional<int> Parse(const std::vector<std::string>& args);

  // Parse without printing or setting the log level: OK, the error Parse would print, or OK with
  // *help set when --help was given (then nothing but the command line is read).
  // InvalidArgument for a bad flag, a bad value (naming the flag, variable or file and line) or
  // an unknown key in the config file; NotFound for a missing file named by --config or
  // ROXI_CONFIG; IOError for an unreadable config file. REQUIRES: called once.
  Status Read(const std::vector<std::string>& args, bool* help);

  // Reads the config file again (for SIGHUP in a daemon) and notifies the bound variables anew:
  // command line and environment values stay as they were parsed; file values replace earlier
  // file values; an option removed from the file gets its default back (an option with no
  // default keeps its value). The file is the one named by --config, or <data-dir>/roxi.conf if
  // it exists now. On any error nothing changes. Errors as Read for the config file, plus
  // InvalidArgument for a bad log-level. Sets the log level on success.
  // REQUIRES: a successful Parse or Read. Thread-safety: as the class; a daemon copies the bound
  // variables into its own options afterwards.
  Status ReloadConfig();

  // Every option in options() but --help, in registration order, with its value and source.
  // REQUIRES: a successful Parse or Read.
  std::vector<EffectiveOption> Effective() const;

  // The config file the values came from; "" when none was read.
  const std::string& config_file() const { return config_file_; }

  const po::variables_map& values() const { return values_; }
  const CommonOptions& common() const { return common_; }

  // Requires a data directory; InvalidArgument naming both ways to give one; IOError naming the
  // data directory when it, or a part of its path, exists and is not a directory.
  Result<std::string> DataDir() const;

  // Options to open the store of `data_dir` in `mode`, with the common options that concern it
  // (--strict-permissions) and its warnings logged.
  storage::StoreOptions StoreOptionsFor(const std::string& data_dir,
                                        storage::StoreOptions::Mode mode) const;

  // Prints `status` (stderr, and a JSON error document on stdout with --json); returns its exit
  // code.
  int Fail(const Status& status) const;
  // Prints the JSON document when --json, else `text`; returns 0.
  int Succeed(const nlohmann::json& document, const std::string& text) const;

 private:
  void PrintHelp() const;
  // The three steps of Read and ReloadConfig; none notifies. REQUIRES: flags_ is set.
  // Stores the parsed command line into *vm, recording "flag" sources.
  Status StoreFlags(po::variables_map* vm, std::map<std::string, std::string>* sources) const;
  // Stores the environment values Read saw, then the config file, then records "default" sources;
  // *file gets the config file read ("" for none).
  Status StoreSources(po::variables_map* vm, std::map<std::string, std::string>* sources,
                      std::string* file) const;
  // The entries of the config file that `vm` (flags and environment stored) points to (--config,
  // else <data-dir>/roxi.conf if it exists) that are options of this command. InvalidArgument
  // for a key no command has and for keys a file cannot set.
  Result<std::vector<SourcedOption>> ReadConfigEntries(const po::variables_map& vm,
                                                       std::string* file) const;

  std::string name_;
  std::string usage_;
  std::string about_;
  po::options_description options_;
  po::options_description hidden_;
  po::positional_options_description positional_;
  po::variables_map values_;
  CommonOptions common_;
  // Filled by Read. The parsed options keep pointers to the descriptions, hence the deleted copy.
  po::options_description all_;          // options_ and hidden_: the command line
  po::options_description environment_;  // options_ but --help
  po::options_description file_;         // options_ but --help, --config, --data-dir
  std::optional<po::parsed_options> flags_;
  std::vector<SourcedOption> environment_values_;
  std::string config_file_;
  std::map<std::string, std::string> sources_;  // option name -> "flag", "env ...", ...
  std::set<std::string> command_line_only_;
};


}  // namespace roxi::cli
