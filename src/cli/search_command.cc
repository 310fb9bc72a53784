// roxi search: embeds a query and prints the most similar chunks.
#include <iomanip>
#include <sstream>

#include "src/cli/command_line.h"
#include "src/cli/commands.h"
#include "src/cli/embedder_options.h"
#include "src/cli/server_client.h"
#include "src/embedders/embedder_identity.h"
#include "src/index/index_builder.h"
#include "src/index/searcher.h"
#include "src/server/embedder_identity_json.h"
#include "src/server/search_json.h"

namespace roxi::cli {

namespace {

// Builds the index from the store and searches it, in this process.
Result<std::vector<index::SearchResult>> SearchLocally(const std::string& data_dir,
                                                       const std::string& embedder_spec,
                                                       const std::string& query,
                                                       const index::SearchOptions& options,
                                                       format::CountersRecord* counters,
                                                       std::string* embedder_id) {
  storage::StoreOptions store_options;
  store_options.data_dir = data_dir;
  store_options.mode = storage::StoreOptions::Mode::kReadOnly;
  ROXI_ASSIGN_OR_RETURN(std::unique_ptr<storage::Store> store, storage::Store::Open(store_options));
  *counters = store->GetCounters();
  ROXI_ASSIGN_OR_RETURN(std::unique_ptr<embedders::Embedder> embedder,
                        OpenEmbedderFor(store.get(), embedder_spec));
  *embedder_id = embedder->info().id;
  ROXI_ASSIGN_OR_RETURN(std::unique_ptr<index::VectorIndex> idx,
                        index::BuildIndexFromStore(*store, embedders::IdentityOf(embedder->info())));
  return index::SearchStore(*store, *idx, *embedder, query, options);
}

}  // namespace

int RunSearch(const CommandArgs& args) {
  CommandLine cl("search", "roxi search [options] QUERY...",
                 "Embeds QUERY with the store's embedder and prints the k most similar chunks:\n"
                 "rank, cosine score, document, byte range and a snippet. When 'roxi serve' runs on\n"
                 "the data directory it answers from its warm index; otherwise the index is built\n"
                 "in memory from the stored vectors.");
  index::SearchOptions options;
  std::string embedder_spec;
  std::vector<std::string> words;
  cl.options().add_options()
      ("k,k", po::value<size_t>(&options.k)->default_value(options.k), "number of results")
      ("snippet-bytes", po::value<size_t>(&options.snippet_bytes)->default_value(options.snippet_bytes),
       "length of each snippet");
  AddEmbedderOption(&cl.options(), &embedder_spec);
  cl.hidden().add_options()("query", po::value<std::vector<std::string>>(&words));
  cl.positional().add("query", -1);
  if (auto exit = cl.Parse(args)) return *exit;

  std::string query;
  for (const auto& w : words) query += (query.empty() ? "" : " ") + w;
  auto data_dir = cl.DataDir();
  if (!data_dir.ok()) return cl.Fail(data_dir.status());

  std::vector<index::SearchResult> results;
  format::CountersRecord counters;
  std::string embedder_id;  // whose vectors answered: one embedder's, never a mix
  auto server = ServerClient::Find(*data_dir);
  if (server.ok()) {
    // The server answers only for the embedder this command was given, as a local search does.
    auto identity = EmbedderIdentityFor(embedder_spec);
    if (!identity.ok()) return cl.Fail(identity.status());
    nlohmann::json request = {{"query", query},
                              {"k", options.k},
                              {"snippet_bytes", options.snippet_bytes},
                              {"embedder", server::EmbedderIdentityToJson(*identity)}};
    auto reply = server->Post("/v1/search", request);
    if (!reply.ok()) return cl.Fail(reply.status());
    auto parsed = server::SearchResultsFromJson(reply->value("results", nlohmann::json::array()));
    if (!parsed.ok()) return cl.Fail(parsed.status().WithContext("server reply"));
    results = std::move(parsed).value();
    counters.embedded = reply->value("searched_vectors", uint64_t{0});
    counters.pending = reply->value("pending", uint64_t{0});
    embedder_id = reply->value("embedder", std::string());
  } else if (server.status().IsNotFound()) {
    auto local = SearchLocally(*data_dir, embedder_spec, query, options, &counters, &embedder_id);
    if (!local.ok()) return cl.Fail(local.status());
    results = std::move(local).value();
  } else {
    return cl.Fail(server.status());
  }

  std::ostringstream text;
  for (const auto& r : results) {
    text << r.rank << ". " << std::fixed << std::setprecision(4) << r.score << "  " << r.document
         << "  [bytes " << r.byte_offset << "-" << r.byte_offset + r.byte_length << "]\n   "
         << r.snippet << "\n";
  }
  if (results.empty()) text << "no results: " << counters.embedded << " embedded chunk(s) in the store\n";
  if (counters.pending > 0) {
    text << "(" << counters.pending << " chunk(s) still pending; run 'roxi process')\n";
  }
  nlohmann::json doc = {{"query", query},
                        {"k", options.k},
                        {"results", server::SearchResultsToJson(results)},
                        {"searched_vectors", counters.embedded},
                        {"embedder", embedder_id},
                        {"pending", counters.pending}};
  return cl.Succeed(doc, text.str());
}

}  // namespace roxi::cli
