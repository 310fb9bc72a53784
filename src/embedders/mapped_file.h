// MappedFile: a whole file mapped read-only into memory (mmap), unmapped when the object dies.
// The static embedder maps its model cache this way, so a large model costs page cache the kernel
// can share and reclaim, not private heap.
//
// Thread-safety: immutable after Open; bytes() may be read from any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "format/status.h"

namespace roxi::embedders {

class MappedFile {
 public:
  // Maps `path`. IOError naming the path if it cannot be opened, stat'ed or mapped (NotFound if it
  // does not exist). An empty file maps to empty bytes.
  static Result<MappedFile> Open(const std::string& path);

  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  std::string_view bytes() const { return {static_cast<const char*>(data_), size_}; }

 private:
  MappedFile(void* data, size_t size) : data_(data), size_(size) {}
  void Reset();

  void* data_ = nullptr;  // null for an empty file or a moved-from object
  size_t size_ = 0;
};

}  // namespace roxi::embedders
