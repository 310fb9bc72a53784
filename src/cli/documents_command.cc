// roxi documents: lists the store's documents with their chunks by state.
#include <iomanip>
#include <sstream>

#include "src/cli/command_line.h"
#include "src/cli/commands.h"
#include "src/cli/server_client.h"
#include "src/common/human_bytes.h"
#include "src/common/utc_time.h"
#include "src/ingest/document_list.h"
#include "src/server/documents_json.h"

namespace roxi::cli {

namespace {

std::string DocumentsText(const ingest::DocumentPage& page) {
  std::ostringstream text;
  for (const auto& d : page.documents) {
    text << d.record.name << "\n    " << common::HumanBytes(d.record.size_bytes) << ", "
         << d.record.chunk_count << " chunk(s): " << d.embedded << " embedded, " << d.pending
         << " pending, " << d.failed << " failed; ingested "
         << common::UtcTime(d.record.ingested_at_micros) << "\n";
    if (!d.record.metadata.empty()) {
      text << "    " << format::DescribeMetadata(d.record.metadata) << "\n";
    }
  }
  text << page.documents.size() << " document(s)";
  if (!page.next_after.empty()) {
    text << "; more follow: --after '" << page.next_after << "'";
  }
  text << "\n";
  return text.str();
}

}  // namespace

int RunDocuments(const CommandArgs& args) {
  CommandLine cl("documents", "roxi documents [--prefix P] [--limit N] [--after NAME] [options]",
                 "Lists documents in name order: name, size, chunks (embedded, pending,\n"
                 "failed) and when each was ingested. --prefix P keeps the names that start with\n"
                 "P; --limit and --after page through a large store. Works beside a running\n"
                 "writer, and through the running server when there is one.");
  std::string prefix;
  std::string after;
  size_t limit = 1000;
  cl.options().add_options()
      ("prefix", po::value<std::string>(&prefix), "only names that start with this")
      ("after", po::value<std::string>(&after), "start after this name (paging)")
      ("limit", po::value<size_t>(&limit)->default_value(limit),
       "most documents listed, 1..10000");
  for (const char* name : {"prefix", "after", "limit"}) cl.CommandLineOnly(name);
  if (auto exit = cl.Parse(args)) return *exit;
  auto data_dir = cl.DataDir();
  if (!data_dir.ok()) return cl.Fail(data_dir.status());

  ingest::DocumentPage page;
  auto server = ServerClient::Find(*data_dir, cl.common());
  if (server.ok()) {
    auto reply = server->Get("/v1/documents?prefix=" + ServerClient::UrlEncode(prefix) +
                             "&after=" + ServerClient::UrlEncode(after) +
                             "&limit=" + std::to_string(limit));
    if (!reply.ok()) return cl.Fail(reply.status());
    auto parsed = server::DocumentPageFromJson(*reply);
    if (!parsed.ok()) return cl.Fail(parsed.status().WithContext("server reply"));
    page = std::move(parsed).value();
  } else if (server.status().IsNotFound()) {
    auto store = storage::Store::Open(
        cl.StoreOptionsFor(*data_dir, storage::StoreOptions::Mode::kReadOnly));
    if (!store.ok()) return cl.Fail(store.status());
    auto local = ingest::ListDocuments(**store, prefix, after, limit);
    if (!local.ok()) return cl.Fail(local.status());
    page = std::move(local).value();
  } else {
    return cl.Fail(server.status());
  }
  return cl.Succeed(server::DocumentPageToJson(page), DocumentsText(page));
}

}  // namespace roxi::cli
