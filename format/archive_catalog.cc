#include "format/archive_catalog.h"

#include "format/archive_file_frame.h"
#include "format/coding.h"
#include "format/dcheck.h"

namespace roxi::format {

namespace {

constexpr std::string_view kWhat = "backup catalog";
// The fewest bytes an archive entry can take, to check counts before reserving.
constexpr size_t kMinArchiveBytes = 2 + 16 + 16 + 7 + 1 + 1 + 1 + 1;
constexpr size_t kMinFileBytes = 22;

Status Bad(std::string_view detail) { return Status::Corruption(kWhat, detail); }

void PutId(std::string* dst, const ArchiveId& id) {
  dst->append(reinterpret_cast<const char*>(id.data()), id.size());
}

bool GetId(std::string_view* in, ArchiveId* id) {
  if (in->size() < id->size()) return false;
  for (size_t i = 0; i < id->size(); ++i) (*id)[i] = static_cast<uint8_t>((*in)[i]);
  in->remove_prefix(id->size());
  return true;
}

Status DecodeParentNames(std::string_view* in, CatalogArchive* a) {
  uint32_t count = 0;
  if (!GetVarint32(in, &count)) return Bad("truncated parent count of '" + a->name + "'");
  if (count > kMaxArchiveParents || count > in->size() / 2) return Bad("bad parent count");
  a->parents.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    std::string_view name;
    if (!GetLengthPrefixed(in, &name, kMaxArchiveFileNameBytes) || !ValidArchiveFileName(name)) {
      return Bad("bad parent name of '" + a->name + "'");
    }
    if (!a->parents.empty() && !(a->parents.back() < name)) {
      return Bad("parents of '" + a->name + "' not in ascending order");
    }
    a->parents.emplace_back(name);
  }
  return Status::OK();
}

Status DecodeHeldFiles(std::string_view* in, CatalogArchive* a) {
  uint32_t count = 0;
  if (!GetVarint32(in, &count)) return Bad("truncated file count of '" + a->name + "'");
  if (count > kMaxArchiveFiles || count > in->size() / kMinFileBytes) {
    return Bad("bad file count of '" + a->name + "'");
  }
  a->files.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    auto file = DecodeArchiveFileEntry(in);
    if (!file.ok())
      return Bad("archive '" + a->name + "': " + std::string(file.status().message()));
    if (file->source != 0) return Bad("file '" + file->name + "' of '" + a->name + "' not held");
    if (!a->files.empty() && !(a->files.back().name < file->name)) {
      return Bad("files of '" + a->name + "' not in ascending order");
    }
    a->files.push_back(std::move(file).value());
  }
  return Status::OK();
}

Result<CatalogArchive> DecodeArchive(std::string_view* in) {
  CatalogArchive a;
  std::string_view name;
  if (!GetLengthPrefixed(in, &name, kMaxArchiveFileNameBytes) || !ValidArchiveFileName(name)) {
    return Bad("bad archive name");
  }
  a.name.assign(name);
  if (!GetId(in, &a.archive_id) || !GetId(in, &a.store_id) ||
      !GetVarint64(in, &a.created_at_micros) || !GetVarint64(in, &a.archive_bytes) ||
      !GetVarint64(in, &a.restored_bytes) || !GetVarint64(in, &a.sequence) ||
      !GetVarint64(in, &a.documents) || !GetVarint64(in, &a.chunks) ||
      !GetVarint64(in, &a.vectors)) {
    return Bad("truncated entry of '" + a.name + "'");
  }
  ROXI_RETURN_IF_ERROR(DecodeParentNames(in, &a));
  uint8_t state = 0;
  if (!GetByte(in, &state) || !GetVarint64(in, &a.verified_at_micros)) {
    return Bad("truncated verification of '" + a.name + "'");
  }
  if (state > static_cast<uint8_t>(VerifyState::kProblems)) {
    return Bad("unknown verify state " + std::to_string(state));
  }
  a.verify_state = static_cast<VerifyState>(state);
  if ((a.verify_state == VerifyState::kNever) != (a.verified_at_micros == 0)) {
    return Bad("verification time of '" + a.name + "' does not match its state");
  }
  ROXI_RETURN_IF_ERROR(DecodeHeldFiles(in, &a));
  return a;
}

}  // namespace

std::string_view VerifyStateName(VerifyState state) {
  switch (state) {
    case VerifyState::kNever:
      return "never";
    case VerifyState::kClean:
      return "clean";
    case VerifyState::kProblems:
      return "problems";
  }
  return "unknown";
}

void EncodeBackupCatalog(const BackupCatalog& catalog, std::string* dst) {
  ROXI_DCHECK(catalog.archives.size() <= kMaxCatalogArchives);
  const size_t start = dst->size();
  StartMagicFile(kCatalogMagic, kCatalogV1, dst);
  PutVarint32(dst, static_cast<uint32_t>(catalog.archives.size()));
  for (const auto& a : catalog.archives) {
    ROXI_DCHECK(ValidArchiveFileName(a.name));
    ROXI_DCHECK((a.verify_state == VerifyState::kNever) == (a.verified_at_micros == 0));
    PutLengthPrefixed(dst, a.name);
    PutId(dst, a.archive_id);
    PutId(dst, a.store_id);
    for (uint64_t v : {a.created_at_micros, a.archive_bytes, a.restored_bytes, a.sequence,
                       a.documents, a.chunks, a.vectors}) {
      PutVarint64(dst, v);
    }
    PutVarint32(dst, static_cast<uint32_t>(a.parents.size()));
    for (const auto& p : a.parents) PutLengthPrefixed(dst, p);
    dst->push_back(static_cast<char>(a.verify_state));
    PutVarint64(dst, a.verified_at_micros);
    PutVarint32(dst, static_cast<uint32_t>(a.files.size()));
    for (const auto& f : a.files) {
      ROXI_DCHECK(f.source == 0);
      EncodeArchiveFileEntry(f, dst);
    }
  }
  SealMagicFile(dst, start);
}

Result<BackupCatalog> DecodeBackupCatalog(std::string_view in) {
  if (in.size() > kMaxCatalogBytes) return Bad("larger than the limit");
  ROXI_ASSIGN_OR_RETURN(std::string_view body, OpenMagicFile(in, kCatalogMagic, kWhat, kCatalogV1));
  uint32_t count = 0;
  if (!GetVarint32(&body, &count)) return Bad("truncated archive count");
  if (count > kMaxCatalogArchives || count > body.size() / kMinArchiveBytes) {
    return Bad("archive count " + std::to_string(count) + " out of range");
  }
  BackupCatalog catalog;
  catalog.archives.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    ROXI_ASSIGN_OR_RETURN(CatalogArchive a, DecodeArchive(&body));
    if (!catalog.archives.empty() && !(catalog.archives.back().name < a.name)) {
      return Bad("archive names not in strictly ascending order at '" + a.name + "'");
    }
    catalog.archives.push_back(std::move(a));
  }
  if (!body.empty()) return Bad(std::to_string(body.size()) + " trailing bytes");
  return catalog;
}

}  // namespace roxi::format
