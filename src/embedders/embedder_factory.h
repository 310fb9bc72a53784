// CreateEmbedder: turns the user's embedder choice (a spec string and a dimension) into an
// Embedder. The one place that knows every kind of embedder; everything else holds an Embedder.
//
// Known specs:
//   "builtin"  the offline hashing embedder (builtin_embedder.h), `dim` dimensions.
//
// Thread-safety: CreateEmbedder is a pure function; see each Embedder for its own.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "format/status.h"
#include "src/embedders/embedder.h"

namespace roxi::embedders {

struct EmbedderOptions {
  // Which embedder to build; see the list above. Exact, case-sensitive.
  // Default: "builtin".
  std::string spec = "builtin";
  // Dimension of the vectors, for kinds whose dimension is a choice (builtin: 8..4096).
  // Default: 384.
  uint32_t dim = 384;
};

// A new embedder for `options`. InvalidArgument naming the spec and listing the known kinds if the
// spec is unknown, or naming the dimension and its range if that is out of range.
Result<std::unique_ptr<Embedder>> CreateEmbedder(const EmbedderOptions& options);

}  // namespace roxi::embedders
