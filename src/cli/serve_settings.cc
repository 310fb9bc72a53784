#include "src/cli/serve_settings.h"

#include "src/cli/embedder_options.h"
#include "src/embedders/embedder_factory.h"
#include "src/processor/processor.h"
#include "src/server/http_api.h"

namespace roxi::cli {

namespace {

Result<server::DaemonOptions> DaemonOptionsFrom(const ServeFlags& f) {
  server::DaemonOptions o;
  o.processor.batch_size = f.batch_size;
  ROXI_ASSIGN_OR_RETURN(o.processor.target, processor::ParseTarget(f.target));
  o.processor.max_attempts = f.max_attempts;
  o.processor.name = "process";
  o.poll_min_seconds = f.poll_min;
  o.poll_max_seconds = f.poll_max;
  o.deep_sleep_after_seconds = f.deep_sleep_after;
  o.load.max_load_per_core = f.max_load_per_core;
  o.load.max_memory_pressure = f.max_memory_pressure;
  o.load.min_memory_available = f.min_memory_available;
  o.load_check_seconds = f.load_check_every;
  o.outage_backoff_max_seconds = f.outage_backoff_max;
  o.block_cache_bytes = f.block_cache_mb << 20;
  ROXI_RETURN_IF_ERROR(server::ValidateDaemonOptions(o));
  return o;
}

Result<server::MaintenanceOptions> MaintenanceOptionsFrom(const ServeFlags& f,
                                                          const std::string& data_dir) {
  server::MaintenanceOptions o;
  o.backups.folder = ResolveBackupDir(f.backup_dir, data_dir);
  ROXI_ASSIGN_OR_RETURN(o.backups.every_seconds, ParseDurationSeconds("backup-every", f.backup_every));
  o.backups.full_every = f.backup_full_every;
  o.backups.retention.keep_last = f.keep_last;
  o.backups.retention.keep_daily = f.keep_daily;
  o.backups.retention.keep_weekly = f.keep_weekly;
  o.check_every_seconds = f.check_every;
  o.auto_restore = !f.no_auto_restore;
  ROXI_RETURN_IF_ERROR(server::ValidateMaintenanceOptions(o));
  return o;
}

Result<server::HttpServerOptions> HttpOptionsFrom(const ServeFlags& f) {
  server::HttpServerOptions o;
  o.tls_cert = f.tls_cert;
  o.tls_key = f.tls_key;
  o.max_body_bytes = f.max_body;
  o.max_connections = f.max_connections;
  if (!(f.header_timeout >= 0.1 && f.header_timeout <= 3600)) {
    return Status::InvalidArgument("--header-timeout " + std::to_string(f.header_timeout),
                                   "want 0.1..3600 seconds");
  }
  o.header_timeout = std::chrono::milliseconds(static_cast<int64_t>(f.header_timeout * 1000));
  ROXI_RETURN_IF_ERROR(server::ValidateHttpServerOptions(o));
  return o;
}

}  // namespace

bool IsLoopbackHost(const std::string& host) {
  return host == "localhost" || host == "::1" || host == "[::1]" || host.starts_with("127.");
}

Result<ServeSettings> ValidateServeFlags(const ServeFlags& flags, const std::string& data_dir) {
  ServeSettings settings;
  ROXI_ASSIGN_OR_RETURN(settings.daemon, DaemonOptionsFrom(flags));
  ROXI_ASSIGN_OR_RETURN(settings.maintenance, MaintenanceOptionsFrom(flags, data_dir));
  ROXI_RETURN_IF_ERROR(server::ParseListenAddress(flags.listen, &settings.host, &settings.port));
  ROXI_ASSIGN_OR_RETURN(settings.watch_deletes, server::ParseWatchDeletes(flags.watch_deletes));
  ROXI_ASSIGN_OR_RETURN(settings.http, HttpOptionsFrom(flags));
  ROXI_ASSIGN_OR_RETURN(embedders::EmbedderOptions embedder, ParseEmbedderSpec(flags.embedder));
  ROXI_RETURN_IF_ERROR(embedders::ValidateEmbedderKind(embedder.spec));
  return settings;
}

}  // namespace roxi::cli
