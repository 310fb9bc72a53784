#include "src/cli/server_access.h"

#include <cstdlib>

#include "storage/file_privacy.h"

namespace roxi::cli {

namespace {

// A key from `file` when given, else from the environment variable `variable`.
Result<std::string> LoadKey(const std::string& file, const std::string& flag,
                            const char* variable) {
  if (!file.empty()) {
    auto key = storage::ReadSecretFile(flag, file);
    // A missing key file is a usage error, never "no server here" to a caller looking for one.
    if (!key.ok() && key.status().IsNotFound()) {
      return Status::InvalidArgument(flag + " " + file, "no such file");
    }
    return key;
  }
  const char* value = std::getenv(variable);
  return std::string(value == nullptr ? "" : value);
}

}  // namespace

Result<server::ApiKeys> LoadServerKeys(const CommonOptions& common) {
  server::ApiKeys keys;
  ROXI_ASSIGN_OR_RETURN(keys.admin,
                        LoadKey(common.admin_key_file, "--admin-key-file", "ROXI_API_KEY"));
  ROXI_ASSIGN_OR_RETURN(keys.read,
                        LoadKey(common.read_key_file, "--read-key-file", "ROXI_READ_API_KEY"));
  if (keys.admin.empty() && !keys.read.empty()) {
    return Status::InvalidArgument("read key ($ROXI_READ_API_KEY or --read-key-file)",
                                   "needs an admin key too ($ROXI_API_KEY or --admin-key-file)");
  }
  if (!keys.admin.empty() && keys.admin == keys.read) {
    return Status::InvalidArgument("read key", "must differ from the admin key");
  }
  return keys;
}

Result<ServerAccess> LoadServerAccess(const CommonOptions& common) {
  ServerAccess access;
  ROXI_ASSIGN_OR_RETURN(access.key,
                        LoadKey(common.admin_key_file, "--admin-key-file", "ROXI_API_KEY"));
  if (access.key.empty()) {
    ROXI_ASSIGN_OR_RETURN(access.key,
                          LoadKey(common.read_key_file, "--read-key-file", "ROXI_READ_API_KEY"));
  }
  access.ca_bundle = common.server_ca_bundle;
  return access;
}

}  // namespace roxi::cli
