// ArchiveWriter: writes one backup archive (FORMAT.md §6) durably. Frames go to <final>.tmp,
// created exclusively; Seal appends the manifest and footer and fsyncs; Publish renames the file to
// its final name, never replacing an existing file, and fsyncs the folder. A writer destroyed
// before Publish succeeds removes its temporary file, so no partial archive ever carries the
// final name (a process killed mid-write leaves only the .tmp file, removed by the next backup).
//
// Thread-safety: not thread-safe; one object per archive.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "format/archive_manifest.h"
#include "format/status.h"
#include "storage/archive_io.h"
#include "storage/archive_zstd.h"

namespace roxi::storage {

inline constexpr std::string_view kTempSuffix = ".tmp";

class ArchiveWriter {
 public:
  // Creates <final_path>.tmp and writes the header. IOError if it exists or cannot be created.
  // `write_limit_for_testing` (0: none) makes writes fail as a full disk past that many bytes.
  static Result<ArchiveWriter> Create(const std::string& final_path, int level, int threads,
                                      uint64_t write_limit_for_testing = 0);
  ArchiveWriter() = default;
  ~ArchiveWriter();
  // A moved-from writer owns no file.
  ArchiveWriter(ArchiveWriter&& other) noexcept;
  ArchiveWriter& operator=(ArchiveWriter&& other) noexcept;
  ArchiveWriter(const ArchiveWriter&) = delete;
  ArchiveWriter& operator=(const ArchiveWriter&) = delete;

  // Compresses the file at `source_path` (`size` bytes) into the next frame, as `name`.
  // REQUIRES: names are added (here and by AddReference) in strictly ascending order.
  Result<format::ArchiveFileEntry> AddFile(const std::string& source_path, const std::string& name,
                                           uint64_t size);
  // Records a file held by a parent; `entry.source` must index manifest.parents given to Seal.
  void AddReference(format::ArchiveFileEntry entry);

  // Writes `manifest` (its `files` are replaced by those added) and the footer, fsyncs and closes.
  // Returns the archive's size in bytes.
  Result<uint64_t> Seal(format::ArchiveManifest manifest);
  // Renames the sealed file to its final name and fsyncs the folder. IOError if the final name
  // exists. REQUIRES: Seal succeeded.
  Status Publish();

  const std::string& final_path() const { return final_path_; }
  const std::string& temp_path() const { return temp_path_; }
  const std::vector<format::ArchiveFileEntry>& files() const { return files_; }
  // Segments compressed at once (FrameCompressor::threads).
  int threads() const { return compressor_.threads(); }

 private:
  std::string final_path_;
  std::string temp_path_;
  File file_;
  FrameCompressor compressor_;
  uint64_t offset_ = 0;
  bool sealed_ = false;
  bool published_ = false;
  std::vector<format::ArchiveFileEntry> files_;

  void RemoveUnpublished();
};

}  // namespace roxi::storage
