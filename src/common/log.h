// Structured logging: one line per event, "<UTC time> <level> event key=value key=value", e.g.
// "2024-05-01T12:00:00.123Z info batch_done chunks=256 ms=41.250", to stderr (stdout is for
// command output only) and to the size-rotated files AddLogFile adds. spdlog does the writing; no
// other file includes it, so the rest of roxi sees only this header.
//
// Levels: error (a person must act), warn (degraded or retrying), info (one line per lifecycle
// event), debug (per batch). Never log secrets: values that may hold one (API keys, Authorization
// headers, URLs with credentials) are the caller's to leave out or to log as LogField::Redacted.
//
// Thread-safety: all functions are thread-safe, AddLogFile and CloseLogFiles included.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "format/status.h"

namespace roxi::common {

enum class LogLevel { kDebug, kInfo, kWarn, kError, kOff };

// "debug", "info", "warn", "error", "off"; InvalidArgument naming the value otherwise.
Result<LogLevel> ParseLogLevel(std::string_view name);

// One key=value field. Values with spaces or quotes are quoted when written.
struct LogField {
  LogField(std::string_view k, std::string_view v) : key(k), value(v) {}
  LogField(std::string_view k, const std::string& v) : key(k), value(v) {}
  LogField(std::string_view k, const char* v) : key(k), value(v) {}
  LogField(std::string_view k, uint64_t v) : key(k), value(std::to_string(v)) {}
  LogField(std::string_view k, int64_t v) : key(k), value(std::to_string(v)) {}
  LogField(std::string_view k, uint32_t v) : key(k), value(std::to_string(v)) {}
  LogField(std::string_view k, int v) : key(k), value(std::to_string(v)) {}
  LogField(std::string_view k, double v);
  LogField(std::string_view k, const Status& s) : key(k), value(s.ToString()) {}
  // A field whose value must not be written (a key, a token): logs "k=[redacted]".
  static LogField Redacted(std::string_view k) { return LogField(k, "[redacted]"); }
  std::string_view key;
  std::string value;
};

// The level applies to every destination, stderr and files alike. Default: info.
void SetLogLevel(LogLevel level);
LogLevel GetLogLevel();

// Also writes every log line to the file `path`, rotated by size: when a line would take it past
// `max_bytes`, the file is renamed with ".1" before its extension (roxi.log -> roxi.1.log), older
// ones shift up (roxi.1.log -> roxi.2.log), at most `max_files` renamed files are kept, and a new
// empty file is started. Creates the parent directory. An existing file is appended to.
// InvalidArgument when max_bytes is 0, max_files is over 200000, or `path` is already open;
// IOError naming the path when its directory cannot be created or the file cannot be opened.
Status AddLogFile(const std::string& path, uint64_t max_bytes, uint32_t max_files);

// Flushes and closes every file AddLogFile opened; lines go to stderr only from then on.
void CloseLogFiles();
void Log(LogLevel level, std::string_view event, std::initializer_list<LogField> fields = {});

inline void LogDebug(std::string_view event, std::initializer_list<LogField> fields = {}) {
  Log(LogLevel::kDebug, event, fields);
}
inline void LogInfo(std::string_view event, std::initializer_list<LogField> fields = {}) {
  Log(LogLevel::kInfo, event, fields);
}
inline void LogWarn(std::string_view event, std::initializer_list<LogField> fields = {}) {
  Log(LogLevel::kWarn, event, fields);
}
inline void LogError(std::string_view event, std::initializer_list<LogField> fields = {}) {
  Log(LogLevel::kError, event, fields);
}

}  // namespace roxi::common
