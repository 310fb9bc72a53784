// The HTTP API's keys and trust, as roxi serve and the commands that talk to it read them: the
// admin key from --admin-key-file, else $ROXI_API_KEY; the read key from --read-key-file, else
// $ROXI_READ_API_KEY. A key file must be readable by its owner only (storage::ReadSecretFile).
// Keys never appear in a Status or a log.
//
// Thread-safety: functions; they read the environment and files.
#pragma once

#include <string>

#include "format/status.h"
#include "src/cli/command_line.h"
#include "src/server/http_access.h"

namespace roxi::cli {

// The keys roxi serve demands. InvalidArgument naming the flag for a key file that is missing,
// empty, exposed to others or unreadable, or a read key without an admin key.
Result<server::ApiKeys> LoadServerKeys(const CommonOptions& common);

// What a command sends to a running server.
struct ServerAccess {
  std::string key;        // the admin key when there is one, else the read key, else ""
  std::string ca_bundle;  // "" : plain HTTP
};

// Errors as LoadServerKeys.
Result<ServerAccess> LoadServerAccess(const CommonOptions& common);

}  // namespace roxi::cli
