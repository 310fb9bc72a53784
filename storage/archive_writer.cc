#include "storage/archive_writer.h"

#include <unistd.h>

#include <utility>

#include "format/archive_header.h"
#include "format/dcheck.h"

namespace roxi::storage {

Result<ArchiveWriter> ArchiveWriter::Create(const std::string& final_path, int level, int threads,
                                            uint64_t write_limit_for_testing) {
  ArchiveWriter w;
  ROXI_ASSIGN_OR_RETURN(w.compressor_, FrameCompressor::Create(level, threads));
  w.final_path_ = final_path;
  const std::string temp_path = final_path + std::string(kTempSuffix);
  ROXI_ASSIGN_OR_RETURN(w.file_, File::CreateExclusive(temp_path));
  w.temp_path_ = temp_path;  // from here on the destructor removes it
  w.file_.set_write_limit_for_testing(write_limit_for_testing);
  std::string header;
  format::EncodeArchiveHeader(format::ArchiveHeader{}, &header);
  ROXI_RETURN_IF_ERROR(w.file_.Append(header));
  w.offset_ = header.size();
  return w;
}

ArchiveWriter::~ArchiveWriter() { RemoveUnpublished(); }

void ArchiveWriter::RemoveUnpublished() {
  if (!temp_path_.empty() && !published_) {
    // why: the file is incomplete or unpublished; an error closing or removing it leaves only a
    // .tmp file, which the next backup of this store removes.
    file_.Close().IgnoreError();
    ::unlink(temp_path_.c_str());
  }
  temp_path_.clear();
}

ArchiveWriter::ArchiveWriter(ArchiveWriter&& other) noexcept { *this = std::move(other); }

ArchiveWriter& ArchiveWriter::operator=(ArchiveWriter&& other) noexcept {
  if (this != &other) {
    RemoveUnpublished();
    final_path_ = std::move(other.final_path_);
    temp_path_ = std::exchange(other.temp_path_, std::string());
    file_ = std::move(other.file_);
    compressor_ = std::move(other.compressor_);
    offset_ = other.offset_;
    sealed_ = other.sealed_;
    published_ = other.published_;
    files_ = std::move(other.files_);
  }
  return *this;
}

Result<format::ArchiveFileEntry> ArchiveWriter::AddFile(const std::string& source_path,
                                                        const std::string& name, uint64_t size) {
  ROXI_DCHECK(!sealed_ && (files_.empty() || files_.back().name < name));
  ROXI_ASSIGN_OR_RETURN(File source, File::OpenForRead(source_path));
  ROXI_ASSIGN_OR_RETURN(FrameStats stats, compressor_.CompressFile(source, size, &file_));
  format::ArchiveFileEntry entry;
  entry.name = name;
  entry.size = stats.size;
  entry.xxh3 = stats.xxh3;
  entry.source = 0;
  entry.frame_offset = offset_;
  entry.frame_size = stats.frame_size;
  entry.frame_xxh3 = stats.frame_xxh3;
  offset_ += stats.frame_size;
  files_.push_back(entry);
  return entry;
}

void ArchiveWriter::AddReference(format::ArchiveFileEntry entry) {
  ROXI_DCHECK(!sealed_ && entry.source > 0 && (files_.empty() || files_.back().name < entry.name));
  files_.push_back(std::move(entry));
}

Result<uint64_t> ArchiveWriter::Seal(format::ArchiveManifest manifest) {
  ROXI_DCHECK(!sealed_);
  manifest.files = files_;
  std::string tail;
  format::EncodeArchiveManifest(manifest, &tail);
  const format::ArchiveFooter footer{offset_, tail.size()};
  format::EncodeArchiveFooter(footer, &tail);
  ROXI_RETURN_IF_ERROR(file_.Append(tail));
  ROXI_RETURN_IF_ERROR(file_.Sync());
  ROXI_RETURN_IF_ERROR(file_.Close());
  sealed_ = true;
  return offset_ + tail.size();
}

Status ArchiveWriter::Publish() {
  ROXI_DCHECK(sealed_ && !published_);
  ROXI_RETURN_IF_ERROR(RenameNoReplace(temp_path_, final_path_));
  published_ = true;
  return SyncDir(ParentDir(final_path_));
}

}  // namespace roxi::storage
