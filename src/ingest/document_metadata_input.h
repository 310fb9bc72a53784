// Metadata as users give it, checked and made canonical before it reaches a document record:
// `--meta key=value` arguments, the `metadata` object of POST /v1/ingest (through
// AddMetadataValue), and Markdown front matter (front_matter.h). Values must be UTF-8 without NUL
// bytes; keys and sizes follow format/document_metadata.h.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "format/document_metadata.h"
#include "format/status.h"

namespace roxi::ingest {

// "key=value" (the first '=' splits; the value may be empty or hold more '='). InvalidArgument
// naming the argument when there is no '=', the key is empty or not a valid key, or the value is
// too long, not UTF-8 or holds a NUL byte.
Result<format::MetadataField> ParseMetaAssignment(std::string_view argument);

// Appends key=value to *fields after checking both as ParseMetaAssignment does; `what` names
// where they came from in an error (e.g. "metadata" or "front matter line 3").
Status AddMetadataValue(std::string_view key, std::string_view value, std::string_view what,
                        format::DocumentMetadata* fields);

// The metadata of a document: `given` (from --meta or the API) wins over `found` (front matter)
// key by key: a key given replaces every value `found` has for it. The result is canonical and
// within the limits, or InvalidArgument naming the limit broken.
Result<format::DocumentMetadata> MergeMetadata(const format::DocumentMetadata& given,
                                               const format::DocumentMetadata& found);

}  // namespace roxi::ingest
