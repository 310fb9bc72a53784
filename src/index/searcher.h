// Searcher: answers a text query against the store: embeds the query, searches a VectorIndex built
// from the store, and turns each hit into a result with its document, byte range and a snippet.
// The index may be older than the store (the daemon rebuilds it lazily): hits whose chunk was
// removed or replaced since are skipped, and more hits than asked are fetched to make up for them.
//
// Thread-safety: SearchStore is safe to call concurrently as long as each call has its own
// embedder (embedders are single-threaded) and the index is not being modified.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "format/status.h"
#include "src/embedders/embedder.h"
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
};

struct SearchOptions {
  size_t k = 5;               // results wanted, 1..kMaxSearchK
  size_t snippet_bytes = 160;  // snippet length; 0 for none
};
inline constexpr size_t kMaxSearchK = 10000;

// InvalidArgument for an empty or non-UTF-8 query, a query with no searchable terms (the embedder
// makes the zero vector of it, e.g. only punctuation or stop words), or a k out of range; the embedder's error if it
// cannot embed the query; Corruption naming a key if a hit's records are damaged.
Result<std::vector<SearchResult>> SearchStore(const storage::Store& store, const VectorIndex& index,
                                              embedders::Embedder& query_embedder,
                                              std::string_view query, const SearchOptions& options);

// The chunk's text on one line, cut to about max_bytes at a character boundary ("..." added).
std::string Snippet(std::string_view text, size_t max_bytes);

}  // namespace roxi::index
