#include "storage/live_files.h"

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>

#include "storage/rocks_status.h"

namespace roxi::storage {

namespace {

namespace fs = std::filesystem;

// Most looks a secondary's check takes for two in a row to agree.
constexpr int kSecondaryLooks = 5;
// The fewest open files RocksDB allows: its open then reads the footers of two table files at
// most; every other live file is checked against the folder listing.
constexpr int kProbeMaxOpenFiles = 20;

using Found = std::map<std::string, std::string>;  // file name -> what is wrong

// File name -> size of the regular files in `dir`; an unreadable folder lists nothing (every live
// file then counts as missing, which is what it is to a reader).
std::map<std::string, uint64_t> ListFolder(const std::string& dir) {
  std::map<std::string, uint64_t> out;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code size_ec;
    const uint64_t size = it->file_size(size_ec);
    if (!size_ec) out[it->path().filename().string()] = size;
  }
  return out;
}

// Compares `db`'s current version with one listing of the folder.
Found CompareWithFolder(rocksdb::DB* db, const std::string& db_dir) {
  std::vector<rocksdb::LiveFileMetaData> files;
  db->GetLiveFilesMetaData(&files);
  std::map<std::string, std::map<std::string, uint64_t>> listings;  // by folder
  listings[db_dir] = ListFolder(db_dir);
  Found found;
  for (const auto& f : files) {
    std::string name = f.relative_filename;
    while (!name.empty() && name.front() == '/') name.erase(name.begin());
    const std::string dir = f.directory.empty() ? db_dir : f.directory;
    auto listing = listings.find(dir);
    if (listing == listings.end()) listing = listings.emplace(dir, ListFolder(dir)).first;
    auto it = listing->second.find(name);
    if (it == listing->second.end()) {
      found[name] = "missing";
    } else if (it->second != f.size) {
      found[name] = (it->second < f.size ? "truncated: " : "resized: ") +
                    std::to_string(it->second) + " bytes, not " + std::to_string(f.size);
    }
  }
  return found;
}

// The latest version's damaged files, read through a read-only instance of db_dir.
Found LookThroughReadOnlyInstance(const std::string& db_dir) {
  rocksdb::DBOptions options;
  options.max_open_files = kProbeMaxOpenFiles;
  // Without paranoid checks RocksDB opens a version whose files are damaged instead of refusing
  // it at the first one: every damaged file is then found by the comparison, with its sizes.
  options.paranoid_checks = false;
  options.info_log_level = rocksdb::InfoLogLevel::HEADER_LEVEL;
  std::vector<std::string> names;
  if (!rocksdb::DB::ListColumnFamilies(options, db_dir, &names).ok()) return {};
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (const auto& name : names) families.emplace_back(name, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  const rocksdb::Status s = rocksdb::DB::OpenForReadOnly(options, db_dir, families, &handles, &raw);
  if (!s.ok()) {
    Found found;
    if (auto problem = LiveFileProblemOfOpenError(s, db_dir)) found[problem->file] = problem->detail;
    return found;
  }
  std::unique_ptr<rocksdb::DB> db(raw);
  Found found = CompareWithFolder(db.get(), db_dir);
  for (auto* handle : handles) {
    // why: freeing a handle of a read-only instance about to close leaves nothing to recover.
    (void)db->DestroyColumnFamilyHandle(handle);
  }
  return found;
}

}  // namespace

std::vector<LiveFileProblem> FindLiveFileProblems(rocksdb::DB* db, const std::string& db_dir,
                                                  bool secondary) {
  Found found;
  if (db != nullptr && !secondary) {
    const bool held = db->DisableFileDeletions().ok();
    found = CompareWithFolder(db, db_dir);
    // why: re-enabling only resumes the deletion of obsolete files; a failure leaves them on disk.
    if (held) (void)db->EnableFileDeletions(/*force=*/false);
  } else {
    // A file the primary compacted away after a look read the MANIFEST is gone from the next
    // look's version; a file lost by damage stays listed and damaged. So damage is what two looks
    // in a row both find.
    Found previous = LookThroughReadOnlyInstance(db_dir);
    for (int look = 1; look < kSecondaryLooks && !previous.empty(); ++look) {
      Found again = LookThroughReadOnlyInstance(db_dir);
      Found both;
      for (auto& [name, detail] : again) {
        if (previous.contains(name)) both[name] = std::move(detail);
      }
      if (!both.empty() || again.empty()) {
        found = std::move(both);
        break;
      }
      previous = std::move(again);
    }
  }
  std::vector<LiveFileProblem> out;
  for (auto& [name, detail] : found) out.push_back({name, std::move(detail)});
  return out;
}

std::optional<LiveFileProblem> LiveFileProblemOfOpenError(const rocksdb::Status& status,
                                                          const std::string& db_dir) {
  if (status.ok()) return std::nullopt;
  const std::string message = status.ToString();
  // The last table file the message names: "<digits>.sst" or "<digits>.ldb".
  std::string number;
  for (size_t at = 0; (at = message.find('.', at)) != std::string::npos; ++at) {
    const std::string_view ext = std::string_view(message).substr(at + 1, 3);
    if (ext != "sst" && ext != "ldb") continue;
    size_t begin = at;
    while (begin > 0 && std::isdigit(static_cast<unsigned char>(message[begin - 1]))) --begin;
    if (begin < at) number = message.substr(begin, at - begin);
  }
  if (number.empty()) return std::nullopt;
  LiveFileProblem problem{number + ".sst", "missing"};
  std::error_code ec;
  const uint64_t size = fs::file_size(fs::path(db_dir) / problem.file, ec);
  if (ec) return problem;
  // The size RocksDB recorded, when its message gives it ("Size recorded in manifest 4096, actual
  // size 1200" from the size check; "file is too short (4096 bytes)" from reading the footer).
  for (std::string_view marker : {"recorded in manifest ", "file is too short ("}) {
    const size_t at = message.find(marker);
    if (at == std::string::npos) continue;
    const uint64_t recorded = std::strtoull(message.c_str() + at + marker.size(), nullptr, 10);
    if (recorded != 0 && recorded != size) {
      problem.detail = (size < recorded ? "truncated: " : "resized: ") + std::to_string(size) +
                       " bytes, not " + std::to_string(recorded);
      return problem;
    }
  }
  problem.detail = "damaged (" + std::to_string(size) + " bytes on disk): " + DescribeRocks(status);
  return problem;
}

std::string DescribeLiveFileProblems(const std::vector<LiveFileProblem>& problems) {
  const LiveFileProblem& first = problems.front();
  std::string out = "live file " + first.file + " is " + first.detail;
  if (problems.size() > 1) {
    out += " (and " + std::to_string(problems.size() - 1) + " more damaged live file" +
           (problems.size() > 2 ? "s" : "") + ")";
  }
  return out;
}

}  // namespace roxi::storage
