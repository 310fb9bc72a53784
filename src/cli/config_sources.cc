#include "src/cli/config_sources.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <set>
#include <sstream>

namespace roxi::cli {

namespace {

constexpr size_t kMaxConfigFileBytes = size_t{1} << 20;

// Closes a file descriptor when it goes out of scope.
class FdCloser {
 public:
  explicit FdCloser(int fd) : fd_(fd) {}
  ~FdCloser() { ::close(fd_); }
  FdCloser(const FdCloser&) = delete;
  FdCloser& operator=(const FdCloser&) = delete;

 private:
  int fd_;
};

Result<std::string> ReadWholeFile(const std::string& path) {
  const std::string what = "config file " + path;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    if (err == ENOENT) return Status::NotFound(what, "no such file");
    return Status::IOError(what, std::strerror(err));
  }
  FdCloser closer(fd);
  struct stat st;
  if (::fstat(fd, &st) != 0) return Status::IOError(what, std::strerror(errno));
  if (S_ISDIR(st.st_mode)) return Status::IOError(what, "is a directory");
  std::string content;
  char buf[8192];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::IOError(what, std::strerror(errno));
    if (n == 0) break;
    content.append(buf, static_cast<size_t>(n));
    if (content.size() > kMaxConfigFileBytes) {
      return Status::InvalidArgument(what, "larger than 1 MiB");
    }
  }
  return content;
}

std::string ErrorContext(const SourcedOption& entry) {
  return entry.origin == SourcedOption::Origin::kFile ? "config file " + entry.where
                                                      : "environment variable " + entry.where;
}

std::string LineSuffix(const std::vector<const SourcedOption*>& group) {
  std::string lines;
  for (const SourcedOption* e : group) {
    if (e->line > 0) lines += (lines.empty() ? "" : ", ") + std::to_string(e->line);
  }
  if (lines.empty()) return "";
  return (group.size() > 1 ? " (lines " : " (line ") + lines + ")";
}

Status BadValue(const SourcedOption& entry) {
  const std::string value = entry.option.value.empty() ? "" : entry.option.value.front();
  return Status::InvalidArgument(
      ErrorContext(entry),
      "bad value '" + value + "' for " + entry.option.string_key + LineSuffix({&entry}));
}

// Which entry of a group that failed to store is at fault: the first that fails on its own.
const SourcedOption& Culprit(const std::vector<const SourcedOption*>& group,
                             const po::options_description& desc) {
  for (const SourcedOption* e : group) {
    po::variables_map scratch;
    po::parsed_options one(&desc);
    one.options.push_back(e->option);
    try {
      po::store(one, scratch);
    } catch (const std::exception&) {
      return *e;
    }
  }
  return *group.front();
}

}  // namespace

std::string SourceName(const SourcedOption& entry) {
  return (entry.origin == SourcedOption::Origin::kFile ? "file " : "env ") + entry.where;
}

