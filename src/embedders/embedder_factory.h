// CreateEmbedder: turns the user's embedder choice (a spec string and the settings that go with
// it) into an Embedder. The one place that knows every kind of embedder; everything else holds an
// Embedder.
//
// Known specs:
//   "builtin"       the offline hashing embedder (builtin_embedder.h), `dim` dimensions.
//   "static:PATH"   a word2vec / fastText .vec model file (static_embedder.h), pooled by
//                   `pooling`.
//   "openai:URL"    a server speaking the OpenAI embeddings protocol (openai_embedder.h), e.g.
//                   "openai:http://127.0.0.1:11434/v1"; settings in `openai` (its url is taken
//                   from the spec).
//
// Thread-safety: CreateEmbedder may be called from any thread. It has side effects for two kinds:
// "static:PATH" may build the model's cache file, "openai:URL" without dimensions sends one
// request to learn them. See each Embedder for its own thread-safety.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "format/status.h"
#include "src/embedders/embedder.h"
#include "src/embedders/openai_embedder.h"
#include "src/embedders/static_embedder.h"

namespace roxi::embedders {

struct EmbedderOptions {
  // Which embedder to build; see the list above. The kind is exact and case-sensitive.
  // Default: "builtin".
  std::string spec = "builtin";
  // Dimension of the vectors, for kinds whose dimension is a choice (builtin: 8..4096).
  // Default: 384.
  uint32_t dim = 384;
  // Settings of "openai:URL"; `openai.url` is ignored (the spec's URL is used).
  OpenAiEmbedderOptions openai;
  // Pooling of "static:PATH". Default: sif.
  Pooling pooling = Pooling::kSif;
};

// OK when `spec` names a known kind of embedder; otherwise the InvalidArgument CreateEmbedder
// returns for it. Builds nothing: for checking a configuration before it is used.
Status ValidateEmbedderKind(std::string_view spec);

// A new embedder for `options`. InvalidArgument naming the spec and listing the known kinds if the
// spec is unknown, or naming the setting at fault; for "openai:URL", whatever
// OpenAiEmbedder::Create returns.
Result<std::unique_ptr<Embedder>> CreateEmbedder(const EmbedderOptions& options);

}  // namespace roxi::embedders
