#include "src/ingest/document_metadata_input.h"

#include <algorithm>

#include "src/text/utf8.h"

namespace roxi::ingest {

Status AddMetadataValue(std::string_view key, std::string_view value, std::string_view what,
                        format::DocumentMetadata* fields) {
  ROXI_RETURN_IF_ERROR(format::ValidateMetadataKey(key).WithContext(what));
  const std::string value_what = std::string(what) + ": value of '" + std::string(key) + "'";
  if (value.size() > format::kMaxMetadataValueBytes) {
    return Status::InvalidArgument(value_what,
                                   std::to_string(value.size()) + " bytes, more than the " +
                                       std::to_string(format::kMaxMetadataValueBytes) + " allowed");
  }
  ROXI_RETURN_IF_ERROR(text::CheckUtf8(value, value_what));
  if (value.find('\0') != std::string_view::npos) {
    return Status::InvalidArgument(value_what, "holds a NUL byte");
  }
  fields->push_back({std::string(key), std::string(value)});
  return Status::OK();
}

Result<format::MetadataField> ParseMetaAssignment(std::string_view argument) {
  const std::string what = "--meta '" + std::string(argument.substr(0, 80)) + "'";
  const size_t eq = argument.find('=');
  if (eq == std::string_view::npos) return Status::InvalidArgument(what, "want key=value");
  if (eq == 0) return Status::InvalidArgument(what, "empty key (want key=value)");
  format::DocumentMetadata one;
  ROXI_RETURN_IF_ERROR(AddMetadataValue(argument.substr(0, eq), argument.substr(eq + 1), what, &one));
  return std::move(one.front());
}

Result<format::DocumentMetadata> MergeMetadata(const format::DocumentMetadata& given,
                                               const format::DocumentMetadata& found) {
  format::DocumentMetadata merged = given;
  for (const format::MetadataField& f : found) {
    const bool overridden = std::any_of(given.begin(), given.end(),
                                        [&](const format::MetadataField& g) { return g.key == f.key; });
    if (!overridden) merged.push_back(f);
  }
  ROXI_RETURN_IF_ERROR(format::CanonicalizeMetadata(&merged));
  return merged;
}

}  // namespace roxi::ingest
