// Helpers shared by the tests of format/'s framed records (FORMAT.md §1.3, §3): hex conversion, the
// frozen files of tests/format/testdata/, re-sealing a damaged body with a valid checksum (so that
// the check under test, not the checksum, is what rejects it), and the damage sweeps every record's
// test runs: every truncated prefix, every single-byte change.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <string>
#include <string_view>

#include "format/hash.h"
#include "format/record_frame.h"
#include "format/status.h"

namespace roxi::format::testing {

inline std::string BytesToHex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char c : bytes) {
    hex.push_back(kDigits[c >> 4]);
    hex.push_back(kDigits[c & 0xf]);
  }
  return hex;
}

// REQUIRES: `hex` is lower- or upper-case hex digits of even length (a test bug otherwise).
inline std::string HexToBytes(std::string_view hex) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    ADD_FAILURE() << "not a hex digit: " << c;
    return 0;
  };
  EXPECT_EQ(hex.size() % 2, 0u) << "odd-length hex";
  std::string bytes;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    bytes.push_back(static_cast<char>(nibble(hex[i]) << 4 | nibble(hex[i + 1])));
  }
  return bytes;
}

inline std::filesystem::path TestdataDir() {
  return std::filesystem::path(ROXI_SOURCE_DIR) / "tests" / "format" / "testdata";
}

// The bytes of a frozen file: '#' lines are comments, the other lines are hex and concatenate.
inline std::string ReadFrozenHexFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << "cannot read " << path;
  std::string line, hex;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    hex += line;
  }
  EXPECT_FALSE(hex.empty()) << "no hex in " << path;
  return HexToBytes(hex);
}

// The bytes of tests/format/testdata/<file_name>.
inline std::string ReadFrozenHex(std::string_view file_name) {
  return ReadFrozenHexFile(TestdataDir() / file_name);
}

// `body` (version byte included) followed by its valid XXH3 checksum.
inline std::string Seal(std::string body) {
  SealRecord(&body, 0);
  return body;
}

// `record` without its trailing checksum.
inline std::string Unseal(std::string_view record) {
  EXPECT_GE(record.size(), kXxh3Size);
  return std::string(record.substr(0, record.size() - kXxh3Size));
}

// `record` with its version byte replaced and the checksum recomputed.
inline std::string WithVersion(std::string_view record, uint8_t version) {
  std::string body = Unseal(record);
  body[0] = static_cast<char>(version);
  return Seal(body);
}

// `record` with `extra` inserted before the checksum and the checksum recomputed.
inline std::string WithTrailingBytes(std::string_view record, std::string_view extra) {
  return Seal(Unseal(record) + std::string(extra));
}

// Every strict prefix of a valid `record`, the empty one included, decodes to Corruption.
template <class Decode>
void ExpectEveryTruncatedPrefixIsCorruption(Decode decode, std::string_view record) {
  for (size_t len = 0; len < record.size(); ++len) {
    const auto result = decode(record.substr(0, len));
    EXPECT_TRUE(result.status().IsCorruption()) << "prefix of " << len << " of " << record.size()
                                                << " bytes: " << result.status().ToString();
  }
}

// Replacing any one byte of a valid `record` by any other value decodes to Corruption: the checksum
// covers every byte, the version byte included, and is checked before the version.
template <class Decode>
void ExpectEverySingleByteChangeIsCorruption(Decode decode, std::string_view record) {
  std::string damaged(record);
  for (size_t i = 0; i < damaged.size(); ++i) {
    const char original = damaged[i];
    for (int delta = 1; delta < 256; ++delta) {
      damaged[i] = static_cast<char>(static_cast<uint8_t>(original) ^ delta);
      const auto result = decode(damaged);
      if (!result.status().IsCorruption()) {
        ADD_FAILURE() << "byte " << i << " xor " << delta << ": " << result.status().ToString();
        return;  // one report per record is enough
      }
    }
    damaged[i] = original;
  }
}

// A valid `record` re-sealed with versions 0, 2 and 255 decodes to NotSupported naming the version.
template <class Decode>
void ExpectOtherVersionsAreNotSupported(Decode decode, std::string_view record,
                                        std::initializer_list<int> versions = {0, 2, 255}) {
  for (int version : versions) {
    const auto result = decode(WithVersion(record, static_cast<uint8_t>(version)));
    EXPECT_TRUE(result.status().IsNotSupported()) << version << ": " << result.status().ToString();
    EXPECT_NE(result.status().message().find("version " + std::to_string(version)),
              std::string_view::npos)
        << result.status().ToString();
  }
}

// A valid `record` with 1, 2 or 9 bytes added before its (re-sealed) checksum decodes to
// Corruption.
template <class Decode>
void ExpectTrailingBytesAreCorruption(Decode decode, std::string_view record) {
  for (std::string_view extra :
       {std::string_view("\0", 1), std::string_view("\x01\x02"), std::string_view("trailing!")}) {
    const auto result = decode(WithTrailingBytes(record, extra));
    EXPECT_TRUE(result.status().IsCorruption())
        << extra.size() << " extra bytes: " << result.status().ToString();
  }
}

}  // namespace roxi::format::testing
