#include "src/cli/config_file_update.h"

#include <set>
#include <sstream>

#include "storage/archive_io.h"

namespace roxi::cli {

namespace {

constexpr uint64_t kMaxConfigBytes = 1 << 20;

std::string Trim(const std::string& s) {
  const size_t first = s.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(" \t\r") - first + 1);
}

}  // namespace

std::string UpdateConfigText(const std::string& current,
                             const std::vector<std::pair<std::string, std::string>>& settings) {
  std::set<std::string> written;
  std::ostringstream out;
  std::istringstream in(current);
  std::string line;
  while (std::getline(in, line)) {
    const size_t hash = line.find('#');
    const std::string body = hash == std::string::npos ? line : line.substr(0, hash);
    const size_t eq = body.find('=');
    const std::string key = eq == std::string::npos ? "" : Trim(body.substr(0, eq));
    const std::pair<std::string, std::string>* setting = nullptr;
    for (const auto& s : settings) {
      if (!key.empty() && s.first == key) setting = &s;
    }
    if (setting == nullptr) {
      out << line << "\n";
      continue;
    }
    if (!written.insert(key).second) continue;
    out << key << " = " << setting->second;
    if (hash != std::string::npos) out << "  " << line.substr(hash);
    out << "\n";
  }
  for (const auto& [key, value] : settings) {
    if (written.insert(key).second) out << key << " = " << value << "\n";
  }
  return out.str();
}

Status UpdateConfigFile(const std::string& path,
                        const std::vector<std::pair<std::string, std::string>>& settings) {
  std::string current;
  auto read = storage::ReadSmallFile(path, kMaxConfigBytes);
  if (read.ok()) {
    current = std::move(read).value();
  } else if (read.status().IsCorruption()) {
    return Status::InvalidArgument("config file " + path, "larger than 1 MiB");
  } else if (!read.status().IsNotFound()) {
    return read.status();
  }
  return storage::WriteFileDurably(path, UpdateConfigText(current, settings));
}

}  // namespace roxi::cli
