#include "storage/backup_plan.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <vector>

#include "format/archive_hash.h"
#include "storage/archive_io.h"
#include "storage/archive_reader.h"
#include "storage/archive_zstd.h"

namespace roxi::storage {

namespace fs = std::filesystem;

namespace {

// A file some archive of the folder holds.
struct Holding {
  const format::CatalogArchive* archive;
  const format::ArchiveFileEntry* entry;
};

// Candidates by file name, newest archive first; archives known to be damaged are left out.
std::map<std::string, std::vector<Holding>> HoldingsOf(const format::BackupCatalog& catalog,
                                                       const format::ArchiveId& store_id) {
  std::map<std::string, std::vector<Holding>> out;
  for (const auto& a : catalog.archives) {
    if (a.store_id != store_id || a.verify_state == format::VerifyState::kProblems) continue;
    for (const auto& f : a.files) {
      if (IsImmutableRocksFile(f.name)) out[f.name].push_back({&a, &f});
    }
  }
  for (auto& [name, v] : out) {
    std::sort(v.begin(), v.end(), [](const Holding& x, const Holding& y) {
      return x.archive->created_at_micros > y.archive->created_at_micros;
    });
  }
  return out;
}

class ParentCache {
 public:
  explicit ParentCache(std::string folder) : folder_(std::move(folder)) {}
  // The opened parent if it is the archive the catalog describes; nullptr (with a note) if not.
  const ArchiveReader* Get(const format::CatalogArchive& a, std::vector<std::string>* notes) {
    auto it = readers_.find(a.name);
    if (it == readers_.end()) {
      auto reader = ArchiveReader::Open(folder_ + "/" + a.name);
      std::optional<ArchiveReader> slot;
      if (!reader.ok()) {
        notes->push_back("archive " + a.name +
                         " not used as a parent: " + reader.status().ToString());
      } else if (reader->manifest().archive_id != a.archive_id) {
        notes->push_back("archive " + a.name + " not used as a parent: it changed since cataloged");
      } else {
        slot = std::move(reader).value();
      }
      it = readers_.emplace(a.name, std::move(slot)).first;
    }
    return it->second ? &*it->second : nullptr;
  }

 private:
  std::string folder_;
  std::map<std::string, std::optional<ArchiveReader>> readers_;
};

// Whether `holding` can stand for the local file: same bytes, and a parent frame that checks out.
bool CanRefer(const Holding& h, uint64_t local_hash, ParentCache* parents,
              std::vector<std::string>* notes) {
  if (h.entry->xxh3 != local_hash) return false;
  const ArchiveReader* reader = parents->Get(*h.archive, notes);
  if (reader == nullptr) return false;
  const auto& held = reader->manifest().files;
  auto it = std::find_if(held.begin(), held.end(), [&](const format::ArchiveFileEntry& e) {
    return e.name == h.entry->name;
  });
  if (it == held.end() || !(*it == *h.entry)) return false;
  if (Status s = CheckFrameBytes(reader->file(), *it); !s.ok()) {
    notes->push_back("not referring to " + h.archive->name + ": " + s.ToString());
    return false;
  }
  return true;
}

}  // namespace

bool IsImmutableRocksFile(std::string_view name) {
  return name.ends_with(".sst") || name.ends_with(".blob");
}

Result<std::vector<CheckpointFile>> ListCheckpoint(const std::string& db_dir) {
  std::vector<CheckpointFile> files;
  std::error_code ec;
  for (fs::directory_iterator it(db_dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code type_ec;
    if (!it->is_regular_file(type_ec)) {
      return Status::NotSupported("checkpoint " + db_dir,
                                  "unexpected entry " + it->path().filename().string());
    }
    files.push_back({it->path().filename().string(), it->file_size(type_ec)});
    if (type_ec) return Status::IOError(it->path().string(), "stat: " + type_ec.message());
  }
  if (ec) return Status::IOError("checkpoint " + db_dir, "list: " + ec.message());
  std::sort(files.begin(), files.end(),
            [](const CheckpointFile& a, const CheckpointFile& b) { return a.name < b.name; });
  return files;
}

Result<uint64_t> HashFile(const std::string& path) {
  ROXI_ASSIGN_OR_RETURN(File file, File::OpenForRead(path));
  std::vector<char> buf(kArchiveIoBlockBytes);
  format::Xxh3Stream hash;
  uint64_t offset = 0;
  while (true) {
    ROXI_ASSIGN_OR_RETURN(size_t got, file.ReadAt(offset, buf.data(), buf.size()));
    if (got == 0) break;
    hash.Update(std::string_view(buf.data(), got));
    offset += got;
  }
  return hash.Digest();
}

Result<BackupPlan> PlanBackup(const std::string& folder, const format::BackupCatalog& catalog,
                              const format::ArchiveId& store_id, const std::string& db_dir,
                              std::vector<CheckpointFile> files, bool full) {
  BackupPlan plan;
  const auto holdings =
      full ? std::map<std::string, std::vector<Holding>>() : HoldingsOf(catalog, store_id);
  ParentCache parents(folder);
  std::map<std::string, format::ArchiveId> parent_ids;  // by name: the manifest's order
  std::vector<std::string> parent_of(files.size());     // per file; empty when stored
  for (size_t i = 0; i < files.size(); ++i) {
    PlannedFile planned{std::move(files[i]), std::nullopt};
    auto it = holdings.find(planned.file.name);
    if (it != holdings.end()) {
      std::optional<uint64_t> local_hash;
      for (const Holding& h : it->second) {
        if (h.entry->size != planned.file.size) continue;
        if (!local_hash) {
          ROXI_ASSIGN_OR_RETURN(local_hash, HashFile(db_dir + "/" + planned.file.name));
        }
        if (!CanRefer(h, *local_hash, &parents, &plan.notes)) continue;
        planned.reference = *h.entry;
        parent_of[i] = h.archive->name;
        parent_ids[h.archive->name] = h.archive->archive_id;
        break;
      }
    }
    (planned.reference ? plan.referenced_bytes : plan.stored_bytes) += planned.file.size;
    plan.files.push_back(std::move(planned));
  }
  std::map<std::string, uint32_t> index;
  for (const auto& [name, id] : parent_ids) {
    plan.parents.push_back({id, name});
    index[name] = static_cast<uint32_t>(plan.parents.size());  // 1-based, as in the manifest
  }
  for (size_t i = 0; i < plan.files.size(); ++i) {
    if (plan.files[i].reference) plan.files[i].reference->source = index[parent_of[i]];
  }
  return plan;
}

}  // namespace roxi::storage
