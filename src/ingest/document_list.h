// Listing documents: `roxi documents [--prefix P]` and the server's GET /v1/documents. Documents
// come in name order, a page at a time, each with its chunks counted by state.
//
// Thread-safety: thread-safe (reads only); a page is consistent per document, not across them.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "format/status.h"
#include "storage/store.h"

namespace roxi::ingest {

inline constexpr size_t kMaxDocumentsPage = 10000;

struct DocumentPage {
  std::vector<storage::DocumentSummary> documents;
  // The name to pass as `after` for the next page; empty when this page is the last.
  std::string next_after;
};

// Up to `limit` documents whose name starts with `prefix`, after the name `after` (from the first
// when empty). InvalidArgument for a limit of 0 or above kMaxDocumentsPage; Corruption naming a
// damaged record.
Result<DocumentPage> ListDocuments(const storage::Store& store, const std::string& prefix,
                                   const std::string& after, size_t limit);

}  // namespace roxi::ingest
