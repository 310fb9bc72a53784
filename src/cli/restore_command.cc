// roxi restore: replaces a data directory with the store a backup archive holds, atomically.
#include <chrono>
#include <sstream>
#include <thread>

#include "format/float16.h"
#include "src/common/human_bytes.h"
#include "src/cli/backup_output.h"
#include "src/cli/command_line.h"
#include "src/cli/commands.h"
#include "src/cli/server_client.h"
#include "src/server/server_file_io.h"
#include "src/common/test_hook.h"
#include "src/index/index_builder.h"
#include "storage/backup.h"
#include "storage/restore.h"

namespace roxi::cli {

namespace {

constexpr size_t kTrialSearches = 3;

// Trial searches on a restored store: the index is built from its vectors, and a few stored
// vectors are searched for; each must find its own chunk first. Needs no embedder.
Status TrialSearches(const storage::Store& store, nlohmann::json* out) {
  auto embedder = store.GetEmbedder();
  if (!embedder.ok()) {
    *out = {{"searches", 0}, {"skipped", "no embedder recorded yet"}};
    return Status::OK();
  }
  ROXI_ASSIGN_OR_RETURN(std::unique_ptr<index::VectorIndex> idx,
                        index::BuildIndexFromStore(store, *embedder));
  std::vector<std::pair<format::ChunkId, std::vector<float>>> queries;
  Status scan = store.ForEachVector([&](format::ChunkId id, const format::VectorRecord& v) {
    if (queries.size() >= kTrialSearches) return Status::Aborted("enough vectors");
    std::vector<float> q(v.halfs.size());
    for (size_t i = 0; i < q.size(); ++i) q[i] = format::HalfToFloat(v.halfs[i]);
    queries.emplace_back(id, std::move(q));
    return Status::OK();
  });
  if (!scan.ok() && !scan.IsAborted()) return scan;
  size_t found = 0;
  for (const auto& [id, q] : queries) {
    ROXI_ASSIGN_OR_RETURN(std::vector<index::SearchHit> hits, idx->Search(q, 3));
    bool hit = false;
    for (const auto& h : hits) hit = hit || h.id == id.value;
    if (!hit) {
      return Status::Corruption("trial search", "the vector of " + format::DescribeChunk(id) +
                                                    " does not find its own chunk");
    }
    ++found;
  }
  *out = {{"searches", found}, {"indexed_vectors", idx->size()}};
  return Status::OK();
}

// How long --stop-server waits for the server to finish its batch and exit.
constexpr auto kServerStopTimeout = std::chrono::seconds(60);

// Refuses to restore into a data directory a running server owns, unless `stop_server`: then asks
// it to shut down (POST /v1/shutdown) and waits until it is gone (it removes its server file after
// closing the store). Busy naming the server when it runs and may not be stopped, or does not stop
// in time; Busy too when its process lives but does not answer.
Status MakeWayForRestore(const CommandLine& cl, const std::string& data_dir, bool stop_server) {
  auto server = ServerClient::Find(data_dir, cl.common());
  if (!server.ok()) {
    if (server.status().IsNotFound()) return Status::OK();
    return Status::Busy("data directory " + data_dir,
                        std::string(server.status().message()) + "; stop that process first");
  }
  const std::string who = server->Describe();
  if (!stop_server) {
    return Status::Busy("data directory " + data_dir,
                        "served by " + who +
                            "; stop it first (roxi restore --stop-server asks it to stop)");
  }
  ROXI_RETURN_IF_ERROR(server->Post("/v1/shutdown", nlohmann::json::object()).status());
  const int64_t pid = server->server().pid;
  // Close the client's keep-alive connection now: the server waits for open connections to end
  // before it exits.
  server = Status::Aborted("server client", "closed");
  const auto deadline = std::chrono::steady_clock::now() + kServerStopTimeout;
  while (std::chrono::steady_clock::now() < deadline) {
    auto record = server::ReadServerFile(data_dir);
    if (!record.ok() || record->pid != pid) return Status::OK();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return Status::Busy("data directory " + data_dir, who + " did not stop within 60 s");
}

}  // namespace

int RunRestore(const CommandArgs& args) {
  CommandLine cl(
      "restore", "roxi restore ARCHIVE --data-dir D [--force] [--dry-run] [--discard-old]",
      "Restores the store held by ARCHIVE (and the parents it refers to, found beside it) into\n"
      "the data directory D. The archive is checked byte for byte first: a damaged archive is\n"
      "refused before anything is written. It is then unpacked into D.restoring, checked as a\n"
      "store (as 'roxi verify' does), searched a few times, and swapped in atomically: D is\n"
      "renamed to D.before-restore-<time> (kept unless --discard-old) and D.restoring to D. A\n"
      "crash at any instant leaves D the old store or the new one; the next roxi command on D\n"
      "finishes an interrupted swap. Refused while another roxi process uses D, and, without\n"
      "--force, when D already holds a store. --dry-run does all of the checks in a scratch\n"
      "directory and leaves D alone. While 'roxi serve' runs on D the restore is refused (exit\n"
      "5, naming the server) unless --stop-server: the server is asked to stop, and the\n"
      "restore goes ahead once it has.");
  std::string archive;
  bool stop_server = false;
  storage::RestoreOptions options;
  cl.options().add_options()("force", po::bool_switch(&options.force),
                             "replace a data directory that holds a store")(
      "dry-run", po::bool_switch(&options.dry_run),
      "restore into a scratch directory, check and search it, then remove it; D is untouched")(
      "discard-old", po::bool_switch(&options.discard_old),
      "remove the old data directory once the new one is in place")(
      "stop-server", po::bool_switch(&stop_server),
      "ask a 'roxi serve' running on D to stop, wait for it, then restore");
  cl.hidden().add_options()("archive", po::value<std::string>(&archive));
  cl.positional().add("archive", 1);
  if (auto exit = cl.Parse(args)) return *exit;
  if (archive.empty())
    return cl.Fail(Status::InvalidArgument("restore", "give the ARCHIVE to restore"));
  auto data_dir = cl.DataDir();
  if (!data_dir.ok()) return cl.Fail(data_dir.status());
  options.data_dir = *data_dir;
  if (!options.dry_run) {
    if (Status s = MakeWayForRestore(cl, *data_dir, stop_server); !s.ok()) return cl.Fail(s);
  }
  options.hook = [](std::string_view point) { ROXI_TEST_HOOK(point); };
  nlohmann::json searches = nullptr;
  options.probe = [&](const storage::Store& store) { return TrialSearches(store, &searches); };

  auto report = storage::RestoreBackup(archive, options);
  if (!report.ok()) return cl.Fail(report.status());
  const auto& r = *report;
  const double seconds = static_cast<double>(r.micros) / 1e6;
  const double mbps = seconds > 0 ? static_cast<double>(r.bytes) / 1e6 / seconds : 0.0;
  nlohmann::json doc = {{"archive", r.archive},
                        {"data_dir", r.data_dir},
                        {"dry_run", r.dry_run},
                        {"previous_dir", r.previous_dir.empty() ? nlohmann::json(nullptr)
                                                                : nlohmann::json(r.previous_dir)},
                        {"recovered_interrupted_restore", r.recovered_interrupted},
                        {"store_id", storage::HexId(r.manifest.store_id)},
                        {"created_at", UtcTime(r.manifest.created_at_micros)},
                        {"files", r.files},
                        {"bytes", r.bytes},
                        {"archive_bytes", r.archive_bytes},
                        {"seconds", seconds},
                        {"mb_per_s", mbps},
                        {"check", VerifyReportJson(r.check)},
                        {"trial_searches", searches}};
  std::ostringstream text;
  text << (r.dry_run ? "dry run: " : "restored: ") << r.archive << "\n"
       << "into:        " << (r.dry_run ? std::string("(scratch directory, removed)") : r.data_dir)
       << "\n"
       << "taken:       " << UtcTime(r.manifest.created_at_micros) << "\n"
       << "files:       " << r.files << ", " << common::HumanBytes(r.bytes) << "\n"
       << "checked:     " << r.check.census.documents << " documents, " << r.check.census.chunks
       << " chunks, " << r.check.census.vectors << " vectors; clean\n";
  if (searches.is_object() && searches.contains("searches")) {
    text << "searches:    " << searches["searches"].get<size_t>()
         << " trial searches found their chunk\n";
  }
  if (!r.previous_dir.empty()) text << "old store:   kept in " << r.previous_dir << "\n";
  return cl.Succeed(doc, text.str());
}

}  // namespace roxi::cli
