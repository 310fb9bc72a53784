#include "src/server/maintenance_report.h"

#include <gtest/gtest.h>

namespace roxi::server {
namespace {

MaintenanceSnapshot SampleSnapshot() {
  MaintenanceSnapshot s;
  s.backups.folder = "/srv/backups";
  s.backups.every_seconds = 14400;
  s.backups.backups_ok = 3;
  s.backups.backups_failed = 1;
  s.backups.backups_skipped = 2;
  s.backups.archives_pruned = 4;
  s.backups.last_backup_at_micros = 1795568400000000;  // 2026-11-25T01:00:00Z
  s.backups.last_backup_name = "20261125T010000Z-00.roxibak";
  s.backups.last_backup_bytes = 25792;
  s.backups.next_due_micros = 1795582800000000;  // four hours later
  s.health.checks = 7;
  RecoveryReport r;
  r.at_micros = 1795568500000000;
  r.reason = "rocksdb: 000032.sst: live file missing";
  r.archive = "/srv/backups/a.roxibak";
  r.requeue = {"/srv/notes/a.md", "/srv/notes/b.md"};
  r.lost = {"stdin-doc (given as text, no source file)"};
  s.recoveries.push_back(r);
  return s;
}

TEST(MaintenanceReportTest, MetricsAreOneSamplePerLineWithTypes) {
  StatusReport status;
  status.counters.documents = 5;
  status.counters.chunks = 17;
  status.counters.embedded = 15;
  status.counters.pending = 2;
  DaemonStatus d;
  d.state = "idle";
  status.daemon = d;
  const std::string text = MetricsText(status, SampleSnapshot());
  for (const char* line :
       {"# TYPE roxi_documents gauge\nroxi_documents 5\n", "roxi_chunks{state=\"pending\"} 2\n",
        "roxi_state{state=\"idle\"} 1\n", "roxi_state{state=\"processing\"} 0\n",
        "# TYPE roxi_backups_total counter\nroxi_backups_total{result=\"ok\"} 3\n",
        "roxi_backups_total{result=\"failed\"} 1\n",
        "roxi_backups_total{result=\"skipped_unchanged\"} 2\n", "roxi_backups_pruned_total 4\n",
        "roxi_last_backup_timestamp_seconds 1795568400\n",
        "roxi_next_backup_timestamp_seconds 1795582800\n", "roxi_health_checks_total 7\n",
        "roxi_store_alarm 0\n", "roxi_recoveries_total 1\n",
        "roxi_last_recovery_timestamp_seconds 1795568500\n", "roxi_recovery_requeued_total 2\n",
        "roxi_recovery_lost_total 1\n"}) {
    EXPECT_NE(text.find(line), std::string::npos) << line << "\nin:\n" << text;
  }
  // One HELP and TYPE per metric name, even with several samples.
  size_t types = 0;
  for (size_t at = text.find("# TYPE roxi_chunks "); at != std::string::npos;
       at = text.find("# TYPE roxi_chunks ", at + 1)) {
    ++types;
  }
  EXPECT_EQ(types, 1u);
}

TEST(MaintenanceReportTest, AlarmProblemIsAnEscapedLabel) {
  MaintenanceSnapshot s = SampleSnapshot();
  s.health.alarm = true;
  s.health.problem = "file \"x\\y\"\nmissing";
  const std::string text = MetricsText(StatusReport{}, s);
  EXPECT_NE(text.find("roxi_store_alarm{problem=\"file \\\"x\\\\y\\\"\\nmissing\"} 1\n"),
            std::string::npos)
      << text;
}

TEST(MaintenanceReportTest, StatusJsonAndTextNameBackupsAndRecoveries) {
  nlohmann::json doc = nlohmann::json::object();
  AddMaintenanceJson(SampleSnapshot(), &doc);
  EXPECT_EQ(doc["backups"]["last_at"], "2026-11-25T01:00:00Z");
  EXPECT_EQ(doc["backups"]["next_due"], "2026-11-25T05:00:00Z");
  EXPECT_EQ(doc["backups"]["skipped_unchanged"], 2);
  EXPECT_EQ(doc["health"]["alarm"], false);
  ASSERT_EQ(doc["recoveries"].size(), 1u);
  EXPECT_EQ(doc["recoveries"][0]["requeued"].size(), 2u);
  EXPECT_EQ(doc["recoveries"][0]["lost"][0], "stdin-doc (given as text, no source file)");
  const std::string text = MaintenanceText(SampleSnapshot());
  EXPECT_NE(text.find("last backup: 2026-11-25T01:00:00Z 20261125T010000Z-00.roxibak (25.8 KB)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("next backup: 2026-11-25T05:00:00Z"), std::string::npos) << text;
  EXPECT_NE(text.find("  lost: stdin-doc"), std::string::npos) << text;
}

}  // namespace
}  // namespace roxi::server
