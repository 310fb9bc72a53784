#include "src/ingest/document_list.h"

namespace roxi::ingest {

Result<DocumentPage> ListDocuments(const storage::Store& store, const std::string& prefix,
                                   const std::string& after, size_t limit) {
  if (limit == 0 || limit > kMaxDocumentsPage) {
    return Status::InvalidArgument("limit " + std::to_string(limit),
                                   "want 1.." + std::to_string(kMaxDocumentsPage));
  }
  // One name more than asked says whether another page follows.
  ROXI_ASSIGN_OR_RETURN(std::vector<std::string> names, store.ListNames(prefix, after, limit + 1));
  DocumentPage page;
  const bool more = names.size() > limit;
  if (more) names.pop_back();
  for (const std::string& name : names) {
    auto summary = store.SummarizeDocument(name);
    // A document deleted between the listing and this read is simply not listed.
    if (!summary.ok() && summary.status().IsNotFound()) continue;
    if (!summary.ok()) return summary.status();
    page.documents.push_back(std::move(summary).value());
  }
  if (more) page.next_after = names.back();
  return page;
}

}  // namespace roxi::ingest
