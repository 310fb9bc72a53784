// Embedder: turns chunk texts into fixed-dimension, L2-normalised float32 vectors, a batch at a time.
//
// Every implementation (the built-in hashing embedder, local model files, the OpenAI-compatible HTTP
// client) sits behind this interface, so the processor never knows which one it drives.
//
// Thread-safety: an Embedder is used by one thread at a time unless the implementation says
// otherwise; info() is immutable after construction and safe from any thread.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "format/status.h"

namespace roxi::embedders {

struct EmbedderInfo {
  // Identity of the vectors this embedder produces: kind, model, dimension and a fingerprint of
  // every setting that changes a vector, e.g. "builtin:hash-v1:384". Two embedders with the same id
  // must produce the same vector for the same text.
  std::string id;
  uint32_t dim = 0;
};

class Embedder {
 public:
  virtual ~Embedder() = default;

  virtual const EmbedderInfo& info() const = 0;

  // Embeds texts[i] into out[i * dim, (i + 1) * dim), L2-normalised (a text with no features yields
  // the zero vector).
  //
  // Returns OK when the batch as a whole ran. Then item_status (resized to texts.size()) says, per
  // text, OK or why that one text was rejected (InvalidArgument: too long, bad content); a rejected
  // text's row of `out` is unspecified. Returns Unavailable or TimedOut when the embedder could not
  // serve the batch at all (the caller retries the whole batch later, charging no text an attempt),
  // and InvalidArgument when the call itself is malformed.
  // REQUIRES: out.size() == texts.size() * info().dim.
  virtual Status Embed(std::span<const std::string_view> texts, std::span<float> out,
                       std::vector<Status>* item_status) = 0;

  // True when Embed may be called from two threads at once, so a caller can start the next batch
  // before the last one is back (a remote embedder then keeps its server supplied between calls).
  // Default: false, one call at a time.
  virtual bool AllowsConcurrentEmbed() const { return false; }
};

// The argument check every Embed implementation starts with: InvalidArgument unless item_status is
// given and out holds texts * dim floats; then item_status holds `texts` OK statuses.
Status PrepareEmbedCall(size_t texts, size_t out_floats, size_t dim, std::vector<Status>* item_status);

}  // namespace roxi::embedders
