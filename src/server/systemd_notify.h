// Readiness and shutdown messages to systemd (a Type=notify service): one datagram to the unix
// socket $NOTIFY_SOCKET names, as sd_notify(3) sends it, without linking libsystemd. Outside
// systemd ($NOTIFY_SOCKET unset) nothing is sent.
//
// Thread-safety: thread-safe (reads the environment, opens its own socket).
#pragma once

#include <string_view>

#include "format/status.h"

namespace roxi::server {

// Sends `state` ("READY=1", "STOPPING=1", ...). OK when $NOTIFY_SOCKET is unset; IOError naming
// the socket when it cannot be reached; InvalidArgument for a malformed address.
Status NotifySystemd(std::string_view state);

}  // namespace roxi::server
