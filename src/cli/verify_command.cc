// roxi verify: checks a store or a backup archive and lists every problem with its key.
// Its exit codes differ from the other commands': 0 clean, 1 problems found, 2 could not run.
#include <iostream>
#include <sstream>

#include "src/cli/backup_output.h"
#include "src/cli/command_line.h"
#include "src/cli/commands.h"
#include "storage/verify_archive.h"
#include "storage/verify_store.h"

namespace roxi::cli {

namespace {

constexpr int kVerifyClean = 0;
constexpr int kVerifyProblems = 1;
constexpr int kVerifyCouldNotRun = 2;

constexpr const char* kVerifyAbout =
    "Checks a store (--data-dir, the default) or a backup archive (--archive FILE) and lists\n"
    "each problem with its key or file.\n\n"
    "A store: every live RocksDB file is present with its size and RocksDB re-reads every block\n"
    "against its checksum; every record decodes; every chunk has exactly one vector (embedded),\n"
    "one pending entry (pending) or neither (failed); every vector's model and dimension match\n"
    "the embedder in meta; every document has its recorded chunks and one name; the counters\n"
    "equal what the store holds. roxi keeps no index cache on disk, so there is none to check.\n"
    "Works beside a running writer (it reads one consistent view).\n\n"
    "An archive: header, footer and manifest, then every frame it needs (its parents' too) is\n"
    "read, decompressed and checked against its size and checksums. --deep also restores it into\n"
    "a scratch directory and runs the store checks there. The result is recorded in the backup\n"
    "folder's catalog (see 'roxi backup list').\n\n"
    "verify has its own exit codes, not those listed below:\n"
    "  0    clean\n"
    "  1    problems found (each listed)\n"
    "  2    could not run (bad usage, missing store or archive, a newer format, an I/O error)";

// Prints an error the way CommandLine::Fail does, with verify's "could not run" exit code.
int CouldNotRun(const CommandLine& cl, const Status& status) {
  std::cerr << "roxi: error: " << status.ToString() << "\n";
  if (cl.common().json) {
    nlohmann::json doc = {{"ok", false},
                          {"error",
                           {{"code", std::string(Status::CodeName(status.code()))},
                            {"message", std::string(status.message())}}},
                          {"exit_code", kVerifyCouldNotRun}};
    std::cout << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  }
  return kVerifyCouldNotRun;
}

int Report(const CommandLine& cl, const std::string& kind, const std::string& target,
           const storage::VerifyReport& report) {
  const int code = report.clean() ? kVerifyClean : kVerifyProblems;
  if (cl.common().json) {
    nlohmann::json doc = VerifyReportJson(report);
    doc["ok"] = report.clean();
    doc["kind"] = kind;
    doc["target"] = target;
    doc["exit_code"] = code;
    std::cout << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  } else {
    std::cout << kind << " " << target << "\n" << VerifyReportText(report);
  }
  std::cout.flush();
  return code;
}

}  // namespace

int RunVerify(const CommandArgs& args) {
  CommandLine cl("verify", "roxi verify [--data-dir D | --archive FILE] [--deep] [options]",
                 kVerifyAbout);
  std::string archive;
  bool deep = false;
  bool skip_rocksdb_checksums = false;
  cl.options().add_options()("archive", po::value<std::string>(&archive),
                             "check this backup archive instead of a store")(
      "deep", po::bool_switch(&deep),
      "archive: also restore it into a scratch directory and "
      "check the store there")(
      "no-rocksdb-checksums", po::bool_switch(&skip_rocksdb_checksums),
      "store: skip RocksDB's block checksum pass (faster; records are still checked)");
  if (auto exit = cl.Parse(args)) return *exit == 0 ? 0 : kVerifyCouldNotRun;

  if (!archive.empty()) {
    if (!cl.values()["data-dir"].empty()) {
      return CouldNotRun(
          cl, Status::InvalidArgument("verify", "give --data-dir or --archive, not both"));
    }
    storage::VerifyArchiveOptions options;
    options.deep = deep;
    auto report = storage::VerifyArchive(archive, options);
    if (!report.ok()) return CouldNotRun(cl, report.status());
    return Report(cl, "archive", archive, *report);
  }
  if (deep) return CouldNotRun(cl, Status::InvalidArgument("--deep", "applies to --archive only"));
  auto data_dir = cl.DataDir();
  if (!data_dir.ok()) return CouldNotRun(cl, data_dir.status());
  storage::StoreCheckOptions options;
  options.rocksdb_checksums = !skip_rocksdb_checksums;
  options.strict_permissions = cl.common().strict_permissions;
  auto report = storage::VerifyStoreAt(*data_dir, options);
  if (!report.ok()) return CouldNotRun(cl, report.status());
  return Report(cl, "store", *data_dir, *report);
}

}  // namespace roxi::cli
