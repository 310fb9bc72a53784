// roxi search: embeds a query and prints the most similar chunks.
#include <iomanip>
#include <optional>
#include <sstream>

#include "src/cli/command_line.h"
#include "src/cli/commands.h"
#include "src/cli/embedder_options.h"
#include "src/cli/server_client.h"
#include "src/embedders/embedder_identity.h"
#include "src/index/index_builder.h"
#include "src/index/searcher.h"
#include "src/common/clock.h"
#include "src/server/document_metadata_json.h"
#include "src/server/embedder_identity_json.h"
#include "src/server/search_json.h"

namespace roxi::cli {

namespace {

// Builds the index from the store and searches it, in this process.
Result<std::vector<index::SearchResult>> SearchLocally(const storage::StoreOptions& store_options,
                                                       const std::string& embedder_spec,
                                                       const std::string& query,
                                                       const index::SearchOptions& options,
                                                       server::SearchReply* reply) {
  ROXI_ASSIGN_OR_RETURN(std::unique_ptr<storage::Store> store, storage::Store::Open(store_options));
  ROXI_ASSIGN_OR_RETURN(std::unique_ptr<embedders::Embedder> embedder,
                        OpenEmbedderFor(store.get(), embedder_spec));
  reply->embedder = embedder->info().id;
  ROXI_ASSIGN_OR_RETURN(std::unique_ptr<index::VectorIndex> idx,
                        index::BuildIndexFromStore(*store, embedders::IdentityOf(embedder->info())));
  return index::SearchStore(*store, *idx, *embedder, query, options, &reply->stats);
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
  std::optional<float> min_score;
  cl.options().add_options()
      ("k,k", po::value<size_t>(&options.k)->default_value(options.k),
       "number of results, 1 to 1000")
      ("min-score", po::value<float>()->notifier([&](float v) { min_score = v; }),
       "leave out results scoring below this cosine similarity")
      ("snippet-bytes", po::value<size_t>(&options.snippet_bytes)->default_value(options.snippet_bytes),
       "length of each snippet");
  std::vector<std::string> filters;
  std::optional<std::string> prefix, since, until;
  cl.options().add_options()
      ("filter", po::value<std::vector<std::string>>(&filters),
       "only documents with metadata key=value (repeatable: all must match)")
      ("prefix", po::value<std::string>()->notifier([&](const std::string& v) { prefix = v; }),
       "only documents whose name starts with this")
      ("since", po::value<std::string>()->notifier([&](const std::string& v) { since = v; }),
       "only documents ingested at or after this UTC date/time (2026-12-01, "
       "2026-12-01T08:30:00Z) or this long ago (90m, 24h)")
      ("until", po::value<std::string>()->notifier([&](const std::string& v) { until = v; }),
       "only documents ingested before this (same forms as --since)");
  AddEmbedderOption(&cl.options(), &embedder_spec);
  cl.hidden().add_options()("query", po::value<std::vector<std::string>>(&words));
  cl.positional().add("query", -1);
  for (const char* per_query : {"filter", "prefix", "since", "until"}) cl.CommandLineOnly(per_query);
  if (auto exit = cl.Parse(args)) return *exit;
  if (min_score) options.min_score = *min_score;
  // The filter as the server receives it; the same object, read here, is the local filter.
  nlohmann::json filter_json = nlohmann::json::object();
  {
    format::DocumentMetadata pairs;
    for (const std::string& f : filters) {
      auto condition = index::ParseFilterCondition(f);
      if (!condition.ok()) return cl.Fail(condition.status());
      pairs.push_back(*std::move(condition));
    }
    if (!pairs.empty()) filter_json["metadata"] = server::MetadataToJson(pairs);
    if (prefix) filter_json["prefix"] = *prefix;
    if (since) filter_json["since"] = *since;
    if (until) filter_json["until"] = *until;
    auto filter = server::FilterFromJson(filter_json, common::SystemClock().NowMicros());
    if (!filter.ok()) return cl.Fail(filter.status());
    options.filter = *std::move(filter);
  }
  // Checked before a server is asked or a store opened, so a bad request costs nothing.
  if (Status s = index::CheckSearchOptions(options); !s.ok()) return cl.Fail(s);

  server::SearchReply reply;
  for (const auto& w : words) reply.query += (reply.query.empty() ? "" : " ") + w;
  reply.k = options.k;
  reply.min_score = min_score;
  auto data_dir = cl.DataDir();
  if (!data_dir.ok()) return cl.Fail(data_dir.status());

  auto server = ServerClient::Find(*data_dir, cl.common());
  if (server.ok()) {
    // The server answers only for the embedder this command was given, as a local search does.
    auto identity = EmbedderIdentityFor(embedder_spec);
    if (!identity.ok()) return cl.Fail(identity.status());
    nlohmann::json request = {{"query", reply.query},
                              {"k", options.k},
                              {"snippet_bytes", options.snippet_bytes},
                              {"embedder", server::EmbedderIdentityToJson(*identity)}};
    if (min_score) request["min_score"] = *min_score;
    if (!filter_json.empty()) request["filter"] = filter_json;
    auto answer = server->Post("/v1/search", request);
    if (!answer.ok()) return cl.Fail(answer.status());
    auto parsed = server::SearchReplyFromJson(*answer);
    if (!parsed.ok()) return cl.Fail(parsed.status().WithContext("server reply"));
    reply = std::move(parsed).value();
  } else if (server.status().IsNotFound()) {
    auto local =
        SearchLocally(cl.StoreOptionsFor(*data_dir, storage::StoreOptions::Mode::kReadOnly),
                      embedder_spec, reply.query, options, &reply);
    if (!local.ok()) return cl.Fail(local.status());
    reply.results = std::move(local).value();
  } else {
    return cl.Fail(server.status());
  }

  std::ostringstream text;
  for (const auto& r : reply.results) {
    text << r.rank << ". " << std::fixed << std::setprecision(4) << r.score << "  " << r.document
         << "  [bytes " << r.byte_offset << "-" << r.byte_offset + r.byte_length << "]\n   "
         << r.snippet << "\n";
    if (!r.metadata.empty()) text << "   " << format::DescribeMetadata(r.metadata) << "\n";
  }
  if (reply.results.empty()) {
    text << "no results: " << reply.stats.searched_vectors << " embedded chunk(s) in the store";
    if (reply.stats.filtered_documents) {
      text << ", " << *reply.stats.filtered_documents << " document(s) match the filter";
    }
    text << "\n";
  }
  if (reply.stats.pending_chunks > 0) {
    text << "(" << reply.stats.pending_chunks << " chunk(s) still pending; run 'roxi process')\n";
  }
  return cl.Succeed(server::SearchReplyToJson(reply), text.str());
}

}  // namespace roxi::cli
