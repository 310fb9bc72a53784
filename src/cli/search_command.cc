// roxi search: embeds a query and prints the most similar chunks.
#include <iomanip>
#include <sstream>

#include "src/cli/command_line.h"
#include "src/cli/commands.h"
#include "src/cli/embedder_options.h"
#include "src/embedders/embedder_identity.h"
#include "src/index/index_builder.h"
#include "src/text/utf8.h"

namespace roxi::cli {

namespace {

// The chunk's text on one line, cut to about max_bytes at a character boundary.
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

}  // namespace

int RunSearch(const CommandArgs& args) {
  CommandLine cl("search", "roxi search [options] QUERY...",
                 "Embeds QUERY with the store's embedder and prints the k most similar chunks:\n"
                 "rank, cosine score, document, byte range and a snippet. The index is built in\n"
                 "memory from the stored vectors; search works while another process writes.");
  size_t k = 5;
  size_t snippet_bytes = 160;
  std::string embedder_spec;
  std::vector<std::string> words;
  cl.options().add_options()
      ("k,k", po::value<size_t>(&k)->default_value(k), "number of results")
      ("snippet-bytes", po::value<size_t>(&snippet_bytes)->default_value(snippet_bytes),
       "length of each snippet");
  AddEmbedderOption(&cl.options(), &embedder_spec);
  cl.hidden().add_options()("query", po::value<std::vector<std::string>>(&words));
  cl.positional().add("query", -1);
  if (auto exit = cl.Parse(args)) return *exit;

  std::string query;
  for (const auto& w : words) query += (query.empty() ? "" : " ") + w;
  if (query.find_first_not_of(" \t\n") == std::string::npos) {
    return cl.Fail(Status::InvalidArgument("search", "empty query"));
  }
  if (Status s = text::CheckUtf8(query, "query"); !s.ok()) return cl.Fail(s);
  if (k == 0 || k > 10000) return cl.Fail(Status::InvalidArgument("-k " + std::to_string(k), "want 1 to 10000"));
  auto data_dir = cl.DataDir();
  if (!data_dir.ok()) return cl.Fail(data_dir.status());
  storage::StoreOptions store_options;
  store_options.data_dir = *data_dir;
  store_options.mode = storage::StoreOptions::Mode::kReadOnly;
  auto store = storage::Store::Open(store_options);
  if (!store.ok()) return cl.Fail(store.status());

  nlohmann::json results = nlohmann::json::array();
  std::ostringstream text;
  const auto counters = (*store)->GetCounters();
  auto embedder = OpenEmbedderFor(store->get(), embedder_spec);
  if (!embedder.ok()) return cl.Fail(embedder.status());
  index::IndexBuildReport build;
  auto built = index::BuildIndexFromStore(**store, embedders::IdentityOf((*embedder)->info()), &build);
  if (!built.ok()) return cl.Fail(built.status());
  std::unique_ptr<index::VectorIndex> idx = std::move(built).value();

  std::vector<float> query_vector((*embedder)->info().dim);
  std::vector<Status> item_status;
  const std::string_view texts[] = {query};
  if (Status s = (*embedder)->Embed(texts, query_vector, &item_status); !s.ok()) return cl.Fail(s);
  if (!item_status[0].ok()) return cl.Fail(item_status[0].WithContext("query"));
  auto hits = idx->Search(query_vector, k);
  if (!hits.ok()) return cl.Fail(hits.status());

  size_t rank = 0;
  for (const auto& hit : *hits) {
    const format::ChunkId id{hit.id};
    auto chunk = (*store)->GetChunk(id);
    if (!chunk.ok()) return cl.Fail(chunk.status());
    auto document = (*store)->GetDocument(format::DocumentOf(id));
    if (!document.ok()) return cl.Fail(document.status());
    ++rank;
    const std::string snippet = Snippet(chunk->text, snippet_bytes);
    results.push_back({{"rank", rank},
                       {"score", hit.score},
                       {"document", document->name},
                       {"chunk", format::ChunkNumberOf(id)},
                       {"byte_offset", chunk->byte_offset},
                       {"byte_length", chunk->text.size()},
                       {"snippet", snippet}});
    text << rank << ". " << std::fixed << std::setprecision(4) << hit.score << "  " << document->name
         << "  [bytes " << chunk->byte_offset << "-" << chunk->byte_offset + chunk->text.size()
         << "]\n   " << snippet << "\n";
  }
  if (hits->empty()) text << "no results: " << counters.embedded << " embedded chunk(s) in the store\n";
  if (counters.pending > 0) {
    text << "(" << counters.pending << " chunk(s) still pending; run 'roxi process')\n";
  }
  nlohmann::json doc = {{"query", query},
                        {"k", k},
                        {"results", results},
                        {"searched_vectors", build.vectors},
                        {"pending", counters.pending}};
  return cl.Succeed(doc, text.str());
}

}  // namespace roxi::cli
