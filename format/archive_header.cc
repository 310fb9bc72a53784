#include "format/archive_header.h"

#include "format/coding.h"
#include "format/hash.h"

namespace roxi::format {

namespace {
constexpr std::string_view kHeaderWhat = "archive header";
constexpr std::string_view kFooterWhat = "archive footer";
}  // namespace

void EncodeArchiveHeader(const ArchiveHeader& header, std::string* dst) {
  const size_t start = dst->size();
  dst->append(kArchiveMagic);
  PutFixed32(dst, header.version);
  PutFixed64(dst, Xxh3(std::string_view(*dst).substr(start)));
}

Result<ArchiveHeader> DecodeArchiveHeader(std::string_view in) {
  if (in.size() < kArchiveHeaderSize) {
    return Status::Corruption(kHeaderWhat, "truncated (" + std::to_string(in.size()) + " bytes)");
  }
  if (in.substr(0, kArchiveMagic.size()) != kArchiveMagic) {
    return Status::Corruption(kHeaderWhat, "bad magic: not a roxi backup archive");
  }
  const std::string_view sealed = in.substr(0, kArchiveMagic.size() + 4);
  // The checksum comes before the version: a damaged version field must read as damage, not as an
  // archive of another version (FORMAT.md §6.2).
  if (DecodeFixed64(in.data() + sealed.size()) != Xxh3(sealed)) {
    return Status::Corruption(kHeaderWhat, "checksum mismatch");
  }
  ArchiveHeader header;
  header.version = DecodeFixed32(in.data() + kArchiveMagic.size());
  if (header.version != kArchiveVersion) {
    return Status::NotSupported(
        "archive format", "version " + std::to_string(header.version) +
                              (header.version > kArchiveVersion ? " is newer than" : " is not") +
                              " what this roxi reads (" + std::to_string(kArchiveVersion) +
                              "); use a newer roxi");
  }
  return header;
}

void EncodeArchiveFooter(const ArchiveFooter& footer, std::string* dst) {
  const size_t start = dst->size();
  PutFixed64(dst, footer.manifest_offset);
  PutFixed64(dst, footer.manifest_size);
  PutFixed64(dst, Xxh3(std::string_view(*dst).substr(start)));
  dst->append(kArchiveMagic);
}

Result<ArchiveFooter> DecodeArchiveFooter(std::string_view in) {
  if (in.size() < kArchiveFooterSize) {
    return Status::Corruption(kFooterWhat, "truncated (" + std::to_string(in.size()) + " bytes)");
  }
  in = in.substr(in.size() - kArchiveFooterSize);
  if (in.substr(24) != kArchiveMagic) {
    return Status::Corruption(kFooterWhat, "no closing magic: the archive is truncated or damaged");
  }
  if (DecodeFixed64(in.data() + 16) != Xxh3(in.substr(0, 16))) {
    return Status::Corruption(kFooterWhat, "checksum mismatch");
  }
  ArchiveFooter footer;
  footer.manifest_offset = DecodeFixed64(in.data());
  footer.manifest_size = DecodeFixed64(in.data() + 8);
  return footer;
}

}  // namespace roxi::format
