// Status and Result<T>: how errors cross every module boundary in roxi, as values.
//
// A Status is OK or carries a code and a message of the form "what: detail", lower case, naming the
// input at fault (a path, key, flag or HTTP status). Callers going up add context with WithContext().
// OK is cheap: it holds no allocation. Result<T> holds either a T or a non-OK Status (in the manner of
// absl::StatusOr), and is used with ROXI_RETURN_IF_ERROR and ROXI_ASSIGN_OR_RETURN.
//
// Thread-safety: Status and Result are values; distinct objects may be used from distinct threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace roxi {

class [[nodiscard]] Status {
 public:
  enum class Code : uint8_t {
    kOk = 0,
    kNotFound,
    kCorruption,
    kNotSupported,
    kInvalidArgument,
    kIOError,
    kBusy,
    kUnavailable,
    kTimedOut,
    kAborted,
    kInternal,
  };

  Status() = default;
  Status(const Status& other) : code_(other.code_), message_(CopyMessage(other)) {}
  Status& operator=(const Status& other) {
    if (this != &other) {
      code_ = other.code_;
      message_ = CopyMessage(other);
    }
    return *this;
  }
  Status(Status&&) noexcept = default;
  Status& operator=(Status&&) noexcept = default;

  static Status OK() { return Status(); }
  // Each factory joins `what` and `detail` as "what: detail" (or just "what" when detail is empty).
  static Status NotFound(std::string_view what, std::string_view detail = {}) {
    return Status(Code::kNotFound, what, detail);
  }
  static Status Corruption(std::string_view what, std::string_view detail = {}) {
    return Status(Code::kCorruption, what, detail);
  }
  static Status NotSupported(std::string_view what, std::string_view detail = {}) {
    return Status(Code::kNotSupported, what, detail);
  }
  static Status InvalidArgument(std::string_view what, std::string_view detail = {}) {
    return Status(Code::kInvalidArgument, what, detail);
  }
  static Status IOError(std::string_view what, std::string_view detail = {}) {
    return Status(Code::kIOError, what, detail);
  }
  static Status Busy(std::string_view what, std::string_view detail = {}) {
    return Status(Code::kBusy, what, detail);
  }
  static Status Unavailable(std::string_view what, std::string_view detail = {}) {
    return Status(Code::kUnavailable, what, detail);
  }
  static Status TimedOut(std::string_view what, std::string_view detail = {}) {
    return Status(Code::kTimedOut, what, detail);
  }
  static Status Aborted(std::string_view what, std::string_view detail = {}) {
    return Status(Code::kAborted, what, detail);
  }
  static Status Internal(std::string_view what, std::string_view detail = {}) {
    return Status(Code::kInternal, what, detail);
  }
  static Status FromCode(Code code, std::string_view what, std::string_view detail = {}) {
    return code == Code::kOk ? Status() : Status(code, what, detail);
  }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  bool IsNotFound() const { return code_ == Code::kNotFound; }
  bool IsCorruption() const { return code_ == Code::kCorruption; }
  bool IsNotSupported() const { return code_ == Code::kNotSupported; }
  bool IsInvalidArgument() const { return code_ == Code::kInvalidArgument; }
  bool IsIOError() const { return code_ == Code::kIOError; }
  bool IsBusy() const { return code_ == Code::kBusy; }
  bool IsUnavailable() const { return code_ == Code::kUnavailable; }
  bool IsTimedOut() const { return code_ == Code::kTimedOut; }
  bool IsAborted() const { return code_ == Code::kAborted; }
  bool IsInternal() const { return code_ == Code::kInternal; }

  // The message without the code name; empty for OK.
  std::string_view message() const { return message_ ? std::string_view(*message_) : std::string_view(); }
  // "ok", or "<code name>: <message>", e.g. "corruption: chunk record: checksum mismatch".
  std::string ToString() const;

  // Returns a copy whose message is "context: <old message>". OK stays OK.
  Status WithContext(std::string_view context) const;

  // Marks a deliberately dropped error; every call needs a "// why:" comment at the call site.
  void IgnoreError() const {}

  static std::string_view CodeName(Code code);

 private:
  Status(Code code, std::string_view what, std::string_view detail);
  static std::unique_ptr<std::string> CopyMessage(const Status& s) {
    return s.message_ ? std::make_unique<std::string>(*s.message_) : nullptr;
  }

  Code code_ = Code::kOk;
  std::unique_ptr<std::string> message_;  // null iff ok()
};

// Holds a T or a non-OK Status. Constructing a Result from an OK Status is a bug and yields an
// Internal error instead, so a Result never claims success without a value.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(const T& value) : rep_(value) {}                 // NOLINT: implicit by design
  Result(T&& value) : rep_(std::move(value)) {}           // NOLINT
  Result(const Status& status) : rep_(CheckError(status)) {}  // NOLINT
  Result(Status&& status) : rep_(CheckError(std::move(status))) {}  // NOLINT

  bool ok() const { return rep_.index() == 0; }
  const Status& status() const {
    static const Status kOkStatus;
    return ok() ? kOkStatus : std::get<1>(rep_);
  }
  // REQUIRES: ok().
  T& value() & { return std::get<0>(rep_); }
  const T& value() const& { return std::get<0>(rep_); }
  T&& value() && { return std::get<0>(std::move(rep_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  void IgnoreError() const {}

 private:
  static Status CheckError(Status s) {
    if (s.ok()) return Status::Internal("result", "constructed from an ok status without a value");
    return s;
  }
  std::variant<T, Status> rep_;
};

}  // namespace roxi

#define ROXI_STATUS_CONCAT_INNER(a, b) a##b
#define ROXI_STATUS_CONCAT(a, b) ROXI_STATUS_CONCAT_INNER(a, b)

// Returns the Status of `expr` from the current function if it is not OK.
#define ROXI_RETURN_IF_ERROR(expr)                   \
  do {                                               \
    ::roxi::Status roxi_status_tmp_ = (expr);        \
    if (!roxi_status_tmp_.ok()) return roxi_status_tmp_; \
  } while (0)

// Evaluates `rexpr` (a Result<T>); returns its Status if not OK, otherwise declares/assigns `lhs`.
#define ROXI_ASSIGN_OR_RETURN(lhs, rexpr) \
  ROXI_ASSIGN_OR_RETURN_IMPL(ROXI_STATUS_CONCAT(roxi_result_tmp_, __LINE__), lhs, rexpr)
#define ROXI_ASSIGN_OR_RETURN_IMPL(tmp, lhs, rexpr) \
  auto tmp = (rexpr);                               \
  if (!tmp.ok()) return tmp.status();               \
  lhs = std::move(tmp).value()
