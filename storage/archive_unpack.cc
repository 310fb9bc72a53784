#include "storage/archive_unpack.h"

#include <sys/stat.h>

#include <cerrno>

#include "storage/archive_io.h"
#include "storage/archive_zstd.h"
#include "storage/file_privacy.h"

namespace roxi::storage {

Status UnpackArchive(ArchiveChain* chain, const std::string& db_dir,
                     const std::function<void(std::string_view)>& hook, UnpackStats* stats) {
  if (::mkdir(db_dir.c_str(), kPrivateDirMode) != 0)
    return ErrnoStatus("create directory", db_dir, errno);
  ROXI_ASSIGN_OR_RETURN(FrameDecompressor decompressor, FrameDecompressor::Create());
  for (const auto& entry : chain->manifest().files) {
    ROXI_ASSIGN_OR_RETURN(const ArchiveReader* holder, chain->HolderOf(entry));
    // Invariant: entry.name is a plain file name (checked by the manifest decoder), so the path
    // stays inside db_dir.
    ROXI_ASSIGN_OR_RETURN(File out, File::CreateExclusive(db_dir + "/" + entry.name));
    ROXI_RETURN_IF_ERROR(decompressor.Extract(
        holder->file(), entry, [&](std::string_view block) { return out.Append(block); }));
    ROXI_RETURN_IF_ERROR(out.Sync());
    ROXI_RETURN_IF_ERROR(out.Close());
    ++stats->files;
    stats->bytes += entry.size;
    if (hook) hook("restore:after_file");
  }
  return SyncDir(db_dir);
}

Status CheckArchiveBytes(ArchiveChain* chain) {
  for (const auto& entry : chain->manifest().files) {
    ROXI_ASSIGN_OR_RETURN(const ArchiveReader* holder, chain->HolderOf(entry));
    ROXI_RETURN_IF_ERROR(CheckFrameBytes(holder->file(), entry));
  }
  return Status::OK();
}

}  // namespace roxi::storage
