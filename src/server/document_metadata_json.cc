#include "src/server/document_metadata_json.h"

#include <string>

#include "src/ingest/document_metadata_input.h"

namespace roxi::server {

namespace {

// A scalar metadata value as text; InvalidArgument for objects, arrays and null.
Result<std::string> ScalarText(const nlohmann::json& value, const std::string& what) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number() || value.is_boolean()) return value.dump();
  return Status::InvalidArgument(what, "want a string, number or boolean, not " +
                                           std::string(value.type_name()));
}

}  // namespace

nlohmann::json MetadataToJson(const format::DocumentMetadata& metadata) {
  nlohmann::json out = nlohmann::json::object();
  for (const format::MetadataField& f : metadata) {
    if (!out.contains(f.key)) {
      out[f.key] = f.value;
    } else if (out[f.key].is_string()) {
      out[f.key] = nlohmann::json::array({out[f.key], f.value});
    } else {
      out[f.key].push_back(f.value);
    }
  }
  return out;
}

Result<format::DocumentMetadata> MetadataFromJson(const nlohmann::json& json,
                                                  std::string_view what) {
  if (!json.is_object()) {
    return Status::InvalidArgument(std::string(what), "want an object of key: value");
  }
  format::DocumentMetadata fields;
  for (const auto& [key, value] : json.items()) {
    const std::string field_what = std::string(what) + "." + key;
    if (value.is_array()) {
      for (const nlohmann::json& item : value) {
        ROXI_ASSIGN_OR_RETURN(std::string text, ScalarText(item, field_what));
        ROXI_RETURN_IF_ERROR(ingest::AddMetadataValue(key, text, what, &fields));
      }
      continue;
    }
    ROXI_ASSIGN_OR_RETURN(std::string text, ScalarText(value, field_what));
    ROXI_RETURN_IF_ERROR(ingest::AddMetadataValue(key, text, what, &fields));
  }
  ROXI_RETURN_IF_ERROR(format::CanonicalizeMetadata(&fields).WithContext(what));
  return fields;
}

Result<index::DocumentFilter> FilterFromJson(const nlohmann::json& json, uint64_t now_micros) {
  index::DocumentFilter filter;
  if (json.is_null()) return filter;
  if (!json.is_object()) return Status::InvalidArgument("filter", "want an object");
  for (const auto& [key, value] : json.items()) {
    const std::string what = "filter." + key;
    if (key == "metadata") {
      ROXI_ASSIGN_OR_RETURN(filter.metadata, MetadataFromJson(value, what));
    } else if (key == "prefix") {
      if (!value.is_string()) return Status::InvalidArgument(what, "want a string");
      filter.prefix = value.get<std::string>();
    } else if (key == "since" || key == "until") {
      if (!value.is_string()) return Status::InvalidArgument(what, "want a string");
      ROXI_ASSIGN_OR_RETURN(uint64_t bound,
                            index::ParseTimeBound(what, value.get<std::string>(), now_micros));
      (key == "since" ? filter.since_micros : filter.until_micros) = bound;
    } else {
      return Status::InvalidArgument(what, "unknown field (want metadata, prefix, since, until)");
    }
  }
  ROXI_RETURN_IF_ERROR(index::CheckFilter(filter));
  return filter;
}

}  // namespace roxi::server
