#include "format/server_file.h"

#include <charconv>
#include <cstdio>

#include "format/dcheck.h"
#include "format/hash.h"

namespace roxi::format {

namespace {

constexpr std::string_view kWhat = "server file";
constexpr size_t kChecksumLineBytes = 5 + 16 + 1;  // "xxh3=" + hex + "\n"

std::string Hex64(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

template <class T>
bool ParseDecimal(std::string_view text, T* out) {
  if (text.empty() || (text.size() > 1 && text[0] == '0')) return false;  // canonical form only
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && end == text.data() + text.size();
}

// Takes the next "key=value\n" line; false if there is none or it is malformed.
bool NextLine(std::string_view* in, std::string_view key, std::string_view* value) {
  const size_t newline = in->find('\n');
  if (newline == std::string_view::npos) return false;
  const std::string_view line = in->substr(0, newline);
  if (line.size() <= key.size() || line.substr(0, key.size()) != key || line[key.size()] != '=') {
    return false;
  }
  *value = line.substr(key.size() + 1);
  in->remove_prefix(newline + 1);
  return true;
}

}  // namespace

std::string EncodeServerFile(const ServerFileRecord& r) {
  ROXI_DCHECK(r.pid > 0 && r.port >= 1 && r.port <= 65535);
  ROXI_DCHECK(r.host.find_first_of(":\n") == std::string::npos);
  ROXI_DCHECK(r.roxi_version.find('\n') == std::string::npos);
  std::string out(kServerFileMagic);
  out += "version=" + std::to_string(kServerFileVersion) + "\n";
  out += "pid=" + std::to_string(r.pid) + "\n";
  out += "listen=" + r.host + ":" + std::to_string(r.port) + "\n";
  out += "started_at_micros=" + std::to_string(r.started_at_micros) + "\n";
  out += "roxi=" + r.roxi_version + "\n";
  out += "xxh3=" + Hex64(Xxh3(out)) + "\n";
  return out;
}

Result<ServerFileRecord> DecodeServerFile(std::string_view in) {
  if (in.size() > kMaxServerFileBytes) return Status::Corruption(kWhat, "larger than 4096 bytes");
  if (in.substr(0, kServerFileMagic.size()) != kServerFileMagic) {
    return Status::Corruption(kWhat, "bad magic");
  }
  if (in.size() < kServerFileMagic.size() + kChecksumLineBytes) {
    return Status::Corruption(kWhat, "too short");
  }
  const std::string_view sealed = in.substr(0, in.size() - kChecksumLineBytes);
  std::string_view tail = in.substr(sealed.size());
  std::string_view checksum;
  if (!NextLine(&tail, "xxh3", &checksum) || !tail.empty() || checksum != Hex64(Xxh3(sealed))) {
    return Status::Corruption(kWhat, "checksum mismatch");
  }
  std::string_view body = sealed.substr(kServerFileMagic.size());
  std::string_view value;
  uint32_t version = 0;
  if (!NextLine(&body, "version", &value) || !ParseDecimal(value, &version)) {
    return Status::Corruption(kWhat, "bad version line");
  }
  if (version != kServerFileVersion) {
    return Status::NotSupported(kWhat, "version " + std::to_string(version));
  }
  ServerFileRecord r;
  if (!NextLine(&body, "pid", &value) || !ParseDecimal(value, &r.pid) || r.pid <= 0) {
    return Status::Corruption(kWhat, "bad pid");
  }
  if (!NextLine(&body, "listen", &value)) return Status::Corruption(kWhat, "bad listen address");
  const size_t colon = value.rfind(':');
  if (colon == std::string_view::npos || colon == 0 ||
      !ParseDecimal(value.substr(colon + 1), &r.port) || r.port == 0 || r.port > 65535 ||
      value.substr(0, colon).find(':') != std::string_view::npos) {
    return Status::Corruption(kWhat, "bad listen address");
  }
  r.host.assign(value.substr(0, colon));
  if (!NextLine(&body, "started_at_micros", &value) || !ParseDecimal(value, &r.started_at_micros)) {
    return Status::Corruption(kWhat, "bad start time");
  }
  if (!NextLine(&body, "roxi", &value)) return Status::Corruption(kWhat, "bad roxi version");
  r.roxi_version.assign(value);
  if (!body.empty()) return Status::Corruption(kWhat, "unexpected trailing lines");
  return r;
}

}  // namespace roxi::format
