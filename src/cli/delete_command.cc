// roxi delete: removes documents, with their chunks, vectors and queue entries, from the store.
#include <filesystem>
#include <sstream>

#include "src/cli/command_line.h"
#include "src/cli/commands.h"
#include "src/cli/server_client.h"
#include "src/common/test_hook.h"
#include "src/ingest/document_deleter.h"
#include "src/server/documents_json.h"

namespace roxi::cli {

namespace {

std::string DeleteText(const ingest::DeleteReport& report, const std::string& where) {
  std::ostringstream text;
  for (const auto& d : report.documents) {
    text << (report.dry_run ? "would delete " : "deleted ") << d.name << " (" << d.chunks
         << " chunk(s))\n";
  }
  text << (report.dry_run ? "would delete " : "deleted ") << report.documents.size()
       << " document(s), " << report.chunks << " chunk(s)" << where
       << (report.dry_run ? "; nothing changed (--dry-run)\n" : "\n");
  return text.str();
}

}  // namespace

int RunDelete(const CommandArgs& args) {
  CommandLine cl("delete", "roxi delete [options] NAME... | --prefix P",
                 "Deletes documents by the name they were ingested under (a file's absolute\n"
                 "path, or its --id); a relative path is taken from the current folder. --prefix\n"
                 "P deletes every document whose name starts with P. Each document goes with its\n"
                 "chunks, vectors and queue entries, atomically: an interrupted delete leaves\n"
                 "every document either whole or gone. A search never returns a deleted document.\n"
                 "An unknown name is an error (exit 4) and nothing is deleted. Goes through the\n"
                 "running server when there is one.");
  ingest::DeleteRequest request;
  cl.options().add_options()
      ("prefix", po::value<std::string>(&request.prefix),
       "delete every document whose name starts with this")
      ("dry-run", po::bool_switch(&request.dry_run), "list what would be deleted, change nothing");
  cl.hidden().add_options()("name", po::value<std::vector<std::string>>(&request.names));
  cl.CommandLineOnly("prefix");
  cl.CommandLineOnly("dry-run");
  cl.positional().add("name", -1);
  if (auto exit = cl.Parse(args)) return *exit;
  request.has_prefix = !cl.values()["prefix"].empty();
  if (request.names.empty() && !request.has_prefix) {
    return cl.Fail(Status::InvalidArgument(
        "roxi delete",
        "name the documents to delete, or give --prefix (see 'roxi delete --help')"));
  }
  if (const uint64_t n = common::TestEnvNumber("ROXI_TEST_DELETE_BATCH_DOCUMENTS"); n > 0) {
    request.batch_documents = n;
  }
  auto data_dir = cl.DataDir();
  if (!data_dir.ok()) return cl.Fail(data_dir.status());

  auto server = ServerClient::Find(*data_dir, cl.common());
  if (server.ok()) {
    std::error_code ec;
    request.base_dir = std::filesystem::current_path(ec).string();
    auto reply = server->Post("/v1/documents/delete", server::DeleteRequestToJson(request));
    if (!reply.ok()) return cl.Fail(reply.status());
    auto report = server::DeleteReportFromJson(*reply);
    if (!report.ok()) return cl.Fail(report.status().WithContext("server reply"));
    return cl.Succeed(server::DeleteReportToJson(*report),
                      DeleteText(*report, " through " + server->Describe()));
  }
  if (!server.status().IsNotFound()) return cl.Fail(server.status());
  storage::StoreOptions store_options = cl.StoreOptionsFor(
      *data_dir, request.dry_run ? storage::StoreOptions::Mode::kReadOnly
                                 : storage::StoreOptions::Mode::kReadWrite);
  store_options.create_if_missing = false;
  auto store = storage::Store::Open(store_options);
  if (!store.ok()) return cl.Fail(store.status());
  auto report = ingest::DeleteDocuments(store->get(), request);
  if (!report.ok()) return cl.Fail(report.status());
  return cl.Succeed(server::DeleteReportToJson(*report), DeleteText(*report, ""));
}

}  // namespace roxi::cli
