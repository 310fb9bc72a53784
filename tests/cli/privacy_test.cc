// End to end: everything roxi creates is readable by its owner only, whatever the umask it was
// started with; an exposed data directory or backup folder is warned about, or refused under
// --strict-permissions with nothing written; a store left readable by an older roxi is made
// owner-only by the first read-write command, which says so once; a key file others can read is
// refused.
#include <sys/stat.h>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "tests/cli/serve_fixture.h"
#include "tests/support/scoped_umask.h"

namespace roxi::testing {
namespace {

namespace fs = std::filesystem;

mode_t ModeOf(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::lstat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

// Every file and folder at or below `root` (symlinks excluded) that group or others can access.
std::vector<std::string> ExposedEntries(const std::string& root) {
  std::vector<std::string> exposed;
  if (!fs::exists(root)) return exposed;
  if ((ModeOf(root) & 077) != 0) exposed.push_back(root);
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (it->is_symlink()) continue;
    const std::string path = it->path().string();
    char mode[8];
    std::snprintf(mode, sizeof(mode), "%04o", static_cast<unsigned>(ModeOf(path)));
    if ((ModeOf(path) & 077) != 0) exposed.push_back(path + " (" + mode + ")");
  }
  return exposed;
}

// Everything that every entry directly in the test's temporary directory holds: the data
// directory, its backups, restore leftovers, the restore lock; but the entries `skip` names (the
// test's own documents and the server's captured output).
std::vector<std::string> ExposedUnder(const TempDir& dir, const std::set<std::string>& skip) {
  std::vector<std::string> exposed;
  for (const auto& entry : fs::directory_iterator(dir.path())) {
    if (skip.count(entry.path().filename().string()) > 0) continue;
    for (auto& e : ExposedEntries(entry.path().string())) exposed.push_back(e);
  }
  return exposed;
}

size_t ArchiveCount(const std::string& folder) {
  size_t n = 0;
  for (const auto& e : fs::directory_iterator(folder)) n += e.path().extension() == ".roxibak";
  return n;
}

std::string Joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

class PrivacyTest : public ServeTest {
 protected:
  void WriteDocs() {
    for (int d = 0; d < 3; ++d) {
      std::string text;
      for (int p = 0; p < 4; ++p) text += GeneratedParagraph(d * 10 + p, 100) + "\n\n";
      WriteDoc("doc" + std::to_string(d) + ".txt", text);
    }
    // The documents themselves are the user's, outside the data directory: readable is fine.
    ASSERT_EQ(::chmod(docs_dir().c_str(), 0755), 0);
  }
};

TEST_F(PrivacyTest, EverythingCreatedUnderUmask022IsOwnerOnly) {
  ScopedUmask umask(022);
  WriteDocs();
  ASSERT_EQ(Roxi("ingest", {docs_dir()}).exit_code, 0);
  ASSERT_EQ(Roxi("process", {"--quiet"}).exit_code, 0);
  ASSERT_EQ(Roxi("search", {"alpha"}).exit_code, 0);
  ASSERT_EQ(Roxi("status").exit_code, 0);
  nlohmann::json backup = RoxiJson("backup");
  const std::string archive = backup.value("path", std::string());
  ASSERT_FALSE(archive.empty());
  ASSERT_EQ(Roxi("verify").exit_code, 0);
  RunResult restore = Roxi("restore", {archive, "--force"});
  ASSERT_EQ(restore.exit_code, 0) << restore.err;

  // serve: its log, its server file, a backup it makes and the lock files.
  auto server = StartServe({"--log-file", data_dir() + "/logs/roxi.log"});
  ASSERT_EQ(Roxi("backup").exit_code, 0);
  EXPECT_EQ(StopServe(&server), 0);

  EXPECT_TRUE(fs::exists(data_dir() + "/logs/roxi.log"));
  EXPECT_FALSE(fs::is_empty(data_dir() + ".backups"));
  EXPECT_EQ(Joined(ExposedUnder(dir_, {"docs", "serve.log"})), "");
  EXPECT_EQ(ModeOf(data_dir()), 0700u);
  EXPECT_EQ(ModeOf(data_dir() + ".backups"), 0700u);
  EXPECT_EQ(ModeOf(archive) & 0777, 0600u);
}

TEST_F(PrivacyTest, ExposedDataDirectoryIsWarnedAboutAndRefusedWhenStrict) {
  WriteDocs();
  ASSERT_EQ(Roxi("ingest", {docs_dir()}).exit_code, 0);
  ASSERT_EQ(::chmod(data_dir().c_str(), 0755), 0);

  RunResult warned = Roxi("status");
  EXPECT_EQ(warned.exit_code, 0);
  EXPECT_NE(warned.err.find("data directory " + data_dir() + " can be read by group or others"),
            std::string::npos)
      << warned.err;
  EXPECT_NE(warned.err.find("chmod 700 " + data_dir()), std::string::npos) << warned.err;

  // Strict, by flag and by environment: exit 2, and the store is left exactly as it was.
  const auto before = fs::last_write_time(data_dir() + "/db");
  std::vector<std::string> listing_before;
  for (const auto& e : fs::directory_iterator(data_dir() + "/db")) {
    listing_before.push_back(e.path().string());
  }
  RunResult strict = Roxi("ingest", {docs_dir(), "--strict-permissions"});
  EXPECT_EQ(strict.exit_code, 2) << strict.err;
  EXPECT_NE(strict.err.find("chmod 700 " + data_dir()), std::string::npos) << strict.err;
  RunOptions env;
  env.env["ROXI_STRICT_PERMISSIONS"] = "true";
  for (const char* command : {"process", "search", "status", "backup"}) {
    std::vector<std::string> args;
    if (std::string(command) == "search") args.push_back("alpha");
    RunResult r = Roxi(command, args, env);
    EXPECT_EQ(r.exit_code, 2) << command << ": " << r.err;
  }
  RunResult serve = Roxi("serve", {"--strict-permissions", "--listen", "127.0.0.1:0"});
  EXPECT_EQ(serve.exit_code, 2) << serve.err;
  EXPECT_NE(serve.err.find("chmod 700 " + data_dir()), std::string::npos) << serve.err;
  EXPECT_FALSE(fs::exists(data_dir() + "/roxi.server"));
  std::vector<std::string> listing_after;
  for (const auto& e : fs::directory_iterator(data_dir() + "/db")) {
    listing_after.push_back(e.path().string());
  }
  EXPECT_EQ(listing_after, listing_before);
  EXPECT_EQ(fs::last_write_time(data_dir() + "/db"), before);
  EXPECT_FALSE(fs::exists(data_dir() + ".backups"));

  // verify reports it: a warning, and a problem when strict.
  nlohmann::json verify = RoxiJson("verify");
  ASSERT_EQ(verify["warnings"].size(), 1u) << verify.dump();
  EXPECT_NE(verify["warnings"][0].get<std::string>().find("chmod 700"), std::string::npos);
  RunResult strict_verify = Roxi("verify", {"--strict-permissions"});
  EXPECT_EQ(strict_verify.exit_code, 1) << strict_verify.out;
  EXPECT_NE(strict_verify.out.find("permissions"), std::string::npos) << strict_verify.out;

  // The fix the message names makes every command work again, strict or not.
  ASSERT_EQ(::chmod(data_dir().c_str(), 0700), 0);
  RunResult fixed = Roxi("status", {"--strict-permissions"});
  EXPECT_EQ(fixed.exit_code, 0) << fixed.err;
  EXPECT_EQ(fixed.err.find("can be read by group or others"), std::string::npos) << fixed.err;
}

TEST_F(PrivacyTest, StoreOfAnOlderRoxiIsTightenedByTheFirstReadWriteOpenOnce) {
  WriteDocs();
  ASSERT_EQ(Roxi("ingest", {docs_dir()}).exit_code, 0);
  ASSERT_EQ(Roxi("backup").exit_code, 0);
  // What an older roxi left: folders 0755, files 0644.
  for (const std::string& root : {data_dir(), data_dir() + ".backups"}) {
    ASSERT_EQ(::chmod(root.c_str(), 0755), 0);
    for (const auto& e : fs::recursive_directory_iterator(root)) {
      ASSERT_EQ(::chmod(e.path().c_str(), e.is_directory() ? 0755 : 0644), 0);
    }
  }
  ASSERT_FALSE(ExposedEntries(data_dir()).empty());

  // A read-only command says what the next read-write one will do, and changes nothing.
  RunResult status = Roxi("status");
  EXPECT_EQ(status.exit_code, 0);
  EXPECT_NE(status.err.find("the next read-write command"), std::string::npos) << status.err;
  EXPECT_FALSE(ExposedEntries(data_dir() + "/db").empty());

  RunResult first = Roxi("process", {"--quiet"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.err.find("readable by their owner only"), std::string::npos) << first.err;
  EXPECT_EQ(Joined(ExposedEntries(data_dir())), "");

  RunResult second = Roxi("ingest", {docs_dir()});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(second.err.find("readable by their owner only"), std::string::npos) << second.err;
  EXPECT_EQ(second.err.find("group or others"), std::string::npos) << second.err;

  // The backup folder: the next backup tightens the older archives and says so in its notes.
  nlohmann::json backup = RoxiJson("backup");
  EXPECT_NE(backup["notes"].dump().find("readable by their owner only"), std::string::npos)
      << backup.dump();
  EXPECT_EQ(Joined(ExposedEntries(data_dir() + ".backups")), "");
}

TEST_F(PrivacyTest, ExposedBackupFolderIsNotedOrRefusedWhenStrict) {
  WriteDocs();
  ASSERT_EQ(Roxi("ingest", {docs_dir()}).exit_code, 0);
  ASSERT_EQ(Roxi("backup").exit_code, 0);
  const std::string backups = data_dir() + ".backups";
  ASSERT_EQ(::chmod(backups.c_str(), 0750), 0);

  RunResult strict = Roxi("backup", {"--strict-permissions"});
  EXPECT_EQ(strict.exit_code, 2) << strict.err;
  EXPECT_NE(strict.err.find("backup folder " + backups), std::string::npos) << strict.err;
  EXPECT_EQ(ArchiveCount(backups), 1u);

  nlohmann::json noted = RoxiJson("backup");
  EXPECT_NE(noted["notes"].dump().find("chmod 700 " + backups), std::string::npos) << noted.dump();
}

TEST_F(PrivacyTest, KeyFileOthersCanReadIsRefused) {
  const std::string key_file = dir_.Sub("key");
  WriteFile(key_file, "sk-test\n");
  ASSERT_EQ(::chmod(key_file.c_str(), 0644), 0);
  WriteDocs();
  ASSERT_EQ(Roxi("ingest", {docs_dir()}).exit_code, 0);
  RunResult refused = Roxi("process", {"--embedder", "openai:http://127.0.0.1:9/v1", "--model", "m",
                                       "--api-key-file", key_file});
  EXPECT_EQ(refused.exit_code, 2) << refused.err;
  EXPECT_NE(refused.err.find("--api-key-file " + key_file), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("chmod 600 " + key_file), std::string::npos) << refused.err;
  EXPECT_EQ(RoxiJson("status")["embedded"], 0);
}

}  // namespace
}  // namespace roxi::testing
