// EmbedPlan: what one batch really has to send to the embedder. A pending chunk whose exact text
// gained a vector after it was queued (another copy was embedded first) takes a copy of that
// vector; chunks of one batch with identical text share one embedder input. Only the remaining
// distinct texts are paid for.
//
// Thread-safety: pure functions over a thread-safe Store.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "format/status.h"
#include "storage/store.h"

namespace roxi::processor {

struct EmbedPlan {
  static constexpr size_t kNoInput = static_cast<size_t>(-1);
  // Distinct texts to embed, in the order of their first chunk. Views into the batch's records.
  std::vector<std::string_view> inputs;
  // Per chunk of the batch: the index of its text in `inputs`, or kNoInput when it is reused.
  std::vector<size_t> input_of;
  // Per chunk: the stored vector (encoded VectorRecord) it reuses, when input_of is kNoInput.
  std::vector<std::optional<std::string>> stored;
  // Per chunk: true when its vector does not come from a call of its own (a stored vector, or the
  // input of an earlier chunk of the batch with the same text): counted as reused at commit.
  std::vector<bool> reused;
};

// Plans `batch` for an embedder of model `model`. IOError or Corruption from the store.
Result<EmbedPlan> PlanEmbedding(const storage::Store& store, uint64_t model,
                                std::span<const storage::PendingChunk> batch);

}  // namespace roxi::processor
