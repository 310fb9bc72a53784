// Every single-byte change at 240 random offsets of an archive is found by `verify --archive` and
// makes `restore` refuse before it writes anything; truncated archives and archives of a newer
// format version are refused with clear messages.
#include <filesystem>
#include <random>

#include "format/archive_header.h"
#include "tests/cli/backup_cli_fixture.h"

namespace roxi::testing {
namespace {

namespace fs = std::filesystem;

class ArchiveCorruptionTest : public BackupCliTest {
 protected:
  void SetUp() override {
    AddDocuments("a", 0, 30);
    archive_ = Backup();
    ASSERT_FALSE(archive_.empty());
    bytes_ = ReadFile(archive_);
    documents_ = Status()["documents"];
    fs::create_directories(dir_.Sub("damaged"));
  }
  // Writes `bytes` as an archive in a folder of its own and returns its path.
  std::string WriteDamaged(const std::string& bytes) {
    const std::string path = dir_.Sub("damaged/" + fs::path(archive_).filename().string());
    fs::remove(path);
    WriteFile(path, bytes);
    return path;
  }
  // Nothing was written: the data directory holds the same store, and nothing lies beside it.
  void ExpectNothingWritten(const std::string& what) {
    EXPECT_FALSE(fs::exists(data_dir() + ".restoring")) << what;
    EXPECT_FALSE(fs::exists(data_dir() + ".restore-journal")) << what;
    EXPECT_FALSE(fs::exists(dir_.Sub("fresh"))) << what;
    EXPECT_FALSE(fs::exists(dir_.Sub("fresh.restoring"))) << what;
    for (const auto& e : fs::directory_iterator(dir_.path())) {
      EXPECT_EQ(e.path().filename().string().find(".before-restore-"), std::string::npos) << what;
    }
  }

  std::string archive_;
  std::string bytes_;
  int documents_ = 0;
};

TEST_F(ArchiveCorruptionTest, EverySingleByteChangeIsDetectedByVerifyAndRestore) {
  std::mt19937_64 rng(20261124);
  std::vector<size_t> offsets = {
      0, 8, 12, 19, 20, bytes_.size() - 40, bytes_.size() - 9, bytes_.size() - 1};
  while (offsets.size() < 240) offsets.push_back(rng() % bytes_.size());
  int restore_into_existing = 0;
  for (size_t i = 0; i < offsets.size(); ++i) {
    const size_t at = offsets[i];
    std::string damaged = bytes_;
    damaged[at] = static_cast<char>(static_cast<uint8_t>(damaged[at]) ^ (1 + rng() % 255));
    const std::string path = WriteDamaged(damaged);
    const std::string what = "byte " + std::to_string(at) + " of " + std::to_string(bytes_.size());

    RunResult verify = RunRoxi({"verify", "--archive", path});
    EXPECT_EQ(verify.exit_code, 1) << what << "\n" << verify.out << verify.err;

    // Alternately into a fresh directory and over the live store.
    const bool over_live = i % 2 == 1;
    RunResult restore = over_live ? Roxi("restore", {path, "--force"})
                                  : RunRoxi({"restore", path, "--data-dir", dir_.Sub("fresh")});
    EXPECT_EQ(restore.exit_code, 3) << what << "\n" << restore.err;
    restore_into_existing += over_live;
    ExpectNothingWritten(what);
  }
  EXPECT_EQ(restore_into_existing, 120);
  EXPECT_EQ(Status()["documents"], documents_);
  auto [code, doc] = VerifyStore(data_dir());
  EXPECT_EQ(code, 0) << doc.dump(2);
}

TEST_F(ArchiveCorruptionTest, DamageIsPinpointedToItsFile) {
  // The first frame starts right after the 20-byte header.
  std::string damaged = bytes_;
  damaged[40] ^= 0x55;
  const std::string path = WriteDamaged(damaged);
  RunResult verify = RunRoxi({"verify", "--archive", path, "--json"});
  ASSERT_EQ(verify.exit_code, 1);
  const auto doc = nlohmann::json::parse(verify.out);
  ASSERT_EQ(doc["problem_count"], 1);
  const std::string key = doc["problems"][0]["key"];
  const std::string detail = doc["problems"][0]["detail"];
  EXPECT_NE(detail.find("file " + key + " (archive bytes 20.."), std::string::npos) << detail;
  RunResult restore = RunRoxi({"restore", path, "--data-dir", dir_.Sub("fresh")});
  EXPECT_NE(restore.err.find("archive refused, nothing was written"), std::string::npos)
      << restore.err;
  EXPECT_NE(restore.err.find(key), std::string::npos) << restore.err;
}

TEST_F(ArchiveCorruptionTest, TruncatedArchivesAreRefusedSayingSo) {
  for (size_t size : {bytes_.size() - 1, bytes_.size() / 2, size_t{30}, size_t{0}}) {
    const std::string path = WriteDamaged(bytes_.substr(0, size));
    RunResult verify = RunRoxi({"verify", "--archive", path});
    EXPECT_EQ(verify.exit_code, 1) << size << verify.err;
    EXPECT_NE(verify.out.find("truncated"), std::string::npos) << size << ": " << verify.out;
    RunResult restore = RunRoxi({"restore", path, "--data-dir", dir_.Sub("fresh")});
    EXPECT_EQ(restore.exit_code, 3) << size;
    EXPECT_NE(restore.err.find("truncated"), std::string::npos) << size << ": " << restore.err;
    ExpectNothingWritten("truncated to " + std::to_string(size));
  }
}

TEST_F(ArchiveCorruptionTest, NewerFormatVersionIsRefusedNamingBothVersions) {
  std::string newer = bytes_;
  std::string header;
  format::EncodeArchiveHeader(format::ArchiveHeader{2}, &header);
  newer.replace(0, header.size(), header);
  const std::string path = WriteDamaged(newer);
  RunResult verify = RunRoxi({"verify", "--archive", path});
  EXPECT_EQ(verify.exit_code, 2);
  const std::string message = "version 2 is newer than what this roxi reads (1); use a newer roxi";
  EXPECT_NE(verify.err.find(message), std::string::npos) << verify.err;
  RunResult restore = RunRoxi({"restore", path, "--data-dir", dir_.Sub("fresh")});
  EXPECT_EQ(restore.exit_code, 2);
  EXPECT_NE(restore.err.find(message), std::string::npos) << restore.err;
  ExpectNothingWritten("version 2");
}

TEST_F(ArchiveCorruptionTest, ForeignFileIsNotAnArchive) {
  const std::string path = WriteDamaged(std::string(4096, '\0'));
  RunResult verify = RunRoxi({"verify", "--archive", path});
  EXPECT_EQ(verify.exit_code, 1);
  EXPECT_NE(verify.out.find("not a roxi backup archive"), std::string::npos) << verify.out;
}

}  // namespace
}  // namespace roxi::testing
