// Input limits of the OpenAI-compatible embedder: how long a text may be, how its token count is
// estimated, and what happens to a text that is longer.
//
// roxi cannot run each server's tokenizer, so it estimates: one token per kBytesPerToken bytes of
// UTF-8, rounded up. That over-counts English (about 4 bytes a token) and so errs on the safe side;
// dense scripts can still exceed a model's limit, and then the server's 400 rejects that one text
// (see OpenAiEmbedder). The estimate also feeds --max-tokens-per-minute.
//
// A text over the limit is never dropped and never an error:
//  - truncate (the default): only its first max_tokens (estimated) are embedded; the rest of the
//    text still counts for search through neighbouring chunks, which overlap;
//  - split: it is cut into pieces of at most max_tokens, every piece is embedded, and its vector is
//    the mean of the pieces' vectors weighted by their byte length, L2-normalised.
// Either way the item's status is OK. Cuts fall on the last whitespace in the second half of the
// allowed span if there is one, else on a code point boundary, so no UTF-8 sequence is split.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "format/status.h"

namespace roxi::embedders {

inline constexpr uint64_t kBytesPerToken = 3;

enum class OversizePolicy { kTruncate, kSplit };

// "truncate" or "split"; InvalidArgument naming the value otherwise.
Result<OversizePolicy> ParseOversizePolicy(std::string_view name);
std::string_view OversizePolicyName(OversizePolicy policy);

// ceil(text.size() / kBytesPerToken).
uint64_t EstimateTokens(std::string_view text);

// The parts of `text` to embed: the whole text if it fits in max_tokens, else its first piece
// (truncate) or all its pieces (split). Views into `text`; never empty for a non-empty text.
// REQUIRES: max_tokens >= 1; text is valid UTF-8.
std::vector<std::string_view> LimitInput(std::string_view text, uint64_t max_tokens,
                                         OversizePolicy policy);

}  // namespace roxi::embedders
