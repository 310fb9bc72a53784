// Lower-case hexadecimal text of bytes: how store ids, archive ids and raw keys appear in file
// names, reports and messages. One encoder for all of them.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace roxi::format {

// Two lower-case hex digits per byte, in order: "\x0a\xff" -> "0aff".
std::string HexEncode(std::string_view bytes);
inline std::string HexEncode(std::span<const uint8_t> bytes) {
  return HexEncode(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

}  // namespace roxi::format
