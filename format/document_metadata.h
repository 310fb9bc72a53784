// A document's metadata: the key/value fields a user attached to it (`roxi ingest --meta k=v`, the
// `metadata` object of POST /v1/ingest, Markdown front matter). Stored inside the document record
// (FORMAT.md §3.1, version 2) and matched by filtered search.
//
// A key may carry several values (a front-matter list such as `tags: [a, b]` gives two fields with
// the key "tags"); a filter key=value matches a document that has that pair. The list is kept in
// its canonical form: sorted by key, then value, with no pair twice, so equal metadata encodes to
// equal bytes.
//
// Limits (FORMAT.md §3.1): keys are 1..kMaxMetadataKeyBytes bytes of [A-Za-z0-9_.-]; values are
// 0..kMaxMetadataValueBytes bytes (UTF-8 without NUL, checked where they enter, not here); at most
// kMaxMetadataFields fields and kMaxMetadataBytes bytes of keys and values together.
//
// Thread-safety: pure functions and values.
#pragma once

#include <compare>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "format/status.h"

namespace roxi::format {

inline constexpr size_t kMaxMetadataKeyBytes = 64;
inline constexpr size_t kMaxMetadataValueBytes = 1024;
inline constexpr size_t kMaxMetadataFields = 64;
inline constexpr size_t kMaxMetadataBytes = 16 * 1024;

struct MetadataField {
  std::string key;
  std::string value;
  auto operator<=>(const MetadataField&) const = default;
};
using DocumentMetadata = std::vector<MetadataField>;

// InvalidArgument naming the key unless it is 1..kMaxMetadataKeyBytes bytes of [A-Za-z0-9_.-].
Status ValidateMetadataKey(std::string_view key);

// Sorts `fields`, drops repeated pairs, and checks every limit above: InvalidArgument naming the
// field or limit that is broken (the fields are then left sorted but otherwise unchanged).
Status CanonicalizeMetadata(DocumentMetadata* fields);

// Appends count: varint32 | (key: lenprefixed | value: lenprefixed)*. REQUIRES: canonical.
void EncodeMetadata(const DocumentMetadata& fields, std::string* dst);
// Reads what EncodeMetadata wrote from the front of *in. Corruption("<what>", detail) unless the
// list is canonical and within the limits.
Result<DocumentMetadata> DecodeMetadata(std::string_view* in, std::string_view what);

// The values of `key`, in order; empty if the key is absent.
std::vector<std::string_view> MetadataValues(const DocumentMetadata& fields, std::string_view key);
// "tags: a, b; title: T": the fields on one line, for messages and listings.
std::string DescribeMetadata(const DocumentMetadata& fields);

// True if the pair key=value is among the fields.
bool HasMetadata(const DocumentMetadata& fields, std::string_view key, std::string_view value);

}  // namespace roxi::format
