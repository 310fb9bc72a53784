// End to end: `roxi reembed` / `roxi process --reembed` move a store to another embedder while
// `roxi search` keeps answering, each answer from one model's vectors; kill -9 mid-way resumes.
#include <signal.h>

#include <map>

#include "format/hash.h"
#include "storage/store.h"
#include "tests/cli/cli_fixture.h"
#include "tests/support/fake_embedding_server.h"

namespace roxi::testing {
namespace {

constexpr int kDocuments = 24;

// Runs that kill themselves at the `after`-th pass through test hook `hook` (src/common/test_hook.h).
RunOptions CrashAt(const std::string& hook, int after = 1) {
  RunOptions options;
  options.env = {{"ROXI_TEST_CRASH_AT", hook}, {"ROXI_TEST_CRASH_AFTER", std::to_string(after)}};
  return options;
}

class ReembedCliTest : public CliTest {
 protected:
  // kDocuments one-chunk documents, ingested and embedded with the builtin embedder.
  void EmbeddedStore() {
    for (int i = 0; i < kDocuments; ++i) {
      texts_.push_back(GeneratedParagraph(7000 + i, 20));
      WriteDoc("doc" + std::to_string(i) + ".txt", texts_.back());
    }
    RoxiJson("ingest", {docs_dir()});
    RoxiJson("process", {"--quiet"});
    old_id_ = Status()["embedder"]["id"].get<std::string>();
  }

  // Vectors per model fingerprint in the store's active family (or its staging family), read
  // directly from the store.
  std::map<uint64_t, size_t> Models(bool staging) {
    storage::StoreOptions options;
    options.data_dir = data_dir();
    options.mode = storage::StoreOptions::Mode::kReadOnly;
    auto store = storage::Store::Open(options);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    std::map<uint64_t, size_t> models;
    if (!store.ok()) return models;
    auto count = [&](format::ChunkId, const format::VectorRecord& v) {
      ++models[v.model];
      return roxi::Status::OK();
    };
    EXPECT_TRUE((staging ? (*store)->ForEachStagingVector(count) : (*store)->ForEachVector(count)).ok());
    return models;
  }

  // Searches for document `doc`'s exact text; expects it first with a cosine of about 1, which
  // holds only if the query and the stored vectors come from the same model. Returns the JSON.
  nlohmann::json SearchDocument(int doc, const std::vector<std::string>& embedder_flags) {
    std::vector<std::string> args = embedder_flags;
    args.insert(args.end(), {"-k", "3", texts_[doc]});
    auto json = RoxiJson("search", args);
    EXPECT_TRUE(json["results"][0]["document"].get<std::string>().ends_with(
        "doc" + std::to_string(doc) + ".txt"))
        << json.dump();
    EXPECT_GT(json["results"][0]["score"].get<double>(), 0.99) << json.dump();
    EXPECT_EQ(json["searched_vectors"], kDocuments);
    return json;
  }

