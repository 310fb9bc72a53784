// What the tests of the backup archive formats share (format/archive_*.h): hex, the frozen
// example files of tests/format/testdata/files/, the canonical example values FORMAT.md §6-8 show, and
// the damage every decoder must reject.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "format/archive_catalog.h"
#include "format/archive_manifest.h"
#include "format/archive_restore_journal.h"
#include "format/status.h"

namespace roxi::format::testing {

inline std::string ToHex(std::string_view bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(digits[c >> 4]);
    out.push_back(digits[c & 15]);
  }
  return out;
}

inline std::string FromHex(std::string_view hex) {
  std::string out;
  auto nibble = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(nibble(hex[i]) * 16 + nibble(hex[i + 1])));
  }
  return out;
}

// The bytes of tests/format/testdata/files/<name>: '#' lines are comments, the rest is hex.
inline std::string ReadFrozenHex(const std::string& name) {
  std::ifstream in(std::string(ROXI_SOURCE_DIR) + "/tests/format/testdata/files/" + name);
  EXPECT_TRUE(in.good()) << "missing frozen file " << name;
  std::string line, hex;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    for (char c : line) {
      if (!std::isspace(static_cast<unsigned char>(c))) hex.push_back(c);
    }
  }
  return FromHex(hex);
}

inline ArchiveId IdOf(uint8_t first) {
  ArchiveId id{};
  for (size_t i = 0; i < id.size(); ++i) id[i] = static_cast<uint8_t>(first + i);
  return id;
}

// FORMAT.md §6.4's example: an incremental archive holding two files, a third in its parent.
inline ArchiveManifest CanonicalManifest() {
  ArchiveManifest m;
  m.archive_id = IdOf(0xa0);
  m.store_id = IdOf(0x10);
  m.created_at_micros = 1795521600000000;  // 2026-11-24T12:00:00Z
  m.created_by = "roxi 0.1.0";
  m.schema_version = 1;
  m.sequence = 4242;
  m.embedder_id = "builtin:hash-v1:384";
  m.documents = 2;
  m.chunks = 5;
  m.vectors = 3;
  m.pending = 1;
  m.failed = 1;
  m.parents.push_back({IdOf(0xc0), "20261123T120000Z-p.roxibak"});
  m.files.push_back({"000009.sst", 1000, 0x1111111111111111, 1, 20, 400, 0x2222222222222222});
  m.files.push_back({"000012.sst", 300, 0x3333333333333333, 0, 20, 120, 0x4444444444444444});
  m.files.push_back({"CURRENT", 16, 0x5555555555555555, 0, 140, 25, 0x6666666666666666});
  return m;
}

// FORMAT.md §7's example: one archive holding one file, verified clean.
inline BackupCatalog CanonicalCatalog() {
  CatalogArchive a;
  a.name = "20261124T120000Z-s.roxibak";
  a.archive_id = IdOf(0xa0);
  a.store_id = IdOf(0x10);
  a.created_at_micros = 1795521600000000;
  a.archive_bytes = 200;
  a.restored_bytes = 16;
  a.sequence = 7;
  a.documents = 1;
  a.chunks = 1;
  a.vectors = 1;
  a.verify_state = VerifyState::kClean;
  a.verified_at_micros = 1795521660000000;
  a.files.push_back({"CURRENT", 16, 0x5555555555555555, 0, 20, 25, 0x6666666666666666});
  BackupCatalog c;
  c.archives.push_back(a);
  return c;
}

// FORMAT.md §8's example.
inline RestoreJournal CanonicalJournal() {
  RestoreJournal j;
  j.target = "data";
  j.previous = "data.before-restore-20261124T120000Z";
  j.incoming = "data.restoring";
  j.discard_previous = false;
  j.archive = "b/a.roxibak";
  j.created_at_micros = 1795521600000000;
  return j;
}

// Every proper prefix of `bytes` fails to decode.
template <class Decode>
void ExpectEveryTruncatedPrefixFails(Decode decode, const std::string& bytes) {
  for (size_t n = 0; n < bytes.size(); ++n) {
    auto r = decode(std::string_view(bytes).substr(0, n));
    EXPECT_FALSE(r.ok()) << "prefix of " << n << " bytes decoded";
    if (!r.ok()) {
      EXPECT_TRUE(r.status().IsCorruption()) << n << ": " << r.status().ToString();
    }
  }
}

// Changing any single byte of `bytes` (to each of a few other values) is caught as Corruption.
template <class Decode>
void ExpectEverySingleByteChangeIsCorruption(Decode decode, const std::string& bytes) {
  for (size_t i = 0; i < bytes.size(); ++i) {
    for (int delta : {1, 0x80, 0xff}) {
      std::string damaged = bytes;
      damaged[i] = static_cast<char>(static_cast<uint8_t>(damaged[i]) + delta);
      auto r = decode(damaged);
      EXPECT_FALSE(r.ok()) << "byte " << i << " + " << delta << " went unnoticed";
      if (!r.ok()) {
        EXPECT_TRUE(r.status().IsCorruption()) << i << ": " << r.status().ToString();
      }
    }
  }
}

}  // namespace roxi::format::testing
