// Xxh3Stream: the XXH3-64 (seed 0, FORMAT.md §1.5) of bytes that arrive in pieces, as files and
// frames do when an archive is written or read in blocks. Digest() equals Xxh3() of the
// concatenation of everything passed to Update().
//
// Thread-safety: not thread-safe; one object per stream.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

namespace roxi::format {

class Xxh3Stream {
 public:
  Xxh3Stream();
  ~Xxh3Stream();
  Xxh3Stream(const Xxh3Stream&) = delete;
  Xxh3Stream& operator=(const Xxh3Stream&) = delete;

  void Update(std::string_view data);
  // The hash of everything so far; Update may continue afterwards.
  uint64_t Digest() const;
  // Starts over, as if newly constructed.
  void Reset();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace roxi::format
