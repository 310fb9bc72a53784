// Fuzz target of the coding helpers (FORMAT.md §1.1, §1.2): varints, length-prefixed strings,
// fixed-width and big-endian integers.
//
// The input is a sequence of operations, each an op byte followed by the bytes it decodes:
//   op % 8 == 0: GetVarint32     1: GetVarint64     2: GetLengthPrefixed, max_len = (op >> 3) * 8
//             3: GetFixed16      4: GetFixed32      5: GetFixed64
//             6: big-endian 32   7: big-endian 64
// Varints and length prefixes are checked against an independent reference decoder; whatever
// decodes must re-encode to exactly the bytes consumed; a failed Get must consume nothing, and ends
// the run. Consecutive big-endian 64 values must compare byte-wise as they compare numerically.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "format/coding.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using namespace roxi::format;

// Reference: a canonical LEB128 of at most `max_bytes` bytes whose value fits in `width` bits.
// Sets *value and *length on success.
bool ReferenceVarint(std::string_view in, size_t max_bytes, int width, uint64_t* value,
                     size_t* length) {
  unsigned __int128 v = 0;
  for (size_t i = 0; i < in.size() && i < max_bytes; ++i) {
    const auto byte = static_cast<uint8_t>(in[i]);
    v |= static_cast<unsigned __int128>(byte & 0x7f) << (7 * i);
    if ((byte & 0x80) == 0) {
      if (i > 0 && byte == 0) return false;  // a trailing zero group: not canonical
      if ((v >> width) != 0) return false;
      *value = static_cast<uint64_t>(v);
      *length = i + 1;
      return true;
    }
  }
  return false;
}

template <class T, class Get, class Put>
bool CheckFixed(std::string_view* in, Get get, Put put) {
  const std::string_view before = *in;
  T v = 0;
  if (!get(in, &v)) {
    ROXI_FUZZ_CHECK(before.size() < sizeof(T) && *in == before);
    return false;
  }
  std::string out;
  put(&out, v);
  ROXI_FUZZ_CHECK(out == before.substr(0, sizeof(T)));
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  bool have_previous = false;
  uint64_t previous = 0;
  std::string previous_key;
  while (!in.empty()) {
    const auto op = static_cast<uint8_t>(in[0]);
    in.remove_prefix(1);
    const std::string_view before = in;
    uint64_t ref_value = 0;
    size_t ref_length = 0;
    switch (op % 8) {
      case 0: {
        uint32_t v = 0;
        const bool ok = GetVarint32(&in, &v);
        ROXI_FUZZ_CHECK(ok ==
                        ReferenceVarint(before, kMaxVarint32Bytes, 32, &ref_value, &ref_length));
        if (!ok) {
          ROXI_FUZZ_CHECK(in == before);
          return 0;
        }
        ROXI_FUZZ_CHECK(v == ref_value && before.size() - in.size() == ref_length);
        std::string out;
        PutVarint32(&out, v);
        ROXI_FUZZ_CHECK(out == before.substr(0, ref_length) && VarintLength(v) == ref_length);
        break;
      }
      case 1: {
        uint64_t v = 0;
        const bool ok = GetVarint64(&in, &v);
        ROXI_FUZZ_CHECK(ok ==
                        ReferenceVarint(before, kMaxVarint64Bytes, 64, &ref_value, &ref_length));
        if (!ok) {
          ROXI_FUZZ_CHECK(in == before);
          return 0;
        }
        ROXI_FUZZ_CHECK(v == ref_value && before.size() - in.size() == ref_length);
        std::string out;
        PutVarint64(&out, v);
        ROXI_FUZZ_CHECK(out == before.substr(0, ref_length) && VarintLength(v) == ref_length);
        break;
      }
      case 2: {
        const uint32_t max_len = static_cast<uint32_t>(op >> 3) * 8;
        std::string_view value;
        const bool ok = GetLengthPrefixed(&in, &value, max_len);
        const bool ref_ok =
            ReferenceVarint(before, kMaxVarint32Bytes, 32, &ref_value, &ref_length) &&
            ref_value <= max_len && ref_value <= before.size() - ref_length;
        ROXI_FUZZ_CHECK(ok == ref_ok);
        if (!ok) {
          ROXI_FUZZ_CHECK(in == before);
          return 0;
        }
        ROXI_FUZZ_CHECK(value.size() == ref_value && value.data() == before.data() + ref_length);
        std::string out;
        PutLengthPrefixed(&out, value);
        ROXI_FUZZ_CHECK(out == before.substr(0, before.size() - in.size()));
        break;
      }
      case 3:
        if (!CheckFixed<uint16_t>(&in, GetFixed16, PutFixed16)) return 0;
        break;
      case 4:
        if (!CheckFixed<uint32_t>(&in, GetFixed32, PutFixed32)) return 0;
        break;
      case 5:
        if (!CheckFixed<uint64_t>(&in, GetFixed64, PutFixed64)) return 0;
        break;
      case 6: {
        if (in.size() < 4) return 0;
        std::string out;
        PutBigEndian32(&out, DecodeBigEndian32(in.data()));
        ROXI_FUZZ_CHECK(out == in.substr(0, 4));
        in.remove_prefix(4);
        break;
      }
      case 7: {
        if (in.size() < 8) return 0;
        const uint64_t v = DecodeBigEndian64(in.data());
        std::string key;
        PutBigEndian64(&key, v);
        ROXI_FUZZ_CHECK(key == in.substr(0, 8));
        if (have_previous) ROXI_FUZZ_CHECK((previous_key < key) == (previous < v));
        have_previous = true;
        previous = v;
        previous_key = key;
        in.remove_prefix(8);
        break;
      }
    }
  }
  return 0;
}
