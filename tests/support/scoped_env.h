// ScopedEnv: sets (or unsets) one environment variable for the life of the object, then restores
// the previous value, so a test that needs ROXI_* or proxy variables leaves no trace.
//
// Thread-safety: setenv is not thread-safe; use only while the test runs no other threads that
// read the environment.
#pragma once

#include <optional>
#include <string>

namespace roxi::testing {

class ScopedEnv {
 public:
  // Sets `name` to `value`, or unsets it when `value` is nullopt.
  ScopedEnv(std::string name, std::optional<std::string> value);
  ~ScopedEnv();
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::string name_;
  std::optional<std::string> previous_;
};

}  // namespace roxi::testing
