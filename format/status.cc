#include "format/status.h"

namespace roxi {

Status::Status(Code code, std::string_view what, std::string_view detail) : code_(code) {
  std::string msg(what);
  if (!detail.empty()) {
    if (!msg.empty()) msg += ": ";
    msg += detail;
  }
  message_ = std::make_unique<std::string>(std::move(msg));
}

std::string_view Status::CodeName(Code code) {
  switch (code) {
    case Code::kOk: return "ok";
    case Code::kNotFound: return "not found";
    case Code::kCorruption: return "corruption";
    case Code::kNotSupported: return "not supported";
    case Code::kInvalidArgument: return "invalid argument";
    case Code::kIOError: return "io error";
    case Code::kBusy: return "busy";
    case Code::kUnavailable: return "unavailable";
    case Code::kTimedOut: return "timed out";
    case Code::kAborted: return "aborted";
    case Code::kInternal: return "internal";
  }
  return "unknown";
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  std::string out(CodeName(code_));
  out += ": ";
  out += message();
  return out;
}

Status Status::WithContext(std::string_view context) const {
  if (ok()) return Status();
  return Status(code_, context, message());
}

}  // namespace roxi
