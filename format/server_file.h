// <data_dir>/roxi.server: how other roxi commands find the `roxi serve` that owns a data directory
// (FORMAT.md §10). Text, so an operator can read it:
//
//   "roxisrv\n"                       8-byte magic
//   "version=1\n"
//   "pid=<decimal>\n"
//   "listen=<host>:<port>\n"
//   "started_at_micros=<decimal>\n"
//   "roxi=<version string>\n"
//   "xxh3=<16 lower-case hex digits>\n"   XXH3-64 of every preceding byte
//
// Thread-safety: pure functions and values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "format/status.h"

namespace roxi::format {

inline constexpr std::string_view kServerFileMagic = "roxisrv\n";
inline constexpr uint32_t kServerFileVersion = 1;
inline constexpr size_t kMaxServerFileBytes = 4096;

struct ServerFileRecord {
  int64_t pid = 0;
  std::string host;  // no ':' or newline; IPv4 or a name
  uint32_t port = 0;
  uint64_t started_at_micros = 0;
  std::string roxi_version;
  bool operator==(const ServerFileRecord&) const = default;
};

// REQUIRES: pid > 0, 1 <= port <= 65535, host and roxi_version free of newlines (host also of ':').
std::string EncodeServerFile(const ServerFileRecord& record);
// Corruption on damage (bad magic, missing or repeated key, bad number, checksum mismatch, over
// kMaxServerFileBytes); NotSupported for another version.
Result<ServerFileRecord> DecodeServerFile(std::string_view in);

}  // namespace roxi::format
