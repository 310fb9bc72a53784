#include "src/index/searcher.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "src/common/clock.h"

#include "src/text/utf8.h"

namespace roxi::index {

std::string Snippet(std::string_view text, size_t max_bytes) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
    if (out.size() >= max_bytes + 4) break;
  }
  if (out.size() > max_bytes) {
    out.resize(text::FloorCodePointBoundary(out, max_bytes));
    out += "...";
  }
  return out;
}

Status CheckSearchOptions(const SearchOptions& options) {
  if (options.k == 0 || options.k > kMaxSearchK) {
    return Status::InvalidArgument("k " + std::to_string(options.k),
                                   "want 1 to " + std::to_string(kMaxSearchK));
  }
  const bool none = std::isinf(options.min_score) && options.min_score < 0;
  if (!std::isfinite(options.min_score) && !none) {
    std::ostringstream value;
    value << options.min_score;
    return Status::InvalidArgument("min_score " + value.str(), "want a finite number");
  }
  return CheckFilter(options.filter);
}

Result<std::vector<SearchResult>> SearchStore(const storage::Store& store, const VectorIndex& index,
                                              embedders::Embedder& query_embedder,
                                              std::string_view query, const SearchOptions& options,
                                              SearchStats* stats) {
  const common::Clock& clock = common::SystemClock();
  const uint64_t start = clock.MonotonicMicros();
  ROXI_RETURN_IF_ERROR(CheckSearchOptions(options));
  if (query.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return Status::InvalidArgument("search", "empty query");
  }
  ROXI_RETURN_IF_ERROR(text::CheckUtf8(query, "query"));
  const uint32_t dim = query_embedder.info().dim;
  if (dim != index.dim()) {
    return Status::Internal("search", "query embedder and index dimensions differ");
  }
  std::vector<float> query_vector(dim);
  std::vector<Status> item_status;
  const std::string_view texts[] = {query};
  ROXI_RETURN_IF_ERROR(query_embedder.Embed(texts, query_vector, &item_status).WithContext("query"));
  if (!item_status.empty() && !item_status[0].ok()) return item_status[0].WithContext("query");
  // Embedders give the zero vector to a text with no features (embedder.h): such a query matches
  // nothing, and every chunk would rank equal at score 0.
  if (std::all_of(query_vector.begin(), query_vector.end(), [](float x) { return x == 0.0f; })) {
    return Status::InvalidArgument("search", "no searchable terms in the query");
  }

  // Over-fetch so hits on chunks replaced since the index was built can be dropped.
  const size_t fetch = std::min(index.size(), options.k * 2 + 8);
  std::vector<SearchResult> results;
  SearchStats local;
  local.index = std::string(index.kind());
  local.searched_vectors = index.size();
  local.pending_chunks = store.GetCounters().pending;
  // A filter becomes the sorted ids of the documents it accepts; the scan then scores only their
  // chunks (ids are checked in storage order, so one lookup serves a document's run of chunks).
  const bool filtered = !options.filter.empty();
  std::vector<uint64_t> accepted_documents;
  if (filtered) {
    ROXI_RETURN_IF_ERROR(store.ForEachDocument(
        [&](format::DocumentId id, const format::DocumentRecord& document) {
          if (MatchesFilter(options.filter, document)) accepted_documents.push_back(id.value);
          return Status::OK();
        }));
    local.filtered_documents = accepted_documents.size();
  }
  uint64_t last_document = ~uint64_t{0};
  bool last_accepted = false;
  VectorIndex::IdFilter accept;
  if (filtered) {
    accept = [&](uint64_t id) {
      const uint64_t document = format::DocumentOf(format::ChunkId{id}).value;
      if (document != last_document) {
        last_document = document;
        last_accepted = std::binary_search(accepted_documents.begin(), accepted_documents.end(),
                                           document);
      }
      return last_accepted;
    };
  }
  std::vector<SearchHit> hits;
  if (fetch > 0 && (!filtered || !accepted_documents.empty())) {
    const uint64_t scan_start = clock.MonotonicMicros();
    ROXI_ASSIGN_OR_RETURN(hits,
                          index.SearchFiltered(query_vector, fetch, options.min_score, accept));
    local.index_micros = clock.MonotonicMicros() - scan_start;
  }
  for (const SearchHit& hit : hits) {
    if (results.size() == options.k) break;
    const format::ChunkId id{hit.id};
    auto chunk = store.GetChunk(id);
    if (chunk.status().IsNotFound()) continue;
    if (!chunk.ok()) return chunk.status();
    if (chunk->state != format::ChunkState::kEmbedded) continue;  // replaced, not yet re-embedded
    auto document = store.GetDocument(format::DocumentOf(id));
    if (document.status().IsNotFound()) continue;
    if (!document.ok()) return document.status();
    // The document may have changed since the filter was read (new metadata, say).
    if (filtered && !MatchesFilter(options.filter, *document)) continue;
    SearchResult r;
    r.rank = results.size() + 1;
    r.score = hit.score;
    r.document = document->name;
    r.chunk = format::ChunkNumberOf(id);
    r.byte_offset = chunk->byte_offset;
    r.byte_length = chunk->text.size();
    if (options.snippet_bytes > 0) r.snippet = Snippet(chunk->text, options.snippet_bytes);
    r.metadata = std::move(document->metadata);
    results.push_back(std::move(r));
  }
  local.search_micros = clock.MonotonicMicros() - start;
  if (stats != nullptr) *stats = std::move(local);
  return results;
}

}  // namespace roxi::index
