// ScopedUmask: sets the process umask for the life of the object (and so for the roxi children a
// test starts meanwhile), then restores the previous one.
//
// Thread-safety: the umask is process-wide; use only while the test runs no other threads that
// create files.
#pragma once

#include <sys/stat.h>

namespace roxi::testing {

class ScopedUmask {
 public:
  explicit ScopedUmask(mode_t mask) : old_(::umask(mask)) {}
  ~ScopedUmask() { ::umask(old_); }
  ScopedUmask(const ScopedUmask&) = delete;
  ScopedUmask& operator=(const ScopedUmask&) = delete;

 private:
  mode_t old_;
};

}  // namespace roxi::testing
