// Searcher: answers a text query against the store: embeds the query, searches a VectorIndex built
// from the store, and turns each hit into a result with its document, byte range and a snippet.
// The index may be older than the store (the daemon rebuilds it lazily): hits whose chunk was
// removed or replaced since are skipped, and more hits than asked are fetched to make up for them.
//
// Thread-safety: SearchStore is safe to call concurrently as long as each call has its own
// embedder (embedders are single-threaded) and the index is not being modified.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "format/status.h"
#include "format/document_metadata.h"
#include "src/embedders/embedder.h"
#include "src/index/document_filter.h"
#include "src/index/vector_index.h"
#include "storage/store.h"

namespace roxi::index {

struct SearchResult {
  size_t rank = 0;  // 1-based
  float score = 0;  // cosine similarity
  std::string document;
  uint32_t chunk = 0;  // chunk number within the document
  uint64_t byte_offset = 0;
  uint64_t byte_length = 0;
  std::string snippet;
  format::DocumentMetadata metadata;  // the document's
};

struct SearchOptions {
  size_t k = 5;               // results wanted, 1..kMaxSearchK. Default: 5.
  size_t snippet_bytes = 160;  // snippet length in bytes; 0 for none. Default: 160.
  // Results scoring below this are left out, so fewer than k may come back; a finite number.
  // Default: -infinity (none left out).
  float min_score = -std::numeric_limits<float>::infinity();
  // Only chunks of the documents it accepts are scored (document_filter.h). Default: all.
  DocumentFilter filter;
};
inline constexpr size_t kMaxSearchK = 1000;

// How a search was answered, for replies and logs.
struct SearchStats {
  std::string index;             // the kind of index that answered (VectorIndex::kind)
  uint64_t searched_vectors = 0;  // vectors the index held
  uint64_t search_micros = 0;     // the whole SearchStore call: embedding, scan, record lookups
  uint64_t index_micros = 0;      // the index scan alone
  uint64_t pending_chunks = 0;    // chunks the store had waiting for a vector (its counter)
  // With a filter: the documents it accepted (their chunks were the only candidates).
  std::optional<uint64_t> filtered_documents;
};

// InvalidArgument for an empty or non-UTF-8 query, a query with no searchable terms (the embedder
// makes the zero vector of it, e.g. only punctuation or stop words), a k out of range (naming it),
// a min_score that is NaN or infinite (naming it) or a filter whose time bounds leave no time; the embedder's error if it cannot embed the
// query; Corruption naming a key if a hit's records are damaged. *stats, when given, is filled on
// success.
Result<std::vector<SearchResult>> SearchStore(const storage::Store& store, const VectorIndex& index,
                                              embedders::Embedder& query_embedder,
                                              std::string_view query, const SearchOptions& options,
                                              SearchStats* stats = nullptr);

// InvalidArgument naming the value unless k is in 1..kMaxSearchK and min_score is a number that is
// finite or -infinity (the default); what SearchStore checks first, for callers that check a
// request before they need the store.
Status CheckSearchOptions(const SearchOptions& options);

// The chunk's text on one line, cut to about max_bytes at a character boundary ("..." added).
std::string Snippet(std::string_view text, size_t max_bytes);

}  // namespace roxi::index
