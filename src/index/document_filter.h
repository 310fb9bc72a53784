// DocumentFilter: which documents a search may return (`roxi search --filter k=v --prefix P
// --since T --until T`, and the same fields of POST /v1/search). The searcher turns it into the set
// of matching documents and the index scores only their chunks, so a filter never cuts a top-k
// after the fact: when at least k chunks match, k come back however few match.
//
// Conditions combine with AND: every metadata pair given must be among the document's fields (a
// key with several values matches any of them), its name must start with the prefix, and its
// ingest time must lie in [since, until).
//
// Thread-safety: values and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "format/document_metadata.h"
#include "format/document_record.h"
#include "format/status.h"

namespace roxi::index {

struct DocumentFilter {
  format::DocumentMetadata metadata;     // pairs that must all be present
  std::optional<std::string> prefix;     // the document name starts with it
  std::optional<uint64_t> since_micros;  // ingested at or after (Unix time)
  std::optional<uint64_t> until_micros;  // ingested before
  bool empty() const { return metadata.empty() && !prefix && !since_micros && !until_micros; }
};

// True if `document` meets every condition of `filter`.
bool MatchesFilter(const DocumentFilter& filter, const format::DocumentRecord& document);

// "key=value" as a filter condition: InvalidArgument naming the argument when there is no '=', or
// the key is empty or not a valid metadata key (format/document_metadata.h).
Result<format::MetadataField> ParseFilterCondition(std::string_view argument);

// A time bound as users type it: a UTC date or time ("2026-12-01", "2026-12-01T08:30:00Z",
// "2026-12-01T10:30:00+02:00") or a duration back from `now_micros` ("90m", "24h"). InvalidArgument
// naming `what` and the value otherwise.
Result<uint64_t> ParseTimeBound(std::string_view what, std::string_view text, uint64_t now_micros);

// InvalidArgument if the bounds leave no time at all (since at or after until), naming both.
Status CheckFilter(const DocumentFilter& filter);

}  // namespace roxi::index
