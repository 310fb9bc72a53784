#include "src/common/log.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/dist_sink.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <vector>

#include "format/thread_annotations.h"

namespace roxi::common {

namespace {

constexpr const char* kPattern = "%Y-%m-%dT%H:%M:%S.%eZ %l %v";

std::atomic<LogLevel> g_level{LogLevel::kInfo};

// Where lines go: `all` fans out to stderr and to the files AddLogFile opened. dist_sink_mt locks
// around its sink list, so files come and go while other threads log.
struct LogSinks {
  std::shared_ptr<spdlog::sinks::dist_sink_mt> all =
      std::make_shared<spdlog::sinks::dist_sink_mt>();
  Mutex mu;
  std::vector<std::pair<std::string, std::shared_ptr<spdlog::sinks::sink>>> files
      ROXI_GUARDED_BY(mu);
};

LogSinks& Sinks() {
  // Never destroyed, like the logger below.
  static auto* sinks = new LogSinks;
  return *sinks;
}

spdlog::logger& Logger() {
  // A function-local static: created on first use, thread-safe, and never destroyed before a late
  // log line from another static's destructor.
  static auto* logger = [] {
    Sinks().all->add_sink(std::make_shared<spdlog::sinks::stderr_sink_mt>());
    auto* l = new spdlog::logger("roxi", Sinks().all);
    l->set_pattern(kPattern, spdlog::pattern_time_type::utc);
    l->set_level(spdlog::level::trace);
    l->flush_on(spdlog::level::trace);
    return l;
  }();
  return *logger;
}

spdlog::level::level_enum ToSpd(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return spdlog::level::debug;
    case LogLevel::kInfo: return spdlog::level::info;
    case LogLevel::kWarn: return spdlog::level::warn;
    case LogLevel::kError: return spdlog::level::err;
    case LogLevel::kOff: return spdlog::level::off;
  }
  return spdlog::level::info;
}

void AppendValue(std::string* line, std::string_view value) {
  const bool needs_quotes =
      value.empty() || value.find_first_of(" \t\n\"=") != std::string_view::npos;
  if (!needs_quotes) {
    line->append(value);
    return;
  }
  line->push_back('"');
  for (char c : value) {
    if (c == '"' || c == '\\') line->push_back('\\');
    if (c == '\n') {
      line->append("\\n");
      continue;
    }
    line->push_back(c);
  }
  line->push_back('"');
}

}  // namespace

LogField::LogField(std::string_view k, double v) : key(k) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  value = buf;
}

Result<LogLevel> ParseLogLevel(std::string_view name) {
  if (name == "debug") return LogLevel::kDebug;
  if (name == "info") return LogLevel::kInfo;
  if (name == "warn" || name == "warning") return LogLevel::kWarn;
  if (name == "error") return LogLevel::kError;
  if (name == "off") return LogLevel::kOff;
  return Status::InvalidArgument("log level '" + std::string(name) + "'",
                                 "want one of debug, info, warn, error, off");
}

Status AddLogFile(const std::string& path, uint64_t max_bytes, uint32_t max_files) {
  const std::string what = "log file " + path;
  if (max_bytes == 0) return Status::InvalidArgument(what, "max bytes must be positive");
  if (max_files > 200000) return Status::InvalidArgument(what, "at most 200000 rotated files");
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);
    if (ec) return Status::IOError(what, "cannot create " + parent.string() + ": " + ec.message());
  }
  Logger();  // the stderr sink comes first, so a failing file never hides a line from stderr
  std::shared_ptr<spdlog::sinks::sink> sink;
  try {
    sink = std::make_shared<spdlog::sinks::rotating_file_sink_mt>(path, max_bytes, max_files);
  } catch (const std::exception& e) {
    return Status::IOError(what, e.what());
  }
  sink->set_formatter(
      std::make_unique<spdlog::pattern_formatter>(kPattern, spdlog::pattern_time_type::utc));
  LogSinks& sinks = Sinks();
  MutexLock lock(&sinks.mu);
  for (const auto& [open_path, open_sink] : sinks.files) {
    if (open_path == path) return Status::InvalidArgument(what, "already open");
  }
  sinks.files.emplace_back(path, sink);
  sinks.all->add_sink(sink);
  return Status::OK();
}

void CloseLogFiles() {
  LogSinks& sinks = Sinks();
  std::vector<std::pair<std::string, std::shared_ptr<spdlog::sinks::sink>>> files;
  {
    MutexLock lock(&sinks.mu);
    files.swap(sinks.files);
  }
  for (const auto& [path, sink] : files) {
    sinks.all->remove_sink(sink);
    try {
      sink->flush();
    } catch (...) {
      // why: the file is being dropped; a failed flush has nowhere better to be reported.
    }
  }
}

void SetLogLevel(LogLevel level) { g_level.store(level); }
LogLevel GetLogLevel() { return g_level.load(); }

void Log(LogLevel level, std::string_view event, std::initializer_list<LogField> fields) {
  if (level < g_level.load() || level == LogLevel::kOff) return;
  std::string line(event);
  for (const auto& field : fields) {
    line.push_back(' ');
    line.append(field.key);
    line.push_back('=');
    AppendValue(&line, field.value);
  }
  try {
    Logger().log(ToSpd(level), "{}", line);
  } catch (...) {
    // why: a failure to write a log line must never take down the caller.
  }
}

}  // namespace roxi::common
