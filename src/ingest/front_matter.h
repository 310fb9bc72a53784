// Markdown front matter: the `---` block at the very start of a Markdown file (Jekyll, Hugo,
// Obsidian, Pandoc) whose fields become the document's metadata.
//
// The block opens with a line `---` as the file's first line and closes with a line `---` or
// `...`. Between them, the YAML subset these files use in practice:
//
//   title: A plain value              key: value (quotes '...' or "..." are removed)
//   tags: [roxi, search]              a flow list: one field per item
//   authors:                          a block list: one field per `- item` line
//     - Ada
//   summary: >                        a folded (>) or literal (|) block: the indented lines
//     two lines joined                joined by spaces (>) or newlines (|)
//   # a comment line, or a blank line
//
// Anything else (a nested mapping, a line without `key:`, a key roxi does not accept, an
// unclosed block) is malformed. The document is then still ingested, as plain text without front-
// matter metadata, and the error names the line, so one odd file never stops a folder's ingest.
// The block stays part of the document's text: it is chunked and searchable like the rest.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "format/document_metadata.h"
#include "format/status.h"

namespace roxi::ingest {

// The front matter is looked for in at most this many leading bytes.
inline constexpr size_t kMaxFrontMatterBytes = 64 * 1024;

// True if a document named `name` is Markdown (.md, .markdown, .mdx, any case): only those have
// front matter.
bool IsMarkdownName(std::string_view name);

// The fields of the front matter that opens `text`; nullopt if `text` does not open with one.
// InvalidArgument "front matter line N: <what is wrong>" if it is malformed (N counts from 1, the
// opening `---`). Values are checked as document_metadata_input.h says; the result is canonical.
Result<std::optional<format::DocumentMetadata>> ParseFrontMatter(std::string_view text);

}  // namespace roxi::ingest
