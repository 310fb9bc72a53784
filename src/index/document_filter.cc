#include "src/index/document_filter.h"

#include <algorithm>

#include "src/common/duration.h"
#include "src/common/utc_time.h"

namespace roxi::index {

bool MatchesFilter(const DocumentFilter& filter, const format::DocumentRecord& document) {
  if (filter.prefix && !document.name.starts_with(*filter.prefix)) return false;
  if (filter.since_micros && document.ingested_at_micros < *filter.since_micros) return false;
  if (filter.until_micros && document.ingested_at_micros >= *filter.until_micros) return false;
  return std::all_of(filter.metadata.begin(), filter.metadata.end(),
                     [&](const format::MetadataField& f) {
                       return format::HasMetadata(document.metadata, f.key, f.value);
                     });
}

Result<format::MetadataField> ParseFilterCondition(std::string_view argument) {
  const std::string what = "filter '" + std::string(argument.substr(0, 80)) + "'";
  const size_t eq = argument.find('=');
  if (eq == std::string_view::npos) return Status::InvalidArgument(what, "want key=value");
  const std::string_view key = argument.substr(0, eq);
  if (key.empty()) return Status::InvalidArgument(what, "empty key (want key=value)");
  ROXI_RETURN_IF_ERROR(format::ValidateMetadataKey(key).WithContext(what));
  const std::string_view value = argument.substr(eq + 1);
  if (value.size() > format::kMaxMetadataValueBytes) {
    return Status::InvalidArgument(what, "value longer than any metadata value can be");
  }
  return format::MetadataField{std::string(key), std::string(value)};
}

Result<uint64_t> ParseTimeBound(std::string_view what, std::string_view text, uint64_t now_micros) {
  if (auto time = common::ParseUtcTime(what, text); time.ok()) return *time;
  auto ago = common::ParseDurationMicros(what, text);
  if (!ago.ok()) {
    return Status::InvalidArgument(std::string(what) + " '" + std::string(text.substr(0, 80)) + "'",
                                   "want a UTC date or time (2026-12-01, 2026-12-01T08:30:00Z) or "
                                   "a duration back from now (90m, 24h)");
  }
  return *ago >= now_micros ? 0 : now_micros - *ago;
}

Status CheckFilter(const DocumentFilter& filter) {
  if (filter.since_micros && filter.until_micros && *filter.since_micros >= *filter.until_micros) {
    return Status::InvalidArgument(
        "since " + common::UtcTime(*filter.since_micros) + " and until " +
            common::UtcTime(*filter.until_micros),
        "leave no time between them (since must come before until)");
  }
  return Status::OK();
}

}  // namespace roxi::index
