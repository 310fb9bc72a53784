// ScanJson: a strict, allocation-light JSON (RFC 8259) reader that reports what it reads to a
// handler, for the one hot path where nlohmann::json is too slow: embedding responses, whose tens
// of thousands of numbers cost nlohmann about 1 ms per 100 KB. Numbers are parsed with
// std::from_chars; nothing is built but what the handler keeps.
//
// Accepted exactly as JSON: one value, surrounded by optional whitespace; strings must be valid
// UTF-8 without raw control characters and with valid escapes; numbers follow the JSON grammar (no
// leading zeros, "+", "NaN" or "Infinity"); nesting is limited to kMaxJsonDepth. Object keys are
// passed unescaped; string values are checked but not passed (no caller needs them).
//
// Thread-safety: pure function; the handler is the caller's.
#pragma once

#include <cstdint>
#include <string_view>

namespace roxi::embedders {

inline constexpr int kMaxJsonDepth = 64;

class JsonHandler {
 public:
  virtual ~JsonHandler() = default;
  virtual void StartObject() = 0;
  virtual void EndObject() = 0;
  virtual void StartArray() = 0;
  virtual void EndArray() = 0;
  // The unescaped key of the next member.
  virtual void Key(std::string_view key) = 0;
  // A number: `integer` is set when it has no fraction or exponent and fits in int64 (then
  // `as_integer` holds it exactly); `value` is its double, 0 when too small for a double. A number
  // too large for a double makes the text invalid, as it does for nlohmann::json.
  virtual void Number(double value, bool integer, int64_t as_integer) = 0;
  // A string, true, false or null.
  virtual void OtherScalar() = 0;
};

// Reads `text`, calling `handler` for each token; false if `text` is not one well-formed JSON
// value (the handler may then have seen a prefix).
bool ScanJson(std::string_view text, JsonHandler* handler);

}  // namespace roxi::embedders
