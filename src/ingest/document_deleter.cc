#include "src/ingest/document_deleter.h"

#include <algorithm>
#include <filesystem>
#include <set>
#include <span>

#include "src/common/test_hook.h"

namespace roxi::ingest {
namespace {

// Names are listed this many at a time when expanding a prefix.
constexpr size_t kListPage = 4096;

// The stored name `given` refers to: itself when it is a document's name, else the absolute,
// normalised path it spells (ingest names files that way). NotFound naming `given` otherwise.
Result<std::string> ResolveName(const storage::Store& store, const std::string& given,
                                const std::string& base_dir) {
  if (given.empty()) return Status::InvalidArgument("document name", "empty");
  auto direct = store.LookupName(given);
  if (direct.ok()) return given;
  if (!direct.status().IsNotFound()) return direct.status();
  std::error_code ec;
  const std::filesystem::path absolute =
      (base_dir.empty() ? std::filesystem::absolute(given, ec)
                        : std::filesystem::path(base_dir) / given)
          .lexically_normal();
  if (!ec && absolute.string() != given) {
    auto by_path = store.LookupName(absolute.string());
    if (by_path.ok()) return absolute.string();
    if (!by_path.status().IsNotFound()) return by_path.status();
  }
  return Status::NotFound("document '" + given + "'",
                          "no such document in the store (see 'roxi documents')");
}

}  // namespace

Result<std::vector<std::string>> DocumentsWithoutFiles(const storage::Store& store,
                                                       const std::string& folder) {
  std::error_code ec;
  std::string prefix = std::filesystem::absolute(folder, ec).lexically_normal().string();
  if (ec) return Status::InvalidArgument("folder " + folder, ec.message());
  if (!prefix.ends_with('/')) prefix += '/';
  std::vector<std::string> gone;
  std::string after;
  while (true) {
    ROXI_ASSIGN_OR_RETURN(std::vector<std::string> page, store.ListNames(prefix, after, kListPage));
    for (const std::string& name : page) {
      std::error_code type_ec;
      if (!std::filesystem::is_regular_file(name, type_ec)) gone.push_back(name);
    }
    if (page.size() < kListPage) break;
    after = page.back();
  }
  return gone;
}

Result<DeleteReport> DeleteDocumentsWithoutFiles(storage::Store* store,
                                                 const std::vector<std::string>& inputs,
                                                 bool dry_run) {
  DeleteRequest request;
  request.dry_run = dry_run;
  for (const std::string& input : inputs) {
    std::error_code ec;
    if (!std::filesystem::is_directory(input, ec)) continue;
    ROXI_ASSIGN_OR_RETURN(std::vector<std::string> gone, DocumentsWithoutFiles(*store, input));
    request.names.insert(request.names.end(), gone.begin(), gone.end());
  }
  if (request.names.empty()) {
    DeleteReport nothing;
    nothing.dry_run = dry_run;
    return nothing;
  }
  return DeleteDocuments(store, request);
}

Result<DeleteReport> DeleteDocuments(storage::Store* store, const DeleteRequest& request) {
  if (request.names.empty() && !request.has_prefix) {
    return Status::InvalidArgument("delete", "name the documents to delete, or give --prefix");
  }
  if (request.has_prefix && request.prefix.empty()) {
    return Status::InvalidArgument("--prefix", "empty: it would match every document");
  }
  if (request.batch_documents == 0 || request.batch_documents > 65536) {
    return Status::InvalidArgument("delete batch size",
                                   std::to_string(request.batch_documents) + ", want 1..65536");
  }
  // Resolve everything before deleting anything.
  std::vector<std::string> names;
  std::set<std::string> seen;
  for (const std::string& given : request.names) {
    auto name = ResolveName(*store, given, request.base_dir);
    if (!name.ok() && name.status().IsNotFound() && request.ignore_unknown) continue;
    if (!name.ok()) return name.status();
    if (seen.insert(*name).second) names.push_back(std::move(name).value());
  }
  if (request.has_prefix) {
    std::string after;
    while (true) {
      ROXI_ASSIGN_OR_RETURN(std::vector<std::string> page,
                            store->ListNames(request.prefix, after, kListPage));
      for (std::string& name : page) {
        if (seen.insert(name).second) names.push_back(std::move(name));
      }
      if (page.size() < kListPage) break;
      after = names.back();
    }
  }

  DeleteReport report;
  report.dry_run = request.dry_run;
  if (request.dry_run) {
    for (const std::string& name : names) {
      ROXI_ASSIGN_OR_RETURN(format::DocumentId id, store->LookupName(name));
      ROXI_ASSIGN_OR_RETURN(format::DocumentRecord document, store->GetDocument(id));
      report.documents.push_back({name, document.chunk_count});
      report.chunks += document.chunk_count;
    }
    return report;
  }
  for (size_t begin = 0; begin < names.size(); begin += request.batch_documents) {
    const size_t end = std::min(names.size(), begin + request.batch_documents);
    ROXI_TEST_HOOK("delete:before_commit");
    ROXI_ASSIGN_OR_RETURN(storage::DeleteSummary summary,
                          store->DeleteDocuments(std::span(names).subspan(begin, end - begin)));
    ROXI_TEST_HOOK("delete:after_commit");
    for (const auto& entry : summary.documents) {
      report.documents.push_back({entry.name, entry.chunks});
    }
    report.chunks += summary.chunks;
  }
  return report;
}

}  // namespace roxi::ingest
