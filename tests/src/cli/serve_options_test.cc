#include "src/cli/embedder_options.h"
#include "src/cli/serve_options.h"

#include <gtest/gtest.h>

namespace roxi::cli {
namespace {

TEST(ServeOptionsTest, DefaultsAreTheDocumentedOnes) {
  ServeFlags flags;
  flags.batch_size = 1;  // overwritten by the default when parsed
  flags.watch = {"/stale"};
  po::options_description desc;
  AddServeOptions(&desc, &flags);
  po::variables_map vm;
  po::store(po::command_line_parser(std::vector<std::string>{}).options(desc).run(), vm);
  po::notify(vm);
  EXPECT_EQ(flags.batch_size, 256u);
  EXPECT_EQ(flags.target, "100%");
  EXPECT_EQ(flags.max_attempts, 3u);
  EXPECT_EQ(flags.embedder, "builtin");
  EXPECT_EQ(flags.listen, "127.0.0.1:0");
  EXPECT_EQ(flags.poll_min, 1.0);
  EXPECT_EQ(flags.poll_max, 30.0);
  EXPECT_EQ(flags.deep_sleep_after, 300.0);
  EXPECT_EQ(flags.max_load_per_core, 1.5);
  EXPECT_EQ(flags.max_memory_pressure, 40.0);
  EXPECT_EQ(flags.min_memory_available, 5.0);
  EXPECT_EQ(flags.load_check_every, 5.0);
  EXPECT_EQ(flags.outage_backoff_max, 300.0);
  EXPECT_TRUE(flags.watch.empty());
  EXPECT_EQ(flags.log_file, "logs/roxi.log");
  EXPECT_EQ(flags.log_max_bytes, 10u * 1024 * 1024);
  EXPECT_EQ(flags.log_max_files, 5u);
  EXPECT_EQ(flags.block_cache_mb, 32u);
  EXPECT_EQ(flags.backup_dir, "");
  EXPECT_EQ(flags.backup_every, "off");
  EXPECT_EQ(flags.backup_full_every, 7u);
  EXPECT_EQ(flags.keep_last, 6u);
  EXPECT_EQ(flags.keep_daily, 7u);
  EXPECT_EQ(flags.keep_weekly, 4u);
  EXPECT_EQ(flags.check_every, 60.0);
  EXPECT_FALSE(flags.no_auto_restore);
}

TEST(ServeOptionsTest, EveryOptionIsRegistered) {
  ServeFlags flags;
  po::options_description desc;
  AddServeOptions(&desc, &flags);
  for (const char* name : {"batch-size",
                           "target",
                           "max-attempts",
                           "embedder",
                           "listen",
                           "poll-min",
                           "poll-max",
                           "deep-sleep-after",
                           "max-load-per-core",
                           "max-memory-pressure",
                           "min-memory-available",
                           "load-check-every",
                           "outage-backoff-max",
                           "watch",
                           "watch-deletes",
                           "log-file",
                           "log-max-bytes",
                           "log-max-files",
                           "block-cache-mb",
                           "backup-dir",
                           "backup-every",
                           "backup-full-every",
                           "keep-last",
                           "keep-daily",
                           "keep-weekly",
                           "check-every",
                           "ingest-root",
                           "tls-cert",
                           "tls-key",
                           "max-body",
                           "max-connections",
                           "header-timeout",
                           "no-auto-restore"}) {
    EXPECT_NE(desc.find_nothrow(name, false), nullptr) << name;
  }
  // The serve options above, plus every option of the embedder (AddEmbedderOption registers
  // --embedder and the flags of the embedders it knows).
  std::string embedder_spec;
  po::options_description embedder;
  AddEmbedderOption(&embedder, &embedder_spec);
  EXPECT_EQ(desc.options().size(), 32u + embedder.options().size());
}

TEST(ServeOptionsTest, LogFileResolvesUnderTheDataDir) {
  EXPECT_EQ(ResolveLogFile("logs/roxi.log", "/var/lib/roxi"), "/var/lib/roxi/logs/roxi.log");
  EXPECT_EQ(ResolveLogFile("logs/roxi.log", "/var/lib/roxi/"), "/var/lib/roxi/logs/roxi.log");
  EXPECT_EQ(ResolveLogFile("/var/log/roxi.log", "/var/lib/roxi"), "/var/log/roxi.log");
  EXPECT_EQ(ResolveLogFile("", "/var/lib/roxi"), "");
  EXPECT_EQ(ResolveLogFile("-", "/var/lib/roxi"), "");
}

TEST(ServeOptionsTest, DurationsTakeAUnitOrSeconds) {
  EXPECT_EQ(*ParseDurationSeconds("backup-every", "90"), 90.0);
  EXPECT_EQ(*ParseDurationSeconds("backup-every", "2s"), 2.0);
  EXPECT_EQ(*ParseDurationSeconds("backup-every", "30m"), 1800.0);
  EXPECT_EQ(*ParseDurationSeconds("backup-every", "4h"), 14400.0);
  EXPECT_EQ(*ParseDurationSeconds("backup-every", "1d"), 86400.0);
  EXPECT_EQ(*ParseDurationSeconds("backup-every", "1.5h"), 5400.0);
  EXPECT_EQ(*ParseDurationSeconds("backup-every", "off"), 0.0);
  EXPECT_EQ(*ParseDurationSeconds("backup-every", "0"), 0.0);
  for (const char* bad : {"", "h", "4x", "-1h", "4 h", "1e3", "soon", "4hh"}) {
    auto r = ParseDurationSeconds("backup-every", bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_TRUE(r.status().IsInvalidArgument());
    EXPECT_NE(r.status().ToString().find("--backup-every '" + std::string(bad) + "'"),
              std::string::npos);
  }
}

TEST(ServeOptionsTest, BackupDirDefaultsBesideTheDataDir) {
  EXPECT_EQ(ResolveBackupDir("", "/var/lib/roxi"), "/var/lib/roxi.backups");
  EXPECT_EQ(ResolveBackupDir("", "/var/lib/roxi/"), "/var/lib/roxi.backups");
  EXPECT_EQ(ResolveBackupDir("/srv/backups", "/var/lib/roxi"), "/srv/backups");
}

}  // namespace
}  // namespace roxi::cli
