#include "src/cli/serve_options.h"

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
       "RocksDB block cache, MiB");
  // clang-format on
}

std::string ResolveLogFile(const std::string& log_file, const std::string& data_dir) {
  if (log_file.empty() || log_file == "-") return "";
  if (log_file.front() == '/' || data_dir.empty()) return log_file;
  return data_dir + (data_dir.back() == '/' ? "" : "/") + log_file;
}

}  // namespace roxi::cli
