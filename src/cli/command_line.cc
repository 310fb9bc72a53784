#include "src/cli/command_line.h"

#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "src/cli/exit_code.h"
#include "src/common/log.h"

namespace roxi::cli {

CommandLine::CommandLine(std::string name, std::string usage, std::string about)
    : name_(std::move(name)),
      usage_(std::move(usage)),
      about_(std::move(about)),
      options_("Options"),
      hidden_("Hidden") {
  options_.add_options()
      ("data-dir,d", po::value<std::string>(&common_.data_dir),
       "data directory holding the store (default: $ROXI_DATA_DIR)")
      ("json", po::bool_switch(&common_.json), "print one JSON document on stdout")
      ("log-level", po::value<std::string>(&common_.log_level)->default_value("warn"),
       "stderr log level: debug, info, warn, error, off")
      ("help,h", "show this help");
}

std::optional<int> CommandLine::Parse(const std::vector<std::string>& args) {
  try {
    po::options_description all;
    all.add(options_).add(hidden_);
    po::store(po::command_line_parser(args).options(all).positional(positional_).run(), values_);
    if (values_.count("help")) {
      PrintHelp();
      return kExitOk;
    }
    po::notify(values_);
  } catch (const std::exception& e) {
    // --json may not have been parsed; look for it by hand so the error document still appears.
    for (const auto& a : args) common_.json = common_.json || a == "--json";
    return Fail(Status::InvalidArgument("roxi " + name_, std::string(e.what()) +
                                                            " (see 'roxi " + name_ + " --help')"));
  }
  auto level = common::ParseLogLevel(common_.log_level);
  if (!level.ok()) return Fail(level.status().WithContext("--log-level"));
  common::SetLogLevel(*level);
  if (common_.data_dir.empty()) {
    if (const char* env = std::getenv("ROXI_DATA_DIR")) common_.data_dir = env;
  }
  return std::nullopt;
}

Result<std::string> CommandLine::DataDir() const {
  if (common_.data_dir.empty()) {
    return Status::InvalidArgument("data directory", "not set: give --data-dir DIR or set ROXI_DATA_DIR");
  }
  return common_.data_dir;
}

void CommandLine::PrintHelp() const {
  std::cout << "Usage: " << usage_ << "\n\n" << about_ << "\n\n" << options_ << "\n"
            << ExitCodeHelp();
}

int CommandLine::Fail(const Status& status) const {
  const int code = ExitCodeFor(status);
  std::cerr << "roxi: error: " << status.ToString() << "\n";
  if (common_.json) {
    nlohmann::json doc = {{"ok", false},
                          {"error",
                           {{"code", std::string(Status::CodeName(status.code()))},
                            {"message", std::string(status.message())}}},
                          {"exit_code", code}};
    std::cout << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  }
  return code;
}

int CommandLine::Succeed(const nlohmann::json& document, const std::string& text) const {
  if (common_.json) {
    nlohmann::json doc = document;
    doc["ok"] = true;
    std::cout << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  } else {
    std::cout << text;
  }
  std::cout.flush();
  return kExitOk;
}

std::string HumanBytes(uint64_t bytes) {
  const char* units[] = {"B", "KB", "MB", "GB", "TB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1000.0 && unit < 4) {
    value /= 1000.0;
    ++unit;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, unit == 0 ? "%.0f %s" : "%.1f %s", value, units[unit]);
  return buf;
}

}  // namespace roxi::cli