std::string EnvironmentVariableFor(std::string_view option_name) {
  std::string name = "ROXI_";
  for (char c : option_name) {
    name.push_back(c == '-' ? '_' : (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c);
  }
  return name;
}

std::vector<SourcedOption> ReadEnvironmentOptions(const po::options_description& desc) {
  std::map<std::string, std::string> option_of;  // variable -> option name
  for (const auto& option : desc.options()) {
    const std::string& name = option->long_name();
    if (!name.empty()) option_of[EnvironmentVariableFor(name)] = name;
  }
  std::map<std::string, std::string> variable_of;  // option name -> variable
  const po::parsed_options parsed =
      po::parse_environment(desc, [&](const std::string& variable) -> std::string {
        auto it = option_of.find(variable);
        if (it == option_of.end()) return "";
        variable_of[it->second] = variable;
        return it->second;
      });
  std::vector<SourcedOption> entries;
  for (const po::option& option : parsed.options) {
    if (option.value.empty() || option.value.front().empty()) continue;
    SourcedOption entry;
    entry.origin = SourcedOption::Origin::kEnvironment;
    entry.where = variable_of[option.string_key];
    entry.option = option;
    entries.push_back(std::move(entry));
  }
  return entries;
}

Result<std::vector<SourcedOption>> ReadConfigFile(const std::string& path,
                                                  const po::options_description& desc) {
  ROXI_ASSIGN_OR_RETURN(std::string content, ReadWholeFile(path));
  const std::string what = "config file " + path;
  // Boost reports a malformed line without its number, so each line is first parsed on its own
  // (Boost's parser is line by line) to find it; the whole file is then parsed in one go, which
  // keeps Boost's own handling of everything else.
  std::vector<int> option_lines;
  std::istringstream lines(content);
  std::string line;
  for (int number = 1; std::getline(lines, line); ++number) {
    std::istringstream one(line);
    try {
      const po::parsed_options parsed = po::parse_config_file(one, desc, true);
      for (const po::option& option : parsed.options) {
        if (option.string_key.empty()) {
          return Status::InvalidArgument(what,
                                         "line " + std::to_string(number) + ": no key before '='");
        }
        option_lines.push_back(number);
      }
    } catch (const po::invalid_config_file_syntax& e) {
      return Status::InvalidArgument(what, "line " + std::to_string(number) +
                                               ": want 'key = value', got '" + e.tokens() + "'");
    } catch (const std::exception& e) {
      return Status::InvalidArgument(what, "line " + std::to_string(number) + ": " + e.what());
    }
  }
  std::istringstream in(content);
  std::vector<SourcedOption> entries;
  try {
    const po::parsed_options parsed = po::parse_config_file(in, desc, true);
    for (size_t i = 0; i < parsed.options.size(); ++i) {
      SourcedOption entry;
      entry.origin = SourcedOption::Origin::kFile;
      entry.where = path;
      entry.line = parsed.options.size() == option_lines.size() ? option_lines[i] : 0;
      entry.option = parsed.options[i];
      entries.push_back(std::move(entry));
    }
  } catch (const std::exception& e) {
    return Status::InvalidArgument(what, e.what());
  }
  return entries;
}

Status StoreSourcedOptions(const std::vector<SourcedOption>& entries,
                           const po::options_description& desc, po::variables_map* vm,
                           std::map<std::string, std::string>* sources) {
  std::vector<std::string> order;
  std::map<std::string, std::vector<const SourcedOption*>> groups;
  for (const SourcedOption& entry : entries) {
    auto& group = groups[entry.option.string_key];
    if (group.empty()) order.push_back(entry.option.string_key);
    group.push_back(&entry);
  }
  for (const std::string& key : order) {
    const std::vector<const SourcedOption*>& group = groups[key];
    // A value a stronger source already set is still checked, in a scratch map: a broken line in
    // the config file must not hide behind a flag until the flag is dropped.
    const bool overridden = sources->count(key) > 0;
    po::variables_map scratch;
    po::variables_map* target = overridden ? &scratch : vm;
    po::parsed_options parsed(&desc);
    for (const SourcedOption* e : group) parsed.options.push_back(e->option);
    try {
      po::store(parsed, *target);
    } catch (const po::multiple_occurrences&) {
      return Status::InvalidArgument(ErrorContext(*group.front()),
                                     key + " given more than once" + LineSuffix(group));
    } catch (const std::exception&) {
      return BadValue(Culprit(group, desc));
    }
    for (const SourcedOption* e : group) {
      if (IsNegativeForUnsigned((*target)[key], e->option.value)) return BadValue(*e);
    }
    if (!overridden) (*sources)[key] = SourceName(*group.front());
  }
  return Status::OK();
}

bool IsNegativeForUnsigned(const po::variable_value& stored,
                           const std::vector<std::string>& tokens) {
  const boost::any& v = stored.value();
  const bool is_unsigned = boost::any_cast<unsigned short>(&v) || boost::any_cast<unsigned>(&v) ||
                           boost::any_cast<unsigned long>(&v) ||
                           boost::any_cast<unsigned long long>(&v);
  if (!is_unsigned) return false;
  for (const std::string& token : tokens) {
    const size_t first = token.find_first_not_of(" \t");
    if (first != std::string::npos && token[first] == '-') return true;
  }
  return false;
}

}  // namespace roxi::cli
