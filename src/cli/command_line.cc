#include "src/cli/command_line.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "src/cli/config_keys.h"
#include "src/cli/exit_code.h"
#include "src/common/log.h"

namespace roxi::cli {

namespace {

// Why a config file cannot set `key`: only the command line may, or no command has it.
std::string RefusedInFile(const std::string& key) {
  if (key == "data-dir") {
    return "data-dir cannot be set in a config file (give --data-dir or ROXI_DATA_DIR)";
  }
  if (key == "config") return "config cannot be set in a config file";
  if (key.find('.') != std::string::npos) {
    return "unknown option '" + key + "': sections are not supported";
  }
  return "unknown option '" + key + "'";
}

// A data directory that names something other than a folder is refused as such (an unusable
// path, as one under a file), before any file in it (roxi.conf, roxi.server, the store) is looked
// for and blamed instead.
Status CheckDataDirPath(const std::string& data_dir) {
  struct stat st {};
  if (::stat(data_dir.c_str(), &st) == 0) {
    if (!S_ISDIR(st.st_mode)) {
      return Status::IOError("data directory " + data_dir, "exists and is not a directory");
    }
  } else if (errno == ENOTDIR) {
    return Status::IOError("data directory " + data_dir, "a part of the path is not a directory");
  }
  return Status::OK();
}

// A bad command line, pointing at the command's --help.
Status UsageError(const std::string& command, const std::string& detail) {
  return Status::InvalidArgument("roxi " + command,
                                 detail + " (see 'roxi " + command + " --help')");
}

}  // namespace

CommandLine::CommandLine(std::string name, std::string usage, std::string about)
    : name_(std::move(name)),
      usage_(std::move(usage)),
      about_(std::move(about)),
      options_("Options"),
      hidden_("Hidden") {
  // clang-format off
  options_.add_options()
      ("data-dir,d", po::value<std::string>(&common_.data_dir),
       "data directory holding the store (default: $ROXI_DATA_DIR)")
      ("config", po::value<std::string>(&common_.config),
       "config file (default: <data-dir>/roxi.conf when it exists)")
      ("json", po::bool_switch(&common_.json), "print one JSON document on stdout")
      ("log-level", po::value<std::string>(&common_.log_level)->default_value("warn"),
       "log level: debug, info, warn, error, off")
      ("strict-permissions", po::bool_switch(&common_.strict_permissions),
       "refuse a data directory or backup folder that group or others can read (default: warn)")
      ("admin-key-file", po::value<std::string>(&common_.admin_key_file),
       "file holding the HTTP API's admin key: roxi serve demands it, other commands send it to "
       "the server (default: $ROXI_API_KEY)")
      ("read-key-file", po::value<std::string>(&common_.read_key_file),
       "file holding the API's read-only key (search, status, documents, metrics) "
       "(default: $ROXI_READ_API_KEY)")
      ("server-ca-bundle", po::value<std::string>(&common_.server_ca_bundle),
       "PEM file of the CAs to trust for a roxi serve speaking HTTPS (--tls-cert)")
      ("help,h", "show this help");
  // clang-format on
}

std::optional<int> CommandLine::Parse(const std::vector<std::string>& args) {
  bool help = false;
  Status status = Read(args, &help);
  if (!status.ok()) {
    // --json may not have been stored; look for it by hand so the error document still appears.
    auto json = values_.find("json");
    common_.json = json != values_.end() && !json->second.empty() && json->second.as<bool>();
    for (const auto& a : args) common_.json = common_.json || a == "--json";
    return Fail(status);
  }
  if (help) {
    PrintHelp();
    return kExitOk;
  }
  auto level = common::ParseLogLevel(common_.log_level);
  if (!level.ok()) {
    const auto source = sources_.find("log-level");
    const bool flag = source == sources_.end() || source->second == "flag";
    return Fail(
        level.status().WithContext(flag ? "--log-level" : "log-level (" + source->second + ")"));
  }
  common::SetLogLevel(*level);
  return std::nullopt;
}

Status CommandLine::Read(const std::vector<std::string>& args, bool* help) {
  *help = false;
  all_.add(options_).add(hidden_);
  for (const auto& option : options_.options()) {
    const std::string& name = option->long_name();
    if (name == "help" || command_line_only_.count(name) > 0) continue;
    environment_.add(option);
    if (name != "config" && name != "data-dir") file_.add(option);
  }
  try {
    flags_.emplace(po::command_line_parser(args).options(all_).positional(positional_).run());
  } catch (const std::exception& e) {
    return UsageError(name_, e.what());
  }
  po::variables_map vm;
  std::map<std::string, std::string> sources;
  std::string file;
  Status status = StoreFlags(&vm, &sources);
  if (status.ok() && vm.count("help")) {
    *help = true;
    return Status::OK();
  }
  if (status.ok()) {
    environment_values_ = ReadEnvironmentOptions(environment_);
    status = StoreSources(&vm, &sources, &file);
  }
  values_ = std::move(vm);
  if (!status.ok()) return status;
  try {
    po::notify(values_);
  } catch (const std::exception& e) {
    return Status::InvalidArgument("roxi " + name_, e.what());
  }
  sources_ = std::move(sources);
  config_file_ = std::move(file);
  return Status::OK();
}

Status CommandLine::ReloadConfig() {
  if (!flags_) return Status::Internal("reload config", "the command line was not parsed");
  po::variables_map vm;
  std::map<std::string, std::string> sources;
  std::string file;
  ROXI_RETURN_IF_ERROR(StoreFlags(&vm, &sources));
  ROXI_RETURN_IF_ERROR(StoreSources(&vm, &sources, &file));
  common::LogLevel level = common::GetLogLevel();
  if (auto it = vm.find("log-level"); it != vm.end() && !it->second.empty()) {
    auto parsed = common::ParseLogLevel(it->second.as<std::string>());
    if (!parsed.ok()) {
      return parsed.status().WithContext("log-level (" + sources["log-level"] + ")");
    }
    level = *parsed;
  }
  try {
    po::notify(vm);
  } catch (const std::exception& e) {
    return Status::InvalidArgument("roxi " + name_, e.what());
  }
  values_ = std::move(vm);
  sources_ = std::move(sources);
  config_file_ = std::move(file);
  common::SetLogLevel(level);
  return Status::OK();
}

Status CommandLine::StoreFlags(po::variables_map* vm,
                               std::map<std::string, std::string>* sources) const {
  try {
    po::store(*flags_, *vm);
  } catch (const std::exception& e) {
    return UsageError(name_, e.what());
  }
  for (const po::option& option : flags_->options) {
    const std::string& key = option.string_key;
    if (key.empty() || vm->count(key) == 0) continue;
    if (IsNegativeForUnsigned((*vm)[key], option.value)) {
      return Status::InvalidArgument("roxi " + name_,
                                     "bad value '" + option.value.front() + "' for --" + key);
    }
    (*sources)[key] = "flag";
  }
  return Status::OK();
}

Status CommandLine::StoreSources(po::variables_map* vm, std::map<std::string, std::string>* sources,
                                 std::string* file) const {
  ROXI_RETURN_IF_ERROR(StoreSourcedOptions(environment_values_, environment_, vm, sources));
  ROXI_ASSIGN_OR_RETURN(std::vector<SourcedOption> entries, ReadConfigEntries(*vm, file));
  ROXI_RETURN_IF_ERROR(StoreSourcedOptions(entries, file_, vm, sources));
  for (const auto& [key, value] : *vm) {
    if (value.defaulted() && sources->count(key) == 0) (*sources)[key] = "default";
  }
  return Status::OK();
}

Result<std::vector<SourcedOption>> CommandLine::ReadConfigEntries(const po::variables_map& vm,
                                                                  std::string* file) const {
  auto text = [&](const char* key) {
    auto it = vm.find(key);
    return it == vm.end() || it->second.empty() ? std::string() : it->second.as<std::string>();
  };
  std::string path = text("config");
  const bool named = !path.empty();
  if (!named) {
    const std::string data_dir = text("data-dir");
    if (data_dir.empty()) return std::vector<SourcedOption>{};
    ROXI_RETURN_IF_ERROR(CheckDataDirPath(data_dir));
    path = (std::filesystem::path(data_dir) / "roxi.conf").string();
  }
  auto entries = ReadConfigFile(path, file_);
  if (!entries.ok()) {
    if (!named && entries.status().IsNotFound()) return std::vector<SourcedOption>{};
    return entries.status();
  }
  std::vector<SourcedOption> own;
  for (SourcedOption& entry : *entries) {
    const std::string& key = entry.option.string_key;
    if (!entry.option.unregistered) {
      own.push_back(std::move(entry));
      continue;
    }
    const bool refused = key == "data-dir" || key == "config" || key == "help";
    if (!refused && KnownConfigKeys().count(key) > 0) continue;  // another command's option
    std::string detail = command_line_only_.count(key) > 0
                             ? key + " can be given on the command line only"
                             : RefusedInFile(key);
    if (entry.line > 0) detail += " (line " + std::to_string(entry.line) + ")";
    return Status::InvalidArgument("config file " + path, detail);
  }
  *file = path;
  return own;
}

std::vector<EffectiveOption> CommandLine::Effective() const {
  std::vector<EffectiveOption> out;
  for (const auto& option : options_.options()) {
    const std::string& name = option->long_name();
    if (name.empty() || name == "help") continue;
    auto value = values_.find(name);
    auto source = sources_.find(name);
    out.push_back(DescribeOption(name, value == values_.end() ? nullptr : &value->second,
                                 source == sources_.end() ? "unset" : source->second));
  }
  return out;
}

Result<std::string> CommandLine::DataDir() const {
  if (common_.data_dir.empty()) {
    return Status::InvalidArgument("data directory",
                                   "not set: give --data-dir DIR or set ROXI_DATA_DIR");
  }
  ROXI_RETURN_IF_ERROR(CheckDataDirPath(common_.data_dir));
  return common_.data_dir;
}

storage::StoreOptions CommandLine::StoreOptionsFor(const std::string& data_dir,
                                                   storage::StoreOptions::Mode mode) const {
  storage::StoreOptions options;
  options.data_dir = data_dir;
  options.mode = mode;
  options.strict_permissions = common_.strict_permissions;
  options.warn = [](const std::string& warning) { common::LogWarn(warning); };
  return options;
}

void CommandLine::PrintHelp() const {
  std::cout << "Usage: " << usage_ << "\n\n"
            << about_ << "\n\n"
            << options_ << "\n"
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

}  // namespace roxi::cli
