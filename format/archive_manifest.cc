#include "format/archive_manifest.h"

#include <set>

#include "format/coding.h"
#include "format/dcheck.h"
#include "format/meta_records.h"
#include "format/record_frame.h"

namespace roxi::format {

namespace {

constexpr std::string_view kWhat = "archive manifest";
// The fewest bytes a parent and a file entry can take; counts are checked against the bytes left
// with these before anything is reserved.
constexpr size_t kMinParentBytes = 16 + 2;
constexpr size_t kMinFileBytes = 2 + 1 + 8 + 1 + 1 + 1 + 8;

void PutId(std::string* dst, const ArchiveId& id) {
  dst->append(reinterpret_cast<const char*>(id.data()), id.size());
}

bool GetId(std::string_view* in, ArchiveId* id) {
  if (in->size() < id->size()) return false;
  for (size_t i = 0; i < id->size(); ++i) (*id)[i] = static_cast<uint8_t>((*in)[i]);
  in->remove_prefix(id->size());
  return true;
}

Status Bad(std::string_view detail) { return BadRecord(kWhat, detail); }

Status DecodeParents(std::string_view* body, ArchiveManifest* m) {
  uint32_t count = 0;
  if (!GetVarint32(body, &count)) return Bad("truncated parent count");
  if (count > kMaxArchiveParents || count > body->size() / kMinParentBytes) {
    return Bad("parent count " + std::to_string(count) + " out of range");
  }
  m->parents.resize(count);
  std::set<std::string_view> names;
  std::set<ArchiveId> ids{m->archive_id};
  for (auto& parent : m->parents) {
    std::string_view name;
    if (!GetId(body, &parent.archive_id) ||
        !GetLengthPrefixed(body, &name, kMaxArchiveFileNameBytes)) {
      return Bad("truncated parent");
    }
    if (!ValidArchiveFileName(name)) return Bad("bad parent name");
    if (!names.insert(name).second || !ids.insert(parent.archive_id).second) {
      return Bad("parent listed twice");
    }
    parent.name.assign(name);
  }
  return Status::OK();
}

Status DecodeFiles(std::string_view* body, ArchiveManifest* m) {
  uint32_t count = 0;
  if (!GetVarint32(body, &count)) return Bad("truncated file count");
  if (count > kMaxArchiveFiles || count > body->size() / kMinFileBytes) {
    return Bad("file count " + std::to_string(count) + " out of range");
  }
  m->files.reserve(count);
  std::vector<bool> parent_used(m->parents.size(), false);
  uint64_t next_local_offset = kArchiveHeaderSize;
  for (uint32_t i = 0; i < count; ++i) {
    ROXI_ASSIGN_OR_RETURN(ArchiveFileEntry file, DecodeArchiveFileEntry(body));
    if (!m->files.empty() && !(m->files.back().name < file.name)) {
      return Bad("file names not in strictly ascending order at '" + file.name + "'");
    }
    if (file.source > m->parents.size()) {
      return Bad("file '" + file.name + "' refers to parent " + std::to_string(file.source) +
                 " of " + std::to_string(m->parents.size()));
    }
    if (file.source == 0) {
      // Invariant: the frames an archive holds follow each other from the end of its header.
      if (file.frame_offset != next_local_offset) {
        return Bad("frame of '" + file.name + "' is not where the previous frame ends");
      }
      next_local_offset = file.frame_offset + file.frame_size;
    } else {
      if (file.frame_offset < kArchiveHeaderSize) {
        return Bad("frame of '" + file.name + "' starts inside its parent's header");
      }
      parent_used[file.source - 1] = true;
    }
    m->files.push_back(std::move(file));
  }
  for (size_t i = 0; i < parent_used.size(); ++i) {
    if (!parent_used[i]) return Bad("parent '" + m->parents[i].name + "' holds no file");
  }
  return Status::OK();
}

}  // namespace

bool ValidArchiveFileName(std::string_view name) {
  if (name.empty() || name.size() > kMaxArchiveFileNameBytes || name == "." || name == "..") {
    return false;
  }
  return name.find('/') == std::string_view::npos && name.find('\0') == std::string_view::npos;
}

void EncodeArchiveFileEntry(const ArchiveFileEntry& f, std::string* dst) {
  ROXI_DCHECK(ValidArchiveFileName(f.name));
  ROXI_DCHECK(f.frame_offset < kMaxArchiveOffset && f.frame_size > 0 &&
              f.frame_size < kMaxArchiveOffset);
  PutLengthPrefixed(dst, f.name);
  PutVarint64(dst, f.size);
  PutFixed64(dst, f.xxh3);
  PutVarint32(dst, f.source);
  PutVarint64(dst, f.frame_offset);
  PutVarint64(dst, f.frame_size);
  PutFixed64(dst, f.frame_xxh3);
}

Result<ArchiveFileEntry> DecodeArchiveFileEntry(std::string_view* in) {
  ArchiveFileEntry f;
  std::string_view name;
  if (!GetLengthPrefixed(in, &name, kMaxArchiveFileNameBytes)) return Bad("truncated file name");
  if (!ValidArchiveFileName(name)) return Bad("bad file name");
  f.name.assign(name);
  if (!GetVarint64(in, &f.size) || !GetFixed64(in, &f.xxh3) || !GetVarint32(in, &f.source) ||
      !GetVarint64(in, &f.frame_offset) || !GetVarint64(in, &f.frame_size) ||
      !GetFixed64(in, &f.frame_xxh3)) {
    return Bad("truncated entry of file '" + f.name + "'");
  }
  if (f.frame_size == 0 || f.frame_size >= kMaxArchiveOffset ||
      f.frame_offset >= kMaxArchiveOffset) {
    return Bad("frame of file '" + f.name + "' out of range");
  }
  return f;
}

void EncodeArchiveManifest(const ArchiveManifest& m, std::string* dst) {
  ROXI_DCHECK(m.files.size() <= kMaxArchiveFiles && m.parents.size() <= kMaxArchiveParents);
  ROXI_DCHECK(!m.created_by.empty() && m.created_by.size() <= kMaxCreatedByBytes);
  ROXI_DCHECK(m.embedder_id.size() <= kMaxEmbedderIdBytes);
  const size_t start = dst->size();
  dst->push_back(static_cast<char>(kArchiveManifestV1));
  PutId(dst, m.archive_id);
  PutId(dst, m.store_id);
  PutVarint64(dst, m.created_at_micros);
  PutLengthPrefixed(dst, m.created_by);
  PutVarint32(dst, m.schema_version);
  PutVarint64(dst, m.sequence);
  PutLengthPrefixed(dst, m.embedder_id);
  for (uint64_t v : {m.documents, m.chunks, m.vectors, m.pending, m.failed}) PutVarint64(dst, v);
  PutVarint32(dst, static_cast<uint32_t>(m.parents.size()));
  for (const auto& p : m.parents) {
    PutId(dst, p.archive_id);
    PutLengthPrefixed(dst, p.name);
  }
  PutVarint32(dst, static_cast<uint32_t>(m.files.size()));
  for (const auto& f : m.files) EncodeArchiveFileEntry(f, dst);
  SealRecord(dst, start);
}

Result<ArchiveManifest> DecodeArchiveManifest(std::string_view in) {
  if (in.size() > kMaxArchiveManifestBytes) return Bad("larger than the limit");
  ROXI_ASSIGN_OR_RETURN(std::string_view body, OpenRecord(in, kWhat, kArchiveManifestV1));
  ArchiveManifest m;
  std::string_view created_by;
  std::string_view embedder_id;
  if (!GetId(&body, &m.archive_id) || !GetId(&body, &m.store_id) ||
      !GetVarint64(&body, &m.created_at_micros) ||
      !GetLengthPrefixed(&body, &created_by, kMaxCreatedByBytes) ||
      !GetVarint32(&body, &m.schema_version) || !GetVarint64(&body, &m.sequence) ||
      !GetLengthPrefixed(&body, &embedder_id, kMaxEmbedderIdBytes)) {
    return Bad("truncated fields");
  }
  if (created_by.empty()) return Bad("empty created_by");
  m.created_by.assign(created_by);
  m.embedder_id.assign(embedder_id);
  for (uint64_t* v : {&m.documents, &m.chunks, &m.vectors, &m.pending, &m.failed}) {
    if (!GetVarint64(&body, v)) return Bad("truncated counts");
  }
  // Compared without wrapping, as the counters record is (FORMAT.md §3.6).
  if (m.vectors > m.chunks || m.pending > m.chunks - m.vectors ||
      m.failed != m.chunks - m.vectors - m.pending) {
    return Bad("chunks != vectors + pending + failed");
  }
  ROXI_RETURN_IF_ERROR(DecodeParents(&body, &m));
  ROXI_RETURN_IF_ERROR(DecodeFiles(&body, &m));
  if (!body.empty()) return Bad(std::to_string(body.size()) + " trailing bytes");
  return m;
}

uint64_t ArchiveFramesEnd(const ArchiveManifest& manifest) {
  uint64_t end = kArchiveHeaderSize;
  for (const auto& f : manifest.files) {
    if (f.source == 0) end = f.frame_offset + f.frame_size;
  }
  return end;
}

Status CheckArchiveManifestPlacement(const ArchiveManifest& manifest, const ArchiveFooter& footer) {
  const uint64_t end = ArchiveFramesEnd(manifest);
  if (end != footer.manifest_offset) {
    return Bad("frames end at byte " + std::to_string(end) + " but the manifest starts at " +
               std::to_string(footer.manifest_offset));
  }
  return Status::OK();
}

Status CheckArchiveFooter(const ArchiveFooter& footer, uint64_t archive_size) {
  constexpr std::string_view kFooter = "archive footer";
  if (archive_size < kArchiveHeaderSize + kArchiveFooterSize) {
    return Status::Corruption(kFooter,
                              "archive of " + std::to_string(archive_size) + " bytes is too short");
  }
  const uint64_t space = archive_size - kArchiveHeaderSize - kArchiveFooterSize;
  if (footer.manifest_offset < kArchiveHeaderSize || footer.manifest_size == 0 ||
      footer.manifest_size > kMaxArchiveManifestBytes ||
      footer.manifest_offset - kArchiveHeaderSize > space ||
      footer.manifest_size != space - (footer.manifest_offset - kArchiveHeaderSize)) {
    return Status::Corruption(kFooter, "manifest at " + std::to_string(footer.manifest_offset) +
                                           " (+" + std::to_string(footer.manifest_size) +
                                           ") does not fit an archive of " +
                                           std::to_string(archive_size) + " bytes");
  }
  return Status::OK();
}

}  // namespace roxi::format
