#include "src/cli/serve_options.h"

#include <cstdlib>

#include "src/cli/embedder_options.h"

namespace roxi::cli {

void AddServeOptions(po::options_description* options, ServeFlags* flags) {
  const ServeFlags d;
  // clang-format off
  options->add_options()
      ("batch-size", po::value<size_t>(&flags->batch_size)->default_value(d.batch_size),
       "chunks per batch (one embedder call, one atomic write)")
      ("target", po::value<std::string>(&flags->target)->default_value(d.target),
       "share of all chunks to keep embedded, e.g. 50% or 0.5")
      ("max-attempts", po::value<uint32_t>(&flags->max_attempts)->default_value(d.max_attempts),
       "attempts before a chunk the embedder rejects is marked failed");
  AddEmbedderOption(options, &flags->embedder);
  options->add_options()
      ("listen", po::value<std::string>(&flags->listen)->default_value(d.listen),
       "host:port to listen on; port 0 picks any free port")
      ("poll-min", po::value<double>(&flags->poll_min)->default_value(d.poll_min),
       "shortest interval between polls for new work, seconds")
      ("poll-max", po::value<double>(&flags->poll_max)->default_value(d.poll_max),
       "longest interval between polls for new work, seconds")
      ("deep-sleep-after", po::value<double>(&flags->deep_sleep_after)
           ->default_value(d.deep_sleep_after),
       "seconds without work before sleeping deeply")
      ("max-load-per-core", po::value<double>(&flags->max_load_per_core)
           ->default_value(d.max_load_per_core),
       "pause while the load average per core is above this (0 disables)")
      ("max-memory-pressure", po::value<double>(&flags->max_memory_pressure)
           ->default_value(d.max_memory_pressure),
       "pause while memory pressure (PSI 'some avg10', percent) is above this (0 disables)")
      ("min-memory-available", po::value<double>(&flags->min_memory_available)
           ->default_value(d.min_memory_available),
       "pause while available memory is below this percent of MemTotal (0 disables)")
      ("load-check-every", po::value<double>(&flags->load_check_every)
           ->default_value(d.load_check_every),
       "interval between load and memory checks, seconds")
      ("outage-backoff-max", po::value<double>(&flags->outage_backoff_max)
           ->default_value(d.outage_backoff_max),
       "longest back-off while the embedder is unavailable, seconds")
      ("watch", po::value<std::vector<std::string>>(&flags->watch)
           ->default_value(d.watch, "none"),
       "folder to watch and ingest (repeatable)")
      ("watch-deletes", po::value<std::string>(&flags->watch_deletes)
           ->default_value(d.watch_deletes),
       "a file deleted from a watched folder: delete its document, or keep it (delete, keep)")
      ("log-file", po::value<std::string>(&flags->log_file)->default_value(d.log_file),
       "log file; relative paths are under the data directory; '' or '-' disables it")
      ("log-max-bytes", po::value<uint64_t>(&flags->log_max_bytes)
           ->default_value(d.log_max_bytes, "10485760 (10 MiB)"),
       "size in bytes at which the log file rotates")
      ("log-max-files", po::value<uint32_t>(&flags->log_max_files)
           ->default_value(d.log_max_files),
       "rotated log files kept besides the current one")
      ("block-cache-mb", po::value<size_t>(&flags->block_cache_mb)
           ->default_value(d.block_cache_mb),
       "RocksDB block cache, MiB")
      ("backup-dir", po::value<std::string>(&flags->backup_dir)->default_value(d.backup_dir,
           "<data-dir>.backups"),
       "backup folder of scheduled backups, of 'roxi backup' through the server and of automatic "
       "restores")
      ("backup-every", po::value<std::string>(&flags->backup_every)->default_value(d.backup_every),
       "take a backup this often (e.g. 4h, 30m, 1d; 'off' disables); skipped while the store is "
       "unchanged")
      ("backup-full-every", po::value<uint32_t>(&flags->backup_full_every)
           ->default_value(d.backup_full_every),
       "every Nth scheduled backup is full, the others incremental (0 or 1: all full)")
      ("keep-last", po::value<uint32_t>(&flags->keep_last)->default_value(d.keep_last),
       "after each scheduled backup keep the newest N archives (all keep-* 0: keep everything)")
      ("keep-daily", po::value<uint32_t>(&flags->keep_daily)->default_value(d.keep_daily),
       "... and the newest of each of the last N days")
      ("keep-weekly", po::value<uint32_t>(&flags->keep_weekly)->default_value(d.keep_weekly),
       "... and the newest of each of the last N weeks")
      ("check-every", po::value<double>(&flags->check_every)->default_value(d.check_every),
       "seconds between health checks of the store")
      ("ingest-root", po::value<std::vector<std::string>>(&flags->ingest_root)
           ->default_value(d.ingest_root, "none"),
       "folder under which ingests through the API may read files (repeatable; --watch folders "
       "count too)")
      ("tls-cert", po::value<std::string>(&flags->tls_cert)->default_value(d.tls_cert, "none"),
       "PEM certificate (chain) of the API; with --tls-key it speaks HTTPS")
      ("tls-key", po::value<std::string>(&flags->tls_key)->default_value(d.tls_key, "none"),
       "PEM private key of --tls-cert")
      ("max-body", po::value<uint64_t>(&flags->max_body)
           ->default_value(d.max_body, "33554432 (32 MiB)"),
       "largest request body accepted by the API, bytes (larger: 413 before it is read)")
      ("max-connections", po::value<size_t>(&flags->max_connections)
           ->default_value(d.max_connections),
       "open API connections at once; past it the oldest idle one is dropped")
      ("header-timeout", po::value<double>(&flags->header_timeout)
           ->default_value(d.header_timeout),
       "seconds a connection may take to send a request's headers")
      ("no-auto-restore", po::bool_switch(&flags->no_auto_restore),
       "on damage, raise the alarm (exit 3 at start) instead of restoring the newest verified "
       "archive");
  // clang-format on
}

Result<double> ParseDurationSeconds(const std::string& option, const std::string& value) {
  if (value == "off") return 0.0;
  const Status bad = Status::InvalidArgument(
      "--" + option + " '" + value + "'", "want a duration such as 90, 2s, 30m, 4h, 1d or off");
  if (value.empty()) return bad;
  double unit = 1;
  std::string number = value;
  switch (value.back()) {
    case 's': unit = 1; number.pop_back(); break;
    case 'm': unit = 60; number.pop_back(); break;
    case 'h': unit = 3600; number.pop_back(); break;
    case 'd': unit = 86400; number.pop_back(); break;
    default: break;
  }
  if (number.empty() || number.find_first_not_of("0123456789.") != std::string::npos) return bad;
  char* end = nullptr;
  const double n = std::strtod(number.c_str(), &end);
  if (end != number.c_str() + number.size() || !(n >= 0)) return bad;
  return n * unit;
}

std::string ResolveBackupDir(const std::string& backup_dir, const std::string& data_dir) {
  if (!backup_dir.empty()) return backup_dir;
  std::string dir = data_dir;
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  return dir + ".backups";
}

std::string ResolveLogFile(const std::string& log_file, const std::string& data_dir) {
  if (log_file.empty() || log_file == "-") return "";
  if (log_file.front() == '/' || data_dir.empty()) return log_file;
  return data_dir + (data_dir.back() == '/' ? "" : "/") + log_file;
}

}  // namespace roxi::cli
