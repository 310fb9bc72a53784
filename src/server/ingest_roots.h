// Which files POST /v1/ingest may read: only those under an ingest root (roxi serve's
// --ingest-root folders and its watched folders), judged after resolving symbolic links and "..",
// so that a client of the API cannot make the server read /etc/passwd or another user's files.
// A folder is checked whole: a symbolic link inside it that leads out of every root refuses the
// request. (A link changed between this check and the read is not caught: whoever can write
// inside a root is trusted with it.) Text posted as content needs no root.
//
// Thread-safety: pure functions over the file system.
#pragma once

#include <string>
#include <vector>

#include "format/status.h"

namespace roxi::server {

// The roots, each resolved to its canonical path. NotFound naming `flag` and the folder when one
// is not an existing folder.
Result<std::vector<std::string>> ResolveIngestRoots(const std::vector<std::string>& folders,
                                                    const std::string& flag);

// OK when every path in `paths` (absolute) lies under one of `roots` (as ResolveIngestRoots
// returns them), and, for a folder, every file it holds does too. InvalidArgument naming the
// first path at fault otherwise (relative, outside every root, or none configured).
Status CheckIngestPaths(const std::vector<std::string>& roots,
                        const std::vector<std::string>& paths);

}  // namespace roxi::server
