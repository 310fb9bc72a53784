#include "src/server/maintenance_report.h"

#include <cstdio>
#include <sstream>

#include "src/common/human_bytes.h"
#include "src/common/utc_time.h"

namespace roxi::server {

namespace {

nlohmann::json TimeOrNull(uint64_t unix_micros) {
  return unix_micros == 0 ? nlohmann::json(nullptr) : nlohmann::json(common::UtcTime(unix_micros));
}

// Prometheus label values escape backslash, double quote and newline.
std::string LabelValue(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

class Exposition {
 public:
  void Metric(const char* name, const char* type, const char* help, double value,
              const std::string& labels = "") {
    if (declared_ != name) {
      out_ << "# HELP " << name << " " << help << "\n# TYPE " << name << " " << type << "\n";
      declared_ = name;
    }
    char number[40];
    std::snprintf(number, sizeof number, "%.17g", value);
    out_ << name << (labels.empty() ? "" : "{" + labels + "}") << " " << number << "\n";
  }
  std::string str() const { return out_.str(); }

 private:
  std::ostringstream out_;
  std::string declared_;
};

double Seconds(uint64_t unix_micros) { return static_cast<double>(unix_micros) / 1e6; }

}  // namespace

void AddMaintenanceJson(const MaintenanceSnapshot& s, nlohmann::json* status) {
  const BackupActivity& b = s.backups;
  (*status)["backups"] = {{"folder", b.folder},
                          {"every_seconds", b.every_seconds},
                          {"ok", b.backups_ok},
                          {"failed", b.backups_failed},
                          {"skipped_unchanged", b.backups_skipped},
                          {"pruned", b.archives_pruned},
                          {"running", b.running},
                          {"last_at", TimeOrNull(b.last_backup_at_micros)},
                          {"last_name", b.last_backup_name},
                          {"last_bytes", b.last_backup_bytes},
                          {"last_seconds", b.last_backup_seconds},
                          {"last_error", b.last_error},
                          {"next_due", TimeOrNull(b.next_due_micros)}};
  (*status)["health"] = {{"alarm", s.health.alarm},
                         {"problem", s.health.problem},
                         {"checks", s.health.checks},
                         {"last_check_at", TimeOrNull(s.health.last_check_at_micros)},
                         {"auto_restore", s.health.auto_restore}};
  nlohmann::json recoveries = nlohmann::json::array();
  for (const auto& r : s.recoveries) {
    recoveries.push_back({{"at", TimeOrNull(r.at_micros)},
                          {"reason", r.reason},
                          {"archive", r.archive},
                          {"archive_created_at", TimeOrNull(r.archive_created_at_micros)},
                          {"damaged_store_kept_in", r.damaged_store_kept_in},
                          {"requeued", r.requeue},
                          {"lost", r.lost},
                          {"note", r.note}});
  }
  (*status)["recoveries"] = recoveries;
}

std::string MaintenanceText(const MaintenanceSnapshot& s) {
  std::ostringstream text;
  const BackupActivity& b = s.backups;
  if (s.health.alarm) {
    text << "ALARM:       store damaged: " << s.health.problem
         << (s.health.auto_restore ? "" : " (automatic restore is off)") << "\n";
  }
  if (b.last_backup_at_micros != 0) {
    text << "last backup: " << common::UtcTime(b.last_backup_at_micros) << " " << b.last_backup_name
         << " (" << common::HumanBytes(b.last_backup_bytes) << ")\n";
  } else if (!b.folder.empty()) {
    text << "last backup: none in " << b.folder << "\n";
  }
  if (b.next_due_micros != 0) text << "next backup: " << common::UtcTime(b.next_due_micros) << "\n";
  if (!b.last_error.empty()) text << "backup error: " << b.last_error << "\n";
  for (const auto& r : s.recoveries) {
    text << "recovered:   " << common::UtcTime(r.at_micros) << " from " << r.archive << " ("
         << r.reason << "); " << r.requeue.size() << " source(s) ingested again, " << r.lost.size()
         << " lost\n";
    for (const auto& lost : r.lost) text << "  lost: " << lost << "\n";
    if (!r.note.empty()) text << "  note: " << r.note << "\n";
  }
  return text.str();
}

std::string MetricsText(const StatusReport& status, const MaintenanceSnapshot& s) {
  Exposition m;
  const auto& c = status.counters;
  m.Metric("roxi_documents", "gauge", "Documents in the store.", static_cast<double>(c.documents));
  m.Metric("roxi_chunks", "gauge", "Chunks in the store, by state.", static_cast<double>(c.embedded),
           "state=\"embedded\"");
  m.Metric("roxi_chunks", "gauge", "", static_cast<double>(c.pending), "state=\"pending\"");
  m.Metric("roxi_chunks", "gauge", "", static_cast<double>(c.failed), "state=\"failed\"");
  m.Metric("roxi_store_bytes", "gauge", "Bytes of the store's files.",
           static_cast<double>(status.store_bytes));
  m.Metric("roxi_percent_complete", "gauge", "Share of chunks embedded or failed, percent.",
           status.percent_complete);
  if (status.daemon) {
    const auto& d = *status.daemon;
    for (const char* state : {"processing", "idle", "deep-sleep", "paused", "backoff", "stopping"}) {
      m.Metric("roxi_state", "gauge", "1 for the server's current state.", d.state == state ? 1 : 0,
               "state=\"" + std::string(state) + "\"");
    }
    m.Metric("roxi_uptime_seconds", "gauge", "Seconds since the server started.",
             static_cast<double>(d.uptime_seconds));
    m.Metric("roxi_resident_bytes", "gauge", "Resident memory of the server.",
             static_cast<double>(d.rss_bytes));
    m.Metric("roxi_index_vectors", "gauge", "Vectors in the loaded search index.",
             static_cast<double>(d.index_vectors));
    m.Metric("roxi_batches_total", "counter", "Batches committed since the server started.",
             static_cast<double>(d.batches_this_run));
    m.Metric("roxi_embedded_total", "counter", "Chunks embedded since the server started.",
             static_cast<double>(d.embedded_this_run));
  }
  const BackupActivity& b = s.backups;
  m.Metric("roxi_backups_total", "counter", "Backups since the server started, by result.",
           static_cast<double>(b.backups_ok), "result=\"ok\"");
  m.Metric("roxi_backups_total", "counter", "", static_cast<double>(b.backups_failed),
           "result=\"failed\"");
  m.Metric("roxi_backups_total", "counter", "", static_cast<double>(b.backups_skipped),
           "result=\"skipped_unchanged\"");
  m.Metric("roxi_backups_pruned_total", "counter", "Archives removed by retention.",
           static_cast<double>(b.archives_pruned));
  m.Metric("roxi_backup_running", "gauge", "1 while a backup runs.", b.running ? 1 : 0);
  m.Metric("roxi_last_backup_timestamp_seconds", "gauge",
           "Unix time of the newest archive of this store; 0 if none.",
           Seconds(b.last_backup_at_micros));
  m.Metric("roxi_last_backup_bytes", "gauge", "Size of the newest archive of this store.",
           static_cast<double>(b.last_backup_bytes));
  m.Metric("roxi_next_backup_timestamp_seconds", "gauge",
           "Unix time the next scheduled backup is due; 0 if none is scheduled.",
           Seconds(b.next_due_micros));
  m.Metric("roxi_health_checks_total", "counter", "Store health checks run.",
           static_cast<double>(s.health.checks));
  m.Metric("roxi_store_alarm", "gauge", "1 while the store is damaged and not yet restored.",
           s.health.alarm ? 1 : 0,
           s.health.alarm ? "problem=\"" + LabelValue(s.health.problem) + "\"" : "");
  m.Metric("roxi_recoveries_total", "counter", "Automatic restores since the server started.",
           static_cast<double>(s.recoveries.size()));
  uint64_t last_recovery = 0, requeued = 0, lost = 0;
  for (const auto& r : s.recoveries) {
    last_recovery = r.at_micros;
    requeued += r.requeue.size();
    lost += r.lost.size();
  }
  m.Metric("roxi_last_recovery_timestamp_seconds", "gauge",
           "Unix time of the last automatic restore; 0 if none.", Seconds(last_recovery));
  m.Metric("roxi_recovery_requeued_total", "counter",
           "Source files ingested again after automatic restores.", static_cast<double>(requeued));
  m.Metric("roxi_recovery_lost_total", "counter",
           "Documents automatic restores could not recover.", static_cast<double>(lost));
  return m.str();
}

}  // namespace roxi::server