  std::vector<std::string> texts_;
  std::string old_id_;
};

TEST_F(ReembedCliTest, SearchesKeepAnsweringFromOneModelWhileTheModelChanges) {
  EmbeddedStore();
  FakeEmbeddingServerOptions slow;
  slow.dim = 16;
  slow.delay_ms = 100;  // with batches of 2: about 1.2 s of re-embedding
  FakeEmbeddingServer server(slow);
  const std::vector<std::string> new_flags{"--embedder", "openai:" + server.BaseUrl(), "--model",
                                           "fake-embed", "--dimensions", "16"};
  std::vector<std::string> args{"reembed", "--data-dir", data_dir(), "--batch-size", "2",
                                "--json",  "--quiet",    "--log-level", "off"};
  args.insert(args.end(), new_flags.begin(), new_flags.end());
  const std::string log = dir_.Sub("reembed.out");
  BackgroundProcess reembed(RoxiBinary(), args, {}, log);

  int answered_during = 0;
  bool saw_progress = false;
  while (reembed.Running()) {
    RunResult r = Roxi("search", {"--json", "-k", "3", texts_[answered_during % kDocuments]});
    if (r.exit_code == 2) {
      // The swap happened between two searches: the old embedder is refused from then on.
      EXPECT_NE(r.out.find("roxi reembed"), std::string::npos) << r.out;
      break;
    }
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto json = nlohmann::json::parse(r.out);
    EXPECT_EQ(json["embedder"], old_id_);
    EXPECT_EQ(json["searched_vectors"], kDocuments);  // the whole old set, never part of it
    EXPECT_GT(json["results"][0]["score"].get<double>(), 0.99) << json.dump();
    ++answered_during;
    auto status = Roxi("status", {"--json"});
    auto doc = nlohmann::json::parse(status.out);
    if (reembed.Running() && !doc["reembed"].is_null()) {
      saw_progress = true;
      EXPECT_LE(doc["reembed"]["done"].get<uint64_t>(), doc["reembed"]["total"].get<uint64_t>());
      // `total` and `embedder` are not asserted here: a status opened (as a RocksDB secondary)
      // while the re-embed writes has been seen to miss the earlier process run's meta writes
      // (total 0, no embedder), an open question about secondary opens; the searches above are
      // checked in full.
    }
  }
  ASSERT_EQ(reembed.Wait(), 0) << ReadFile(log);
  EXPECT_GE(answered_during, 2) << "searches should answer while the re-embed runs";
  EXPECT_TRUE(saw_progress);
  auto result = nlohmann::json::parse(ReadFile(log));
  EXPECT_TRUE(result["swapped"].get<bool>());
  EXPECT_EQ(result["staged"], kDocuments);
  EXPECT_EQ(result["from"], old_id_);
  const std::string new_id = result["target"].get<std::string>();

  // After the swap: the new model answers, the old one is refused, no old vector remains.
  for (int doc : {0, 11, kDocuments - 1}) EXPECT_EQ(SearchDocument(doc, new_flags)["embedder"], new_id);
  RunResult old_search = Roxi("search", {"tides"});
  EXPECT_EQ(old_search.exit_code, 2);
  EXPECT_NE(old_search.err.find("holds vectors of '" + new_id + "'"), std::string::npos)
      << old_search.err;
  EXPECT_EQ(Models(false), (std::map<uint64_t, size_t>{{format::Xxh3(new_id), kDocuments}}));
  EXPECT_TRUE(Models(true).empty());
  auto verify = RoxiJson("verify");
  EXPECT_TRUE(verify["clean"].get<bool>()) << verify.dump();
  EXPECT_EQ(verify["store"]["vectors"], kDocuments);
  EXPECT_EQ(verify["store"]["staging_vectors"], 0);
  EXPECT_EQ(verify["store"]["embedder"], new_id);
  auto status = Status();
  EXPECT_EQ(status["embedder"]["id"], new_id);
  EXPECT_TRUE(status["reembed"].is_null());
}

TEST_F(ReembedCliTest, KillNineMidReembedLeavesAConsistentStoreAndARerunResumes) {
  EmbeddedStore();
  const std::vector<std::string> new_flags{"--embedder", "builtin", "--dimensions", "64"};
  // Killed right after its third commit of two staging vectors.
  std::vector<std::string> args{"process", "--reembed", "--batch-size", "2", "--quiet"};
  args.insert(args.end(), new_flags.begin(), new_flags.end());
  RunResult killed = Roxi(args.front(), {args.begin() + 1, args.end()},
                          CrashAt("reembed:after_commit", 3));
  ASSERT_EQ(killed.exit_code, 128 + SIGKILL) << killed.err;

  auto status = Status();
  ASSERT_FALSE(status["reembed"].is_null());
  EXPECT_EQ(status["reembed"]["done"], 6);
  EXPECT_EQ(status["embedder"]["id"], old_id_);
  auto verify = RoxiJson("verify");
  EXPECT_TRUE(verify["clean"].get<bool>()) << verify.dump();
  EXPECT_EQ(verify["store"]["staging_vectors"], 6);
  EXPECT_EQ(SearchDocument(3, {})["embedder"], old_id_);
  // The target embedder cannot search yet, and says why.
  std::vector<std::string> early{"-k", "1", "tides"};
  early.insert(early.begin(), new_flags.begin(), new_flags.end());
  RunResult target_search = Roxi("search", early);
  EXPECT_EQ(target_search.exit_code, 2);
  EXPECT_NE(target_search.err.find("is in progress"), std::string::npos) << target_search.err;

  // Killed again just before the swap, then finished: each run carries on where the last stopped.
  RunResult before_swap = Roxi(args.front(), {args.begin() + 1, args.end()},
                               CrashAt("reembed:before_swap"));
  ASSERT_EQ(before_swap.exit_code, 128 + SIGKILL) << before_swap.err;
  std::vector<std::string> resume{"--reembed", "--batch-size", "2", "--quiet"};
  resume.insert(resume.end(), new_flags.begin(), new_flags.end());
  auto done = RoxiJson("process", resume);
  EXPECT_TRUE(done["swapped"].get<bool>());
  EXPECT_EQ(done["staged"], 0);  // everything was staged before the second kill
  const std::string new_id = done["target"].get<std::string>();
  EXPECT_EQ(Models(false), (std::map<uint64_t, size_t>{{format::Xxh3(new_id), kDocuments}}));
  EXPECT_TRUE(Models(true).empty());
  EXPECT_TRUE(RoxiJson("verify")["clean"].get<bool>());
  EXPECT_EQ(SearchDocument(5, new_flags)["embedder"], new_id);
}

TEST_F(ReembedCliTest, SameEmbedderOtherTargetAndCancelAreClear) {
  EmbeddedStore();
  RunResult same = Roxi("reembed", {"--embedder", "builtin"});
  EXPECT_EQ(same.exit_code, 2);
  EXPECT_NE(same.err.find("already uses '" + old_id_ + "': nothing to re-embed"),
            std::string::npos)
      << same.err;

  RunResult started = Roxi("reembed", {"--dimensions", "32", "--batch-size", "2", "--quiet"},
                           CrashAt("reembed:after_commit"));
  ASSERT_EQ(started.exit_code, 128 + SIGKILL);
  RunResult other = Roxi("reembed", {"--dimensions", "48"});
  EXPECT_EQ(other.exit_code, 2);
  EXPECT_NE(other.err.find("is being re-embedded with 'builtin:hash-v2:32"), std::string::npos)
      << other.err;

  auto cancelled = RoxiJson("reembed", {"--cancel"});
  EXPECT_TRUE(cancelled["cancelled"].get<bool>());
  EXPECT_TRUE(Status()["reembed"].is_null());
  EXPECT_TRUE(Models(true).empty());
  EXPECT_TRUE(RoxiJson("verify")["clean"].get<bool>());
  // Nothing to cancel: what was wished for (no re-embed running) holds, so it succeeds and says so.
  RunResult nothing = Roxi("reembed", {"--cancel"});
  EXPECT_EQ(nothing.exit_code, 0) << nothing.err;
  EXPECT_NE(nothing.out.find("no re-embed in progress: nothing to cancel"), std::string::npos)
      << nothing.out;
  auto nothing_json = RoxiJson("reembed", {"--cancel"});
  EXPECT_EQ(nothing_json["cancelled"], false);
}

}  // namespace
}  // namespace roxi::testing
