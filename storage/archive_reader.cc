#include "storage/archive_reader.h"

#include <algorithm>

#include "format/archive_header.h"

namespace roxi::storage {

Result<ArchiveReader> ArchiveReader::Open(const std::string& path) {
  ArchiveReader r;
  auto file = File::OpenForRead(path);
  if (!file.ok()) {
    if (file.status().IsNotFound()) return Status::NotFound("archive " + path, "no such file");
    return file.status();
  }
  r.file_ = std::move(file).value();
  ROXI_ASSIGN_OR_RETURN(r.size_, r.file_.Size());
  const std::string where = "archive " + path;
  if (r.size_ < format::kArchiveHeaderSize + format::kArchiveFooterSize) {
    return Status::Corruption(where, "truncated: only " + std::to_string(r.size_) + " bytes");
  }
  std::string bytes;
  ROXI_RETURN_IF_ERROR(r.file_.ReadExactlyAt(0, format::kArchiveHeaderSize, &bytes));
  auto header = format::DecodeArchiveHeader(bytes);
  if (!header.ok()) return header.status().WithContext(where);
  ROXI_RETURN_IF_ERROR(r.file_.ReadExactlyAt(r.size_ - format::kArchiveFooterSize,
                                             format::kArchiveFooterSize, &bytes));
  auto footer = format::DecodeArchiveFooter(bytes);
  if (!footer.ok()) return footer.status().WithContext(where);
  if (Status s = format::CheckArchiveFooter(*footer, r.size_); !s.ok()) return s.WithContext(where);
  r.manifest_size_ = footer->manifest_size;
  ROXI_RETURN_IF_ERROR(r.file_.ReadExactlyAt(footer->manifest_offset,
                                             static_cast<size_t>(footer->manifest_size), &bytes));
  auto manifest = format::DecodeArchiveManifest(bytes);
  if (!manifest.ok()) return manifest.status().WithContext(where);
  if (Status s = format::CheckArchiveManifestPlacement(*manifest, *footer); !s.ok()) {
    return s.WithContext(where);
  }
  r.manifest_ = std::move(manifest).value();
  return r;
}

Result<ArchiveChain> ArchiveChain::Open(const std::string& path) {
  ArchiveChain chain;
  ROXI_ASSIGN_OR_RETURN(chain.archive_, ArchiveReader::Open(path));
  chain.folder_ = ParentDir(path);
  chain.parents_.resize(chain.archive_.manifest().parents.size());
  return chain;
}

Result<const ArchiveReader*> ArchiveChain::HolderOf(const format::ArchiveFileEntry& file) {
  if (file.source == 0) return &archive_;
  const format::ArchiveParent& parent = manifest().parents[file.source - 1];
  auto& slot = parents_[file.source - 1];
  const std::string parent_path = folder_ + "/" + parent.name;
  if (!slot) {
    auto opened = ArchiveReader::Open(parent_path);
    if (!opened.ok()) {
      if (opened.status().IsNotFound()) {
        return Status::NotFound("archive " + archive_.path(), "parent archive " + parent.name +
                                                                  " (holding " + file.name +
                                                                  ") is missing from " + folder_);
      }
      return opened.status().WithContext("parent of " + archive_.path());
    }
    if (opened->manifest().archive_id != parent.archive_id) {
      return Status::Corruption(
          "archive " + archive_.path(),
          "parent " + parent_path + " is another archive than the one it refers to");
    }
    slot = std::move(opened).value();
  }
  const auto& held = slot->manifest().files;
  auto it = std::lower_bound(
      held.begin(), held.end(), file.name,
      [](const format::ArchiveFileEntry& e, const std::string& name) { return e.name < name; });
  if (it == held.end() || it->name != file.name || it->source != 0 || it->size != file.size ||
      it->xxh3 != file.xxh3 || it->frame_offset != file.frame_offset ||
      it->frame_size != file.frame_size || it->frame_xxh3 != file.frame_xxh3) {
    return Status::Corruption(
        "archive " + archive_.path(),
        "parent " + parent_path + " does not hold " + file.name + " as recorded");
  }
  return &*slot;
}

}  // namespace roxi::storage
