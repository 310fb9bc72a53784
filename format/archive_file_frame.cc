#include "format/archive_file_frame.h"

#include "format/coding.h"
#include "format/hash.h"

namespace roxi::format {

void StartMagicFile(std::string_view magic, uint8_t version, std::string* dst) {
  dst->append(magic);
  dst->push_back(static_cast<char>(version));
}

void SealMagicFile(std::string* dst, size_t start) {
  PutFixed64(dst, Xxh3(std::string_view(*dst).substr(start)));
}

Result<std::string_view> OpenMagicFile(std::string_view in, std::string_view magic,
                                       std::string_view what, uint8_t version) {
  if (in.size() < magic.size() + 1 + kXxh3Size) {
    return Status::Corruption(what, "truncated (" + std::to_string(in.size()) + " bytes)");
  }
  if (in.substr(0, magic.size()) != magic) {
    return Status::Corruption(what, "bad magic: not a roxi " + std::string(what));
  }
  const std::string_view sealed = in.substr(0, in.size() - kXxh3Size);
  if (DecodeFixed64(in.data() + sealed.size()) != Xxh3(sealed)) {
    return Status::Corruption(what, "checksum mismatch");
  }
  const auto found = static_cast<uint8_t>(sealed[magic.size()]);
  if (found != version) {
    return Status::NotSupported(what, "version " + std::to_string(found) +
                                          (found > version ? " is newer than" : " is not") +
                                          " what this roxi reads (" + std::to_string(version) +
                                          "); use a newer roxi");
  }
  return sealed.substr(magic.size() + 1);
}

}  // namespace roxi::format
