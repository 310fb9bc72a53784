// What every subcommand shares: the common options (--data-dir, --json, --log-level, --help),
// parsing with Boost.Program_options (whose exceptions end here), and how results and errors are
// printed. With --json, stdout carries exactly one JSON document, errors included; errors also go
// to stderr as "roxi: error: <status>".
//
// Thread-safety: used by the main thread only.
#pragma once

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "format/status.h"

namespace roxi::cli {

namespace po = boost::program_options;

struct CommonOptions {
  std::string data_dir;  // --data-dir, else ROXI_DATA_DIR
  bool json = false;
  std::string log_level = "warn";
};

// A parsed subcommand line.
class CommandLine {
 public:
  // `usage` is the synopsis line ("roxi ingest [options] PATH..."), `about` a paragraph on what the
  // command does. `options` gets the common options added.
  CommandLine(std::string name, std::string usage, std::string about);

  po::options_description& options() { return options_; }
  po::positional_options_description& positional() { return positional_; }
  // Options parsed but not shown in --help (positional argument holders).
  po::options_description& hidden() { return hidden_; }

  // Parses args. Returns an exit code when the command should end now (after --help: 0; after a
  // usage error: 2, with the message printed), or nullopt to go on.
  std::optional<int> Parse(const std::vector<std::string>& args);

  const po::variables_map& values() const { return values_; }
  const CommonOptions& common() const { return common_; }

  // Requires a data directory; InvalidArgument naming both ways to give one.
  Result<std::string> DataDir() const;

  // Prints `status` (stderr, and a JSON error document on stdout with --json); returns its exit code.
  int Fail(const Status& status) const;
  // Prints the JSON document when --json, else `text`; returns 0.
  int Succeed(const nlohmann::json& document, const std::string& text) const;

 private:
  void PrintHelp() const;

  std::string name_;
  std::string usage_;
  std::string about_;
  po::options_description options_;
  po::options_description hidden_;
  po::positional_options_description positional_;
  po::variables_map values_;
  CommonOptions common_;
};

// "12.3 MB"-style sizes for human output.
std::string HumanBytes(uint64_t bytes);

}  // namespace roxi::cli
