// roxi ingest: adds files, folders and standard input to the store's queue.
#include <sstream>

#include "src/cli/commands.h"
#include <filesystem>
#include <iostream>
#include <iterator>

#include "src/cli/command_line.h"
#include "src/cli/server_client.h"
#include "src/common/human_bytes.h"
#include "src/common/test_hook.h"
#include "src/ingest/document_deleter.h"
#include "src/ingest/document_metadata_input.h"
#include "src/ingest/ingester.h"
#include "src/server/document_metadata_json.h"
#include "src/server/documents_json.h"
#include "src/server/ingest_json.h"

namespace roxi::cli {

namespace {

// Hands the inputs to the running server, which owns the store: paths are sent absolute (the
// server reads them itself), standard input is sent as the document's text.
int IngestThroughServer(const CommandLine& cl, ServerClient* server,
                        const std::vector<std::string>& paths, const ingest::IngestOptions& options,
                        bool sync) {
  nlohmann::json request = {{"chunk_size", options.chunker.target_bytes},
                            {"chunk_max", options.chunker.max_bytes},
                            {"chunk_overlap", options.chunker.overlap_bytes}};
  if (!options.document_id.empty()) request["id"] = options.document_id;
  if (!options.metadata.empty()) request["metadata"] = server::MetadataToJson(options.metadata);
  if (sync) request["sync"] = true;
  if (paths.size() == 1 && paths[0] == "-") {
    request["content"] = std::string((std::istreambuf_iterator<char>(std::cin)),
                                     std::istreambuf_iterator<char>());
  } else {
    nlohmann::json absolute = nlohmann::json::array();
    for (const auto& p : paths) absolute.push_back(std::filesystem::absolute(p).string());
    request["paths"] = absolute;
  }
  auto reply = server->Post("/v1/ingest", request);
  if (!reply.ok()) return cl.Fail(reply.status());
  std::ostringstream text;
  text << "ingested " << reply->value("files_seen", 0) << " file(s) through " << server->Describe()
       << ": " << reply->value("created", 0) << " new, " << reply->value("replaced", 0)
       << " replaced, " << reply->value("unchanged", 0) << " unchanged; "
       << reply->value("chunks_queued", 0) << " chunk(s) queued, "
       << reply->value("chunks_reused", 0) << " reused an existing vector\n";
  for (const auto& s : reply->value("skipped", nlohmann::json::array())) {
    text << "skipped " << s.value("path", "") << ": " << s.value("reason", "") << "\n";
  }
  for (const auto& w : reply->value("warnings", nlohmann::json::array())) {
    text << "warning " << w.value("path", "") << ": " << w.value("message", "") << "\n";
  }
  for (const auto& name : reply->value("deleted", nlohmann::json::array())) {
    text << "deleted " << name.get<std::string>() << " (its file is gone)\n";
  }
  return cl.Succeed(*reply, text.str());
}

// ingest --sync --dry-run: what the sync would delete, read beside whoever writes the store.
int ListSyncDeletions(const CommandLine& cl, const std::string& data_dir,
                      const std::vector<std::string>& paths) {
  auto store =
      storage::Store::Open(cl.StoreOptionsFor(data_dir, storage::StoreOptions::Mode::kReadOnly));
  if (!store.ok()) return cl.Fail(store.status());
  auto report = ingest::DeleteDocumentsWithoutFiles(store->get(), paths, /*dry_run=*/true);
  if (!report.ok()) return cl.Fail(report.status());
  std::ostringstream text;
  for (const auto& d : report->documents) text << "would delete " << d.name << "\n";
  text << "would delete " << report->documents.size()
       << " document(s) whose files are gone; nothing changed (--dry-run)\n";
  return cl.Succeed(server::DeleteReportToJson(*report), text.str());
}

}  // namespace

int RunIngest(const CommandArgs& args) {
  CommandLine cl("ingest", "roxi ingest [options] PATH...",
                 "Reads UTF-8 text and Markdown files (folders recursively, hidden entries skipped;\n"
                 "'-' reads standard input and needs --id), splits them into overlapping chunks on\n"
                 "paragraph and sentence boundaries, and queues the chunks for 'roxi process'.\n"
                 "A document is named by its absolute path or by --id. Unchanged documents are\n"
                 "skipped; a changed document's chunks are replaced and queued again. Files in\n"
                 "folders that are binary or not UTF-8 are skipped with a warning; a file named on\n"
                 "the command line that is unusable is an error, and nothing is written. Empty\n"
                 "(0-byte) files are skipped with a warning, as they hold nothing to search; one\n"
                 "that replaces a document empties it.\n"
                 "Metadata: --meta key=value (repeatable; a key may be given several values) and,\n"
                 "for Markdown files, the front matter ('---' block: title, tags, any key) become\n"
                 "the document's metadata, shown in search results and matched by 'roxi search\n"
                 "--filter'; a key given with --meta replaces the front matter's values for it.\n"
                 "Malformed front matter is a warning naming its line; the file is still ingested,\n"
                 "as plain text without that metadata.");
  ingest::IngestOptions options;
  std::vector<std::string> paths;
  cl.options().add_options()
      ("id", po::value<std::string>(&options.document_id), "document name for a single input")
      ("chunk-size", po::value<uint32_t>(&options.chunker.target_bytes)->default_value(options.chunker.target_bytes),
       "target chunk size in bytes")
      ("chunk-max", po::value<uint32_t>(&options.chunker.max_bytes)->default_value(options.chunker.max_bytes),
       "hard upper bound of a chunk in bytes")
      ("chunk-overlap", po::value<uint32_t>(&options.chunker.overlap_bytes)->default_value(options.chunker.overlap_bytes),
       "bytes each chunk repeats of the previous one");
  std::vector<std::string> meta;
  cl.options().add_options()
      ("meta", po::value<std::vector<std::string>>(&meta),
       "key=value metadata for every document ingested (repeatable)");
  std::string max_document_size = "4G";
  cl.options().add_options()
      ("max-document-size", po::value<std::string>(&max_document_size)->default_value(max_document_size),
       "refuse a document larger than this (4G, 512MB, 2GiB, bytes); memory use does not grow "
       "with the document, so this is a choice, not a necessity");
  bool sync = false;
  bool dry_run = false;
  cl.options().add_options()
      ("sync", po::bool_switch(&sync),
       "make the store mirror each folder given: also delete the documents under it whose files "
       "are gone")
      ("dry-run", po::bool_switch(&dry_run),
       "with --sync: list the documents the sync would delete; ingest and delete nothing");
  cl.hidden().add_options()("path", po::value<std::vector<std::string>>(&paths));
  cl.positional().add("path", -1);
  cl.CommandLineOnly("meta");
  cl.CommandLineOnly("sync");
  cl.CommandLineOnly("dry-run");
  if (auto exit = cl.Parse(args)) return *exit;
  if (dry_run && !sync) {
    return cl.Fail(Status::InvalidArgument("--dry-run", "applies to --sync only"));
  }
  for (const std::string& assignment : meta) {
    auto field = ingest::ParseMetaAssignment(assignment);
    if (!field.ok()) return cl.Fail(field.status());
    options.metadata.push_back(*std::move(field));
  }
  if (Status s = format::CanonicalizeMetadata(&options.metadata); !s.ok()) {
    return cl.Fail(s.WithContext("--meta"));
  }
  auto max_bytes = common::ParseByteSize("--max-document-size", max_document_size);
  if (!max_bytes.ok()) return cl.Fail(max_bytes.status());
  if (*max_bytes == 0) {
    return cl.Fail(Status::InvalidArgument("--max-document-size 0", "want at least 1 byte"));
  }
  options.max_document_bytes = *max_bytes;
  // Tests make a few MiB a "large" document, staged in many batches.
  if (const uint64_t bytes = common::TestEnvNumber("ROXI_TEST_INGEST_BATCH_BYTES"); bytes > 0) {
    options.batch_bytes = bytes;
  }

  auto data_dir = cl.DataDir();
  if (!data_dir.ok()) return cl.Fail(data_dir.status());
  storage::StoreOptions store_options =
      cl.StoreOptionsFor(*data_dir, storage::StoreOptions::Mode::kReadWrite);
  // Check the inputs before opening (or creating) the store, so bad input changes nothing.
  if (Status check = ingest::CheckIngestInputs(paths, options); !check.ok()) return cl.Fail(check);

  if (dry_run) return ListSyncDeletions(cl, *data_dir, paths);
  auto server = ServerClient::Find(*data_dir, cl.common());
  if (server.ok()) return IngestThroughServer(cl, &*server, paths, options, sync);
  if (!server.status().IsNotFound()) return cl.Fail(server.status());

  auto store = storage::Store::Open(store_options);
  if (!store.ok()) return cl.Fail(store.status());
  ingest::Ingester ingester(store->get(), options);
  Status status = ingester.Run(paths);
  const ingest::IngestReport& r = ingester.report();
  if (!status.ok()) return cl.Fail(status);

  ingest::IngestReport report = r;
  if (sync) {
    auto deleted = ingest::DeleteDocumentsWithoutFiles(store->get(), paths, /*dry_run=*/false);
    if (!deleted.ok()) return cl.Fail(deleted.status());
    for (const auto& d : deleted->documents) report.deleted.push_back(d.name);
  }
  const auto counters = (*store)->GetCounters();
  nlohmann::json doc = server::IngestReportToJson(report);
  doc["pending"] = counters.pending;
  std::ostringstream text;
  text << "ingested " << r.files_seen << " file(s): " << r.created << " new, " << r.replaced
       << " replaced, " << r.unchanged << " unchanged; " << r.chunks_queued << " chunk(s) queued, "
       << r.chunks_reused << " reused an existing vector, "
       << counters.pending << " pending in total\n";
  for (const auto& s : r.skipped) text << "skipped " << s.path << ": " << s.reason << "\n";
  for (const auto& w : r.warnings) text << "warning " << w.path << ": " << w.message << "\n";
  for (const auto& name : report.deleted) text << "deleted " << name << " (its file is gone)\n";
  return cl.Succeed(doc, text.str());
}

}  // namespace roxi::cli
