// roxi backup: archives the store (incrementally by default); `backup list` shows a backup folder,
// `backup prune` applies a retention policy to it.
#include <algorithm>
#include <cstdlib>
#include <iterator>
#include <sstream>

#include "src/cli/backup_output.h"
#include "src/cli/command_line.h"
#include "src/common/human_bytes.h"
#include "src/cli/commands.h"
#include "src/cli/server_client.h"
#include "src/server/backup_json.h"
#include "src/common/test_hook.h"
#include "storage/backup.h"
#include "storage/backup_list.h"
#include "storage/backup_retention.h"

namespace roxi::cli {

namespace {

constexpr const char* kFolderHelp =
    "backup folder (default: $ROXI_BACKUP_DIR, else <data dir>.backups beside the data dir)";

// --to, else ROXI_BACKUP_DIR: the folder the user named; empty when neither is given.
std::string NamedFolder(const std::string& to) {
  if (!to.empty()) return to;
  if (const char* env = std::getenv("ROXI_BACKUP_DIR"); env != nullptr && *env != '\0') {
    return std::string(env);
  }
  return "";
}

// The named folder, else the folder of the server running on the data directory (its
// --backup-dir), else <data dir>.backups.
Result<std::string> BackupFolder(const CommandLine& cl, const std::string& to) {
  if (std::string named = NamedFolder(to); !named.empty()) return named;
  ROXI_ASSIGN_OR_RETURN(std::string data_dir, cl.DataDir());
  if (auto server = ServerClient::Find(data_dir, cl.common()); server.ok()) {
    auto status = server->Get("/v1/status");
    if (status.ok() && status->contains("backups")) {
      const std::string folder = (*status)["backups"].value("folder", std::string());
      if (!folder.empty()) return folder;
    }
  }
  while (data_dir.size() > 1 && data_dir.back() == '/') data_dir.pop_back();
  return data_dir + ".backups";
}

int RunCreate(const CommandArgs& args) {
  CommandLine cl(
      "backup", "roxi backup [--to DIR] [--level N] [--threads N] [--full] [options]",
      "Archives the store into the backup folder as <UTC time>-<store id>.roxibak: a RocksDB\n"
      "checkpoint (a consistent point in time) streamed into per-file zstd frames with\n"
      "checksums, written to a temporary name and renamed only once complete and fsynced.\n"
      "Incremental by default: SST files an earlier archive of this store in the folder already\n"
      "holds are referred to, not stored again (restoring then needs those archives too). The\n"
      "archive's size is estimated first, and the backup refused if the folder's file system\n"
      "lacks room. While 'roxi serve' runs on the data directory, the server takes the backup\n"
      "(into --to if given, else its --backup-dir) and goes on answering searches meanwhile.\n\n"
      "Subcommands: 'roxi backup list' shows a folder, 'roxi backup prune' thins it out.");
  std::string to;
  storage::BackupOptions options;
  cl.options().add_options()("to", po::value<std::string>(&to), kFolderHelp)(
      "level", po::value<int>(&options.level)->default_value(options.level),
      "zstd compression level, 1 to 19")(
      "threads", po::value<int>(&options.threads)->default_value(options.threads),
      "4 MiB segments compressed at once, each in its own thread (0 or 1: one)")(
      "full", po::bool_switch(&options.full), "store every file; refer to no earlier archive");
  if (auto exit = cl.Parse(args)) return *exit;
  options.strict_permissions = cl.common().strict_permissions;
  auto data_dir = cl.DataDir();
  if (!data_dir.ok()) return cl.Fail(data_dir.status());
  // A running server holds the store: it takes the backup itself, while it goes on answering.
  auto server = ServerClient::Find(*data_dir, cl.common());
  if (server.ok()) {
    nlohmann::json request = {{"level", options.level}, {"threads", options.threads}, {"full", options.full}};
    if (std::string named = NamedFolder(to); !named.empty()) request["folder"] = named;
    auto doc = server->Post("/v1/backup", request);
    if (!doc.ok()) return cl.Fail(doc.status().WithContext("backup through " + server->Describe()));
    return cl.Succeed(*doc, server::BackupJsonToText(*doc));
  }
  if (!server.status().IsNotFound()) return cl.Fail(server.status());
  auto folder = BackupFolder(cl, to);
  if (!folder.ok()) return cl.Fail(folder.status());
  options.folder = *folder;
  options.hook = [](std::string_view point) { ROXI_TEST_HOOK(point); };
  // Test-only knobs: a simulated full disk, and a backup that skips the space check so it runs
  // into a real one.
  options.write_limit_for_testing = common::TestEnvNumber("ROXI_TEST_BACKUP_WRITE_LIMIT");
  options.check_space = common::TestEnvNumber("ROXI_TEST_BACKUP_SKIP_SPACE_CHECK") == 0;

  storage::StoreOptions store_options =
      cl.StoreOptionsFor(*data_dir, storage::StoreOptions::Mode::kReadWrite);
  store_options.create_if_missing = false;
  auto store = storage::Store::Open(store_options);
  if (!store.ok()) return cl.Fail(store.status());
  auto report = storage::CreateBackup(**store, options);
  if (!report.ok()) return cl.Fail(report.status());
  const nlohmann::json doc = server::BackupReportToJson(*report);
  return cl.Succeed(doc, server::BackupJsonToText(doc));
}

int RunList(const CommandArgs& args) {
  CommandLine cl("backup list", "roxi backup list [--to DIR] [options]",
                 "Lists the archives of a backup folder, newest first: name, time, size, what\n"
                 "they hold, the archives they refer to, how many refer to them, and the result\n"
                 "of their last verification ('roxi verify --archive').");
  std::string to;
  cl.options().add_options()("to", po::value<std::string>(&to), kFolderHelp);
  if (auto exit = cl.Parse(args)) return *exit;
  auto folder = BackupFolder(cl, to);
  if (!folder.ok()) return cl.Fail(folder.status());
  auto listing = storage::ListBackups(*folder);
  if (!listing.ok()) return cl.Fail(listing.status());
  nlohmann::json archives = nlohmann::json::array();
  std::ostringstream text;
  for (size_t i = 0; i < listing->archives.size(); ++i) {
    const auto& a = listing->archives[i];
    archives.push_back({{"name", a.name},
                        {"created_at", UtcTime(a.created_at_micros)},
                        {"store_id", storage::HexId(a.store_id)},
                        {"archive_bytes", a.archive_bytes},
                        {"restored_bytes", a.restored_bytes},
                        {"documents", a.documents},
                        {"chunks", a.chunks},
                        {"vectors", a.vectors},
                        {"parents", a.parents},
                        {"children", listing->children[i]},
                        {"verification", std::string(format::VerifyStateName(a.verify_state))},
                        {"verified_at", a.verified_at_micros == 0
                                            ? nlohmann::json(nullptr)
                                            : nlohmann::json(UtcTime(a.verified_at_micros))}});
    text << a.name << "  " << UtcTime(a.created_at_micros) << "  " << common::HumanBytes(a.archive_bytes)
         << "  " << a.documents << " docs  "
         << (a.parents.empty()
                 ? std::string("full")
                 : "incremental of " + a.parents.front() + (a.parents.size() > 1 ? " +" : ""))
         << "  verified: " << format::VerifyStateName(a.verify_state) << "\n";
  }
  nlohmann::json unreadable = nlohmann::json::array();
  for (const auto& [name, why] : listing->unreadable) {
    unreadable.push_back({{"name", name}, {"error", why}});
    text << name << "  UNREADABLE: " << why << "\n";
  }
  text << listing->archives.size() << " archive(s), " << common::HumanBytes(listing->total_bytes) << "\n";
  nlohmann::json doc = {{"folder", *folder},
                        {"archives", archives},
                        {"unreadable", unreadable},
                        {"total_bytes", listing->total_bytes}};
  return cl.Succeed(doc, text.str());
}

int RunPrune(const CommandArgs& args) {
  CommandLine cl("backup prune",
                 "roxi backup prune [--to DIR] [--keep-last N] [--keep-daily N] [--keep-weekly N]",
                 "Removes the archives of a backup folder that the policy does not keep: the\n"
                 "newest N, the newest of each of the last N days (UTC), the newest of each of\n"
                 "the last N weeks, counted per store. An archive that a kept archive refers to\n"
                 "is always kept. --dry-run shows the decisions without removing anything.");
  std::string to;
  storage::RetentionPolicy policy;
  bool dry_run = false;
  cl.options().add_options()("to", po::value<std::string>(&to), kFolderHelp)(
      "keep-last", po::value<uint32_t>(&policy.keep_last), "keep the newest N archives")(
      "keep-daily", po::value<uint32_t>(&policy.keep_daily), "keep one per day for N days")(
      "keep-weekly", po::value<uint32_t>(&policy.keep_weekly), "keep one per week for N weeks")(
      "dry-run", po::bool_switch(&dry_run), "show what would be removed; remove nothing");
  if (auto exit = cl.Parse(args)) return *exit;
  auto folder = BackupFolder(cl, to);
  if (!folder.ok()) return cl.Fail(folder.status());
  auto report = storage::ApplyRetention(*folder, policy, dry_run);
  if (!report.ok()) return cl.Fail(report.status());
  nlohmann::json decisions = nlohmann::json::array();
  std::ostringstream text;
  for (const auto& d : report->decisions) {
    decisions.push_back(
        {{"name", d.name}, {"keep", d.keep}, {"reason", d.reason}, {"bytes", d.bytes}});
    text << (d.keep ? "keep    " : (dry_run ? "would remove  " : "removed ")) << d.name << "  ("
         << d.reason << ")\n";
  }
  text << report->kept << " kept, " << report->removed << " removed ("
       << common::HumanBytes(report->removed_bytes) << ")" << (dry_run ? " [dry run]" : "") << "\n";
  nlohmann::json doc = {{"folder", *folder},
                        {"dry_run", dry_run},
                        {"decisions", decisions},
                        {"kept", report->kept},
                        {"removed", report->removed},
                        {"removed_bytes", report->removed_bytes},
                        {"untouched", report->untouched}};
  return cl.Succeed(doc, text.str());
}

}  // namespace

int RunBackup(const CommandArgs& args) {
  // The subcommand is the first word that is neither an option nor an option's value, so that
  // `roxi backup --data-dir D list` works as well as `roxi backup list --data-dir D`.
  static const char* kTakesValue[] = {"--data-dir",  "-d",           "--log-level",
                                      "--to",        "--level",      "--threads",
                                      "--keep-last", "--keep-daily", "--keep-weekly"};
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.starts_with("-")) {
      const bool value_follows =
          a.find('=') == std::string::npos &&
          std::find(std::begin(kTakesValue), std::end(kTakesValue), a) != std::end(kTakesValue);
      if (value_follows) ++i;
      continue;
    }
    if (a != "list" && a != "prune") break;
    CommandArgs rest = args;
    rest.erase(rest.begin() + static_cast<std::ptrdiff_t>(i));
    return a == "list" ? RunList(rest) : RunPrune(rest);
  }
  return RunCreate(args);
}

}  // namespace roxi::cli
