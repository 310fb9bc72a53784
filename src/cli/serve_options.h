// The options of 'roxi serve', as raw flag values. They live here, apart from the serve command,
// so that 'roxi config --effective' parses exactly the same options, through the same precedence
// (flags > ROXI_* environment > config file > defaults, see command_line.h), as the daemon does.
// The daemon validates these values and copies them into its own options structs; nothing here
// checks ranges.
//
// Thread-safety: AddServeOptions only registers options; the ServeFlags it binds are written by
// CommandLine::Parse and CommandLine::ReloadConfig on the thread that calls them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "format/status.h"
#include "src/cli/command_line.h"

namespace roxi::cli {

// Raw values of the serve flags. Each field's initial value is its default.
struct ServeFlags {
  // --batch-size: chunks per batch (one embedder call, one atomic write). Default: 256.
  size_t batch_size = 256;
  // --target: share of all chunks to keep embedded, "50%" or "0.5". Default: "100%".
  std::string target = "100%";
  // --max-attempts: attempts before a chunk the embedder rejects is marked failed. Default: 3.
  uint32_t max_attempts = 3;
  // --embedder: embedder spec (embedder_options.h). Default: "builtin".
  std::string embedder = "builtin";
  // --listen: "host:port" the daemon listens on; port 0 picks any free port.
  // Default: "127.0.0.1:0".
  std::string listen = "127.0.0.1:0";
  // --poll-min, --poll-max: bounds in seconds of the interval between polls for new work.
  // Default: 1 and 30.
  double poll_min = 1;
  double poll_max = 30;
  // --deep-sleep-after: seconds without work before the daemon sleeps deeply. Default: 300.
  double deep_sleep_after = 300;
  // --max-load-per-core: pause while the 1-minute load average per core exceeds this; 0 disables.
  // Default: 1.5.
  double max_load_per_core = 1.5;
  // --max-memory-pressure: pause while PSI memory "some avg10" (percent) exceeds this; 0
  // disables. Default: 40.
  double max_memory_pressure = 40;
  // --min-memory-available: pause while MemAvailable is below this percent of MemTotal; 0
  // disables. Default: 5.
  double min_memory_available = 5;
  // --load-check-every: seconds between load and memory checks. Default: 5.
  double load_check_every = 5;
  // --outage-backoff-max: upper bound in seconds of the back-off while the embedder is
  // unavailable. Default: 300.
  double outage_backoff_max = 300;
  // --watch (repeatable): folders to watch and ingest. Default: none.
  std::vector<std::string> watch;
  // --watch-deletes: "delete" (a file deleted from a watched folder deletes its document) or
  // "keep". Default: "delete".
  std::string watch_deletes = "delete";
  // --log-file: log file path; relative paths are under the data directory; "" or "-" disables
  // it. Default: "logs/roxi.log", i.e. <data-dir>/logs/roxi.log. See ResolveLogFile.
  std::string log_file = "logs/roxi.log";
  // --log-max-bytes: size in bytes at which the log file rotates. Default: 10 MiB.
  uint64_t log_max_bytes = uint64_t{10} << 20;
  // --log-max-files: rotated log files kept besides the current one. Default: 5.
  uint32_t log_max_files = 5;
  // --block-cache-mb: RocksDB block cache in MiB. Default: 32.
  size_t block_cache_mb = 32;
  // --backup-dir: the backup folder of scheduled backups, of backups asked of the server and of
  // automatic restores. Default: "", i.e. <data-dir>.backups (as `roxi backup`).
  std::string backup_dir;
  // --backup-every: interval between scheduled backups, a duration ("4h", "30m", "2s", "1d", or
  // seconds); "0" or "off" disables them. Default: "off".
  std::string backup_every = "off";
  // --backup-full-every: every Nth scheduled backup is full, the others incremental; 0 or 1: all
  // full. Default: 7.
  uint32_t backup_full_every = 7;
  // --keep-last, --keep-daily, --keep-weekly: retention applied after each scheduled backup (as
  // `roxi backup prune`); all 0 keeps every archive. Defaults: 6, 7, 4.
  uint32_t keep_last = 6;
  uint32_t keep_daily = 7;
  uint32_t keep_weekly = 4;
  // --check-every: seconds between health checks of the store. Default: 60.
  double check_every = 60;
  // --ingest-root (repeatable): folders under which POST /v1/ingest may read files, besides the
  // --watch folders. Default: none (only text posted as content).
  std::vector<std::string> ingest_root;
  // --tls-cert, --tls-key: PEM certificate (chain) and private key; both: the API speaks HTTPS.
  // Default: none (plain HTTP).
  std::string tls_cert;
  std::string tls_key;
  // --max-body: largest request body in bytes, refused with 413 from its Content-Length.
  // Default: 32 MiB.
  uint64_t max_body = uint64_t{32} << 20;
  // --max-connections: open API connections at once; past it the oldest idle one is dropped.
  // Default: 256.
  size_t max_connections = 256;
  // --header-timeout: seconds a connection may take to send a request's headers. Default: 10.
  double header_timeout = 10;
  // --no-auto-restore: report a damaged store (alarm; exit 3 at start) instead of restoring the
  // newest verified archive. Default: false (restore automatically).
  bool no_auto_restore = false;
};

// Seconds in a duration: a number with an optional unit s, m, h or d ("90", "2s", "30m", "4h",
// "1d"); "off" is 0. InvalidArgument naming `option` and the value otherwise.
Result<double> ParseDurationSeconds(const std::string& option, const std::string& value);

// The backup folder for `backup_dir` (a --backup-dir value): itself, or <data_dir>.backups.
std::string ResolveBackupDir(const std::string& backup_dir, const std::string& data_dir);

// Adds every serve option to `options`, bound to the fields of *flags, with the defaults above
// (those of a default-constructed ServeFlags). REQUIRES: *flags outlives every Parse and
// ReloadConfig of the CommandLine the options are added to.
void AddServeOptions(po::options_description* options, ServeFlags* flags);

// The log file to open for `log_file` (a --log-file value): "" when logging to a file is disabled
// ("" or "-"), the path itself when absolute, else the path under `data_dir`.
std::string ResolveLogFile(const std::string& log_file, const std::string& data_dir);

}  // namespace roxi::cli
