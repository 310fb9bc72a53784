#include "src/embedders/input_limits.h"

#include <string>

#include "format/dcheck.h"
#include "src/text/utf8.h"

namespace roxi::embedders {

namespace {

bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

// Length of the first piece of `text`, which is longer than max_bytes: at most max_bytes, ending
// after whitespace in its second half when there is some, else at a code point boundary.
size_t CutLength(std::string_view text, size_t max_bytes) {
  for (size_t i = max_bytes; i > max_bytes / 2; --i) {
    if (IsSpace(text[i - 1])) return i;
  }
  size_t cut = text::FloorCodePointBoundary(text, max_bytes);
  // A limit smaller than one code point still takes that whole code point, to make progress.
  if (cut == 0) cut = text::CeilCodePointBoundary(text, 1);
  return cut;
}

}  // namespace

Result<OversizePolicy> ParseOversizePolicy(std::string_view name) {
  if (name == "truncate") return OversizePolicy::kTruncate;
  if (name == "split") return OversizePolicy::kSplit;
  return Status::InvalidArgument("oversize policy \"" + std::string(name) + "\"",
                                 "want truncate or split");
}

std::string_view OversizePolicyName(OversizePolicy policy) {
  return policy == OversizePolicy::kSplit ? "split" : "truncate";
}

uint64_t EstimateTokens(std::string_view text) {
  return (text.size() + kBytesPerToken - 1) / kBytesPerToken;
}

std::vector<std::string_view> LimitInput(std::string_view text, uint64_t max_tokens,
                                         OversizePolicy policy) {
  ROXI_DCHECK(max_tokens >= 1);
  const uint64_t max_bytes64 = max_tokens * kBytesPerToken;
  const size_t max_bytes =
      max_bytes64 >= text.size() ? text.size() : static_cast<size_t>(max_bytes64);
  std::vector<std::string_view> pieces;
  while (text.size() > max_bytes) {
    const size_t cut = CutLength(text, max_bytes);
    pieces.push_back(text.substr(0, cut));
    if (policy == OversizePolicy::kTruncate) return pieces;
    text.remove_prefix(cut);
  }
  if (!text.empty() || pieces.empty()) pieces.push_back(text);
  return pieces;
}

}  // namespace roxi::embedders
