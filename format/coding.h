// Byte-level encoding helpers used by every record in format/ (FORMAT.md §1.1, §1.2).
//
// Values use little-endian fixed-width integers and LEB128 varints; keys use big-endian integers so
// that RocksDB's bytewise order is numeric order. Each PutXxx(std::string*) appends; each
// GetXxx(std::string_view*) consumes from the front of its input and returns true, or returns false
// and leaves *in unchanged when the input is too short or malformed. Varint decoders reject
// over-long (non-canonical) encodings so that Encode(Decode(b)) == b holds for every record.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace roxi::format {

inline constexpr size_t kMaxVarint32Bytes = 5;
inline constexpr size_t kMaxVarint64Bytes = 10;

// Little-endian fixed-width (values).
void PutFixed16(std::string* dst, uint16_t v);
void PutFixed32(std::string* dst, uint32_t v);
void PutFixed64(std::string* dst, uint64_t v);
// REQUIRES: p points at 2, 4 or 8 readable bytes.
uint16_t DecodeFixed16(const char* p);
uint32_t DecodeFixed32(const char* p);
uint64_t DecodeFixed64(const char* p);
bool GetFixed16(std::string_view* in, uint16_t* v);
bool GetFixed32(std::string_view* in, uint32_t* v);
bool GetFixed64(std::string_view* in, uint64_t* v);

// Big-endian fixed-width (keys). REQUIRES: p points at 4 (or 8) readable bytes.
void PutBigEndian32(std::string* dst, uint32_t v);
void PutBigEndian64(std::string* dst, uint64_t v);
uint32_t DecodeBigEndian32(const char* p);
uint64_t DecodeBigEndian64(const char* p);

// LEB128 varints. Put writes the shortest encoding (VarintLength(v) bytes). Get rejects truncated
// input, more than the maximum bytes, bits above the type's width, and over-long encodings (a final
// byte of 0x00 after the first).
void PutVarint32(std::string* dst, uint32_t v);
void PutVarint64(std::string* dst, uint64_t v);
bool GetVarint32(std::string_view* in, uint32_t* v);
bool GetVarint64(std::string_view* in, uint64_t* v);
size_t VarintLength(uint64_t v);

// A varint32 length followed by that many bytes. Get checks the length against the bytes left and
// against `max_len` before touching them; *value is a view into the input, not a copy.
// REQUIRES (Put): value.size() < 2^32.
void PutLengthPrefixed(std::string* dst, std::string_view value);
bool GetLengthPrefixed(std::string_view* in, std::string_view* value, uint32_t max_len);

inline bool GetByte(std::string_view* in, uint8_t* v) {
  if (in->empty()) return false;
  *v = static_cast<uint8_t>((*in)[0]);
  in->remove_prefix(1);
  return true;
}

}  // namespace roxi::format
