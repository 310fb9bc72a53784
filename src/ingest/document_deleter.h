// Deleting documents: `roxi delete NAME... [--prefix P] [--dry-run]`, the server's delete routes
// and a watched folder's deleted files all come here. Names are resolved first (a name as ingested,
// or a path, made absolute as ingest names files), so an unknown name is refused before anything is
// deleted. Documents are then deleted in batches of whole documents, each batch one WriteBatch
// (Store::DeleteDocuments): a crash leaves every document either whole or entirely gone.
//
// Thread-safety: DeleteDocuments may run beside searches and the processor; the caller keeps
// ingests and other deletions of the same store out meanwhile (as Daemon does with its ingest
// lock), so that a name resolved here is still the same document when its batch commits.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "format/status.h"
#include "storage/store.h"

namespace roxi::ingest {

struct DeleteRequest {
  // Documents by name, or by a path that names one once made absolute. Default: none.
  std::vector<std::string> names;
  // Also every document whose name starts with this (an empty prefix is refused: it would be every
  // document). Default: none.
  std::string prefix;
  bool has_prefix = false;
  // Pass over names that are no document instead of refusing the request (a watched file that was
  // never ingested). Default: false.
  bool ignore_unknown = false;
  // Report what would be deleted and change nothing. Default: false.
  bool dry_run = false;
  // The folder a relative path in `names` is relative to (the client's working directory when a
  // server deletes). Default: empty, this process's working directory.
  std::string base_dir;
  // Documents per WriteBatch, 1..65536. Default: 256.
  size_t batch_documents = 256;
};

struct DeletedDocument {
  std::string name;
  uint32_t chunks = 0;
};

struct DeleteReport {
  bool dry_run = false;
  std::vector<DeletedDocument> documents;  // in name order for a prefix, else as given
  uint64_t chunks = 0;
};

// The names of the documents a folder's files were ingested under whose files are gone (no longer
// a regular file at that path): what `roxi ingest --sync DIR` and a watched folder delete. `folder`
// is made absolute as ingest makes it. A file that exists but was never ingested (hidden, binary)
// is nothing to this. Corruption naming a damaged name record.
Result<std::vector<std::string>> DocumentsWithoutFiles(const storage::Store& store,
                                                       const std::string& folder);

// What `roxi ingest --sync` adds to an ingest: deletes (or, with `dry_run`, lists) the documents
// under each folder of `inputs` whose files are gone (DocumentsWithoutFiles). Inputs that are not
// folders are passed over. Errors as DeleteDocuments.
Result<DeleteReport> DeleteDocumentsWithoutFiles(storage::Store* store,
                                                 const std::vector<std::string>& inputs,
                                                 bool dry_run);

// Deletes what `request` names from `store` (read-write; read-only is enough for a dry run).
// InvalidArgument when it names nothing, for an empty prefix or a batch size out of range;
// NotFound naming the first name that is no document (nothing deleted then); a prefix that matches
// nothing deletes nothing and is not an error. An error after deleting began (an I/O failure)
// leaves the batches committed before it deleted.
Result<DeleteReport> DeleteDocuments(storage::Store* store, const DeleteRequest& request);

}  // namespace roxi::ingest
