#include "format/record_frame.h"

#include "format/coding.h"
#include "format/hash.h"

namespace roxi::format {

void SealRecord(std::string* dst, size_t start) {
  const std::string_view sealed(dst->data() + start, dst->size() - start);
  PutFixed64(dst, Xxh3(sealed));
}

Result<std::string_view> OpenRecord(std::string_view in, std::string_view what, uint8_t version) {
  if (in.size() < 1 + kXxh3Size) {
    return BadRecord(what, "too short (" + std::to_string(in.size()) + " bytes)");
  }
  const std::string_view sealed = in.substr(0, in.size() - kXxh3Size);
  if (DecodeFixed64(in.data() + sealed.size()) != Xxh3(sealed)) {
    return BadRecord(what, "checksum mismatch");
  }
  const auto found = static_cast<uint8_t>(sealed[0]);
  if (found != version) {
    return Status::NotSupported(what, "version " + std::to_string(found) + " (this roxi reads " +
                                          std::to_string(version) + ")");
  }
  return sealed.substr(1);
}

Status BadRecord(std::string_view what, std::string_view detail) {
  return Status::Corruption(what, detail);
}

}  // namespace roxi::format
