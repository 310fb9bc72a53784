#include "format/document_metadata.h"

#include <algorithm>

#include "format/coding.h"
#include "format/record_frame.h"

namespace roxi::format {

namespace {

bool IsKeyByte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.';
}

// The broken limit of canonical `fields`, or "" when they keep them all.
std::string BrokenLimit(const DocumentMetadata& fields) {
  if (fields.size() > kMaxMetadataFields) {
    return std::to_string(fields.size()) + " fields, more than the " +
           std::to_string(kMaxMetadataFields) + " allowed";
  }
  size_t total = 0;
  for (const MetadataField& f : fields) total += f.key.size() + f.value.size();
  if (total > kMaxMetadataBytes) {
    return std::to_string(total) + " bytes of keys and values, more than the " +
           std::to_string(kMaxMetadataBytes) + " allowed";
  }
  return "";
}

}  // namespace

Status ValidateMetadataKey(std::string_view key) {
  const std::string what = "metadata key '" + std::string(key.substr(0, 80)) + "'";
  if (key.empty()) return Status::InvalidArgument("metadata key", "empty");
  if (key.size() > kMaxMetadataKeyBytes) {
    return Status::InvalidArgument(what, std::to_string(key.size()) + " bytes, more than the " +
                                             std::to_string(kMaxMetadataKeyBytes) + " allowed");
  }
  if (!std::all_of(key.begin(), key.end(), IsKeyByte)) {
    return Status::InvalidArgument(what, "want letters, digits, '_', '-' or '.' only");
  }
  return Status::OK();
}

Status CanonicalizeMetadata(DocumentMetadata* fields) {
  std::sort(fields->begin(), fields->end());
  fields->erase(std::unique(fields->begin(), fields->end()), fields->end());
  for (const MetadataField& f : *fields) {
    ROXI_RETURN_IF_ERROR(ValidateMetadataKey(f.key));
    if (f.value.size() > kMaxMetadataValueBytes) {
      return Status::InvalidArgument(
          "metadata value of '" + f.key + "'",
          std::to_string(f.value.size()) + " bytes, more than the " +
              std::to_string(kMaxMetadataValueBytes) + " allowed");
    }
  }
  if (std::string broken = BrokenLimit(*fields); !broken.empty()) {
    return Status::InvalidArgument("metadata", broken);
  }
  return Status::OK();
}

void EncodeMetadata(const DocumentMetadata& fields, std::string* dst) {
  PutVarint32(dst, static_cast<uint32_t>(fields.size()));
  for (const MetadataField& f : fields) {
    PutLengthPrefixed(dst, f.key);
    PutLengthPrefixed(dst, f.value);
  }
}

Result<DocumentMetadata> DecodeMetadata(std::string_view* in, std::string_view what) {
  uint32_t count = 0;
  if (!GetVarint32(in, &count)) return BadRecord(what, "truncated metadata");
  if (count > kMaxMetadataFields) return BadRecord(what, "too many metadata fields");
  DocumentMetadata fields;
  fields.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    std::string_view key, value;
    if (!GetLengthPrefixed(in, &key, kMaxMetadataKeyBytes) ||
        !GetLengthPrefixed(in, &value, kMaxMetadataValueBytes)) {
      return BadRecord(what, "truncated metadata");
    }
    if (!ValidateMetadataKey(key).ok()) return BadRecord(what, "bad metadata key");
    MetadataField field{std::string(key), std::string(value)};
    if (!fields.empty() && !(fields.back() < field)) {
      return BadRecord(what, "metadata not in canonical order");
    }
    fields.push_back(std::move(field));
  }
  if (!BrokenLimit(fields).empty()) return BadRecord(what, "metadata over its size limit");
  return fields;
}

std::vector<std::string_view> MetadataValues(const DocumentMetadata& fields, std::string_view key) {
  std::vector<std::string_view> values;
  for (const MetadataField& f : fields) {
    if (f.key == key) values.push_back(f.value);
  }
  return values;
}

std::string DescribeMetadata(const DocumentMetadata& fields) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) {
    const bool same_key = i > 0 && fields[i - 1].key == fields[i].key;
    if (i > 0) out += same_key ? ", " : "; ";
    if (!same_key) out += fields[i].key + ": ";
    out += fields[i].value;
  }
  return out;
}

bool HasMetadata(const DocumentMetadata& fields, std::string_view key, std::string_view value) {
  return std::any_of(fields.begin(), fields.end(),
                     [&](const MetadataField& f) { return f.key == key && f.value == value; });
}

}  // namespace roxi::format
