#include "storage/backup_budget.h"

#include <algorithm>
#include <cmath>

#include "storage/archive_io.h"

namespace roxi::storage {

namespace {

std::string Mebibytes(uint64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(bytes) / (1 << 20));
  return buf;
}

}  // namespace

std::optional<double> ObservedRatio(const format::BackupCatalog& catalog,
                                    const format::ArchiveId& store_id) {
  const format::CatalogArchive* newest = nullptr;
  uint64_t newest_in = 0, newest_out = 0;
  for (const auto& a : catalog.archives) {
    if (a.store_id != store_id) continue;
    uint64_t in = 0, out = 0;
    for (const auto& f : a.files) {
      in += f.size;
      out += f.frame_size;
    }
    if (in < (uint64_t{1} << 20)) continue;
    if (newest == nullptr || a.created_at_micros > newest->created_at_micros) {
      newest = &a;
      newest_in = in;
      newest_out = out;
    }
  }
  if (newest == nullptr) return std::nullopt;
  return static_cast<double>(newest_out) / static_cast<double>(newest_in);
}

SpaceEstimate EstimateArchiveSpace(uint64_t input_bytes, uint64_t files,
                                   std::optional<double> ratio) {
  const double factor = ratio ? std::clamp(*ratio + 0.1, 0.05, 1.0) : 1.0;
  SpaceEstimate e;
  // Per file: frame header, block headers and checksum, and its manifest entry.
  const uint64_t overhead = files * 512 + (input_bytes >> 14) + 4096;
  e.archive_bytes =
      static_cast<uint64_t>(std::ceil(static_cast<double>(input_bytes) * factor)) + overhead;
  const auto margin =
      static_cast<uint64_t>(static_cast<double>(e.archive_bytes) * kSpaceMarginFraction);
  e.required_bytes = e.archive_bytes + std::max(margin, kMinSpaceMarginBytes);
  return e;
}

Status CheckBackupSpace(const std::string& folder, SpaceEstimate* estimate) {
  ROXI_ASSIGN_OR_RETURN(estimate->free_bytes, FreeBytes(folder));
  if (estimate->required_bytes > estimate->free_bytes) {
    return Status::IOError(
        "backup folder " + folder,
        "not enough space: the archive needs about " + Mebibytes(estimate->archive_bytes) + " (" +
            Mebibytes(estimate->required_bytes) + " with the margin) but " +
            Mebibytes(estimate->free_bytes) + " is free; free some space or back up elsewhere");
  }
  return Status::OK();
}

}  // namespace roxi::storage
