#include "storage/file_privacy.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "storage/store.h"
#include "tests/support/scoped_umask.h"
#include "tests/support/temp_dir.h"

namespace roxi::storage {
namespace {

namespace fs = std::filesystem;
using roxi::testing::ScopedUmask;
using roxi::testing::TempDir;
using roxi::testing::WriteFile;

mode_t Mode(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::lstat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

TEST(FilePrivacyTest, CreatePrivateDirectoriesIgnoresAWideUmask) {
  ScopedUmask umask(0);
  TempDir dir;
  const std::string deep = dir.Sub("a/b/c");
  ASSERT_TRUE(CreatePrivateDirectories(deep).ok());
  EXPECT_EQ(Mode(dir.Sub("a")), 0700u);
  EXPECT_EQ(Mode(dir.Sub("a/b")), 0700u);
  EXPECT_EQ(Mode(deep), 0700u);
  // Existing folders are left alone; a second call is a no-op.
  ASSERT_EQ(::chmod(dir.Sub("a").c_str(), 0750), 0);
  ASSERT_TRUE(CreatePrivateDirectories(deep).ok());
  EXPECT_EQ(Mode(dir.Sub("a")), 0750u);
}

TEST(FilePrivacyTest, CreatePrivateDirectoriesNamesAFileInTheWay) {
  TempDir dir;
  WriteFile(dir.Sub("file"), "x");
  Status s = CreatePrivateDirectories(dir.Sub("file/sub"));
  EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
  EXPECT_NE(s.ToString().find(dir.Sub("file")), std::string::npos) << s.ToString();
}

TEST(FilePrivacyTest, CreatePrivateDirectoriesUnderNeverCreatesTheRoot) {
  ScopedUmask umask(0);
  TempDir dir;
  // The reader's case: the data directory was moved away by a restore a moment ago.
  Status s = CreatePrivateDirectoriesUnder(dir.Sub("gone"), ".secondary/123-4");
  EXPECT_TRUE(s.IsNotFound()) << s.ToString();
  EXPECT_NE(s.ToString().find(dir.Sub("gone")), std::string::npos) << s.ToString();
  EXPECT_FALSE(fs::exists(dir.Sub("gone")));

  ASSERT_TRUE(CreatePrivateDirectoriesUnder(dir.Sub(""), ".secondary/123-4").ok());
  EXPECT_EQ(Mode(dir.Sub(".secondary")), 0700u);
  EXPECT_EQ(Mode(dir.Sub(".secondary/123-4")), 0700u);
  ASSERT_TRUE(CreatePrivateDirectoriesUnder(dir.Sub(""), ".secondary/123-4").ok());
  WriteFile(dir.Sub("file"), "x");
  EXPECT_TRUE(CreatePrivateDirectoriesUnder(dir.Sub("file"), "a").IsInvalidArgument());
}

TEST(FilePrivacyTest, ReadOnlyOpenOfAMissingDataDirectoryCreatesNothing) {
  TempDir dir;
  StoreOptions options;
  options.data_dir = dir.Sub("data");
  options.mode = StoreOptions::Mode::kReadOnly;
  auto store = Store::Open(options);
  EXPECT_TRUE(store.status().IsNotFound()) << store.status().ToString();
  EXPECT_FALSE(fs::exists(options.data_dir));
}

TEST(FilePrivacyTest, TightenTreeClearsGroupAndOtherBitsAndSkipsSymlinks) {
  TempDir dir;
  const std::string root = dir.Sub("root");
  WriteFile(root + "/sub/file", "x");
  WriteFile(root + "/top", "y");
  WriteFile(dir.Sub("outside"), "z");
  ASSERT_EQ(::chmod(dir.Sub("outside").c_str(), 0644), 0);
  ASSERT_EQ(::symlink(dir.Sub("outside").c_str(), (root + "/link").c_str()), 0);
  for (const std::string& p : {root, root + "/sub"}) ASSERT_EQ(::chmod(p.c_str(), 0775), 0);
  ASSERT_EQ(::chmod((root + "/sub/file").c_str(), 0666), 0);
  ASSERT_EQ(::chmod((root + "/top").c_str(), 0600), 0);

  auto changed = TightenTree(root);
  ASSERT_TRUE(changed.ok()) << changed.status().ToString();
  EXPECT_EQ(*changed, 3u);  // root, sub, sub/file; top was private already
  EXPECT_EQ(Mode(root), 0700u);
  EXPECT_EQ(Mode(root + "/sub"), 0700u);
  EXPECT_EQ(Mode(root + "/sub/file"), 0600u);
  EXPECT_EQ(Mode(dir.Sub("outside")), 0644u);  // the link's target is not ours
  EXPECT_EQ(*TightenTree(root), 0u);
}

TEST(FilePrivacyTest, SecureDataDirWarnsRefusesAndTightens) {
  TempDir dir;
  const std::string data = dir.Sub("data");
  // Missing: nothing to say.
  auto missing = SecureDataDir(data, true, true);
  ASSERT_TRUE(missing.ok());
  EXPECT_TRUE(missing->warnings.empty());

  ASSERT_TRUE(CreatePrivateDirectories(data + "/db").ok());
  auto clean = SecureDataDir(data, true, true);
  ASSERT_TRUE(clean.ok());
  EXPECT_TRUE(clean->warnings.empty());

  // Exposed by the user, store private: a warning, or a refusal when strict; nothing changes.
  ASSERT_EQ(::chmod(data.c_str(), 0755), 0);
  auto warned = SecureDataDir(data, true, false);
  ASSERT_TRUE(warned.ok());
  ASSERT_EQ(warned->warnings.size(), 1u);
  EXPECT_EQ(warned->warnings[0], "data directory " + data +
                                     " can be read by group or others (mode 0755): run chmod 700 " +
                                     data);
  EXPECT_EQ(Mode(data), 0755u);
  auto refused = SecureDataDir(data, true, true);
  EXPECT_TRUE(refused.status().IsInvalidArgument());
  EXPECT_NE(refused.status().ToString().find("chmod 700 " + data), std::string::npos);
  EXPECT_EQ(Mode(data), 0755u);

  // db/ exposed too (an older roxi's store): read-only warns, read-write tightens everything.
  WriteFile(data + "/db/CURRENT", "x");
  ASSERT_EQ(::chmod((data + "/db").c_str(), 0755), 0);
  ASSERT_EQ(::chmod((data + "/db/CURRENT").c_str(), 0644), 0);
  auto read_only = SecureDataDir(data, false, false);
  ASSERT_TRUE(read_only.ok());
  EXPECT_EQ(read_only->warnings.size(), 2u);
  EXPECT_EQ(Mode(data + "/db"), 0755u);
  auto tightened = SecureDataDir(data, true, false);
  ASSERT_TRUE(tightened.ok());
  EXPECT_EQ(tightened->tightened, 3u);
  ASSERT_EQ(tightened->warnings.size(), 1u);
  EXPECT_NE(tightened->warnings[0].find("made 3 files and folders"), std::string::npos);
  EXPECT_EQ(Mode(data), 0700u);
  EXPECT_EQ(Mode(data + "/db"), 0700u);
  EXPECT_EQ(Mode(data + "/db/CURRENT"), 0600u);
}

TEST(FilePrivacyTest, StoreOpenCreatesOwnerOnlyAndRefusesWhenStrict) {
  ScopedUmask umask(022);
  TempDir dir;
  StoreOptions options;
  options.data_dir = dir.Sub("data");
  {
    auto store = Store::Open(options);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
  }
  EXPECT_EQ(Mode(options.data_dir), 0700u);
  EXPECT_EQ(Mode(options.data_dir + "/db"), 0700u);

  ASSERT_EQ(::chmod(options.data_dir.c_str(), 0711), 0);
  std::vector<std::string> warnings;
  options.warn = [&](const std::string& w) { warnings.push_back(w); };
  {
    auto store = Store::Open(options);
    ASSERT_TRUE(store.ok());
  }
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("mode 0711"), std::string::npos) << warnings[0];
  options.strict_permissions = true;
  auto strict = Store::Open(options);
  EXPECT_TRUE(strict.status().IsInvalidArgument()) << strict.status().ToString();
}

TEST(FilePrivacyTest, ReadSecretFileRefusesWhatOthersCanRead) {
  TempDir dir;
  const std::string key = dir.Sub("key");
  WriteFile(key, "sk-123 \n");
  ASSERT_EQ(::chmod(key.c_str(), 0600), 0);
  auto read = ReadSecretFile("--api-key-file", key);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(*read, "sk-123");

  for (mode_t exposed : {0640, 0604, 0644}) {
    ASSERT_EQ(::chmod(key.c_str(), exposed), 0);
    auto refused = ReadSecretFile("--api-key-file", key);
    EXPECT_TRUE(refused.status().IsInvalidArgument());
    EXPECT_NE(refused.status().ToString().find("chmod 600 " + key), std::string::npos)
        << refused.status().ToString();
  }

  // A link to a private file is fine; to a readable one, refused; to nowhere, NotFound.
  ASSERT_EQ(::chmod(key.c_str(), 0400), 0);
  ASSERT_EQ(::symlink(key.c_str(), dir.Sub("link").c_str()), 0);
  EXPECT_EQ(*ReadSecretFile("k", dir.Sub("link")), "sk-123");
  ASSERT_EQ(::symlink(dir.Sub("none").c_str(), dir.Sub("dangling").c_str()), 0);
  EXPECT_TRUE(ReadSecretFile("k", dir.Sub("dangling")).status().IsNotFound());
  EXPECT_TRUE(ReadSecretFile("k", dir.Sub("absent")).status().IsNotFound());

  WriteFile(dir.Sub("empty"), " \n");
  ASSERT_EQ(::chmod(dir.Sub("empty").c_str(), 0600), 0);
  EXPECT_TRUE(ReadSecretFile("k", dir.Sub("empty")).status().IsInvalidArgument());
  WriteFile(dir.Sub("big"), std::string(70000, 'k'));
  ASSERT_EQ(::chmod(dir.Sub("big").c_str(), 0600), 0);
  EXPECT_TRUE(ReadSecretFile("k", dir.Sub("big")).status().IsInvalidArgument());
  EXPECT_TRUE(ReadSecretFile("k", dir.path().string()).status().IsInvalidArgument());
}

}  // namespace
}  // namespace roxi::storage
