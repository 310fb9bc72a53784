// ArchiveReader: an open backup archive whose header, footer and manifest have been read and
// checked (FORMAT.md §6), ready to check or extract the frames it holds. ArchiveChain adds the
// parents an incremental archive refers to, found in the same folder and opened on first use.
//
// Thread-safety: not thread-safe; one object per thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "format/archive_manifest.h"
#include "format/status.h"
#include "storage/archive_io.h"

namespace roxi::storage {

class ArchiveReader {
 public:
  // Opens `path` and checks, in order: header (a newer format version is NotSupported naming
  // both), footer (a truncated archive is Corruption saying so), the manifest's place and size,
  // the manifest. NotFound if there is no such file. Every message starts with the path. Frames
  // are not read.
  static Result<ArchiveReader> Open(const std::string& path);

  const std::string& path() const { return file_.path(); }
  const File& file() const { return file_; }
  uint64_t size() const { return size_; }
  const format::ArchiveManifest& manifest() const { return manifest_; }
  uint64_t manifest_size() const { return manifest_size_; }

 private:
  File file_;
  uint64_t size_ = 0;
  uint64_t manifest_size_ = 0;
  format::ArchiveManifest manifest_;
};

class ArchiveChain {
 public:
  // Opens the archive at `path`; its parents are opened by HolderOf.
  static Result<ArchiveChain> Open(const std::string& path);

  const ArchiveReader& archive() const { return archive_; }
  const format::ArchiveManifest& manifest() const { return archive_.manifest(); }
  // The folder holding the archive, where its parents must be.
  const std::string& folder() const { return folder_; }

  // The archive holding the frame of `file` (an entry of manifest()): this one, or the parent it
  // names, opened and checked on first use. NotFound naming the missing parent and the file it
  // holds; Corruption if the file found under the parent's name is another archive, or does not
  // hold the file as the entry records; what ArchiveReader::Open returns for a damaged parent.
  Result<const ArchiveReader*> HolderOf(const format::ArchiveFileEntry& file);

 private:
  ArchiveReader archive_;
  std::string folder_;
  std::vector<std::optional<ArchiveReader>> parents_;
};

}  // namespace roxi::storage
