#include "src/processor/embed_plan.h"

#include <unordered_map>

namespace roxi::processor {

Result<EmbedPlan> PlanEmbedding(const storage::Store& store, uint64_t model,
                                std::span<const storage::PendingChunk> batch) {
  std::vector<std::string_view> texts;
  texts.reserve(batch.size());
  for (const auto& chunk : batch) texts.emplace_back(chunk.record.text);
  EmbedPlan plan;
  ROXI_ASSIGN_OR_RETURN(plan.stored, store.FindReusableVectors(model, texts));
  plan.input_of.assign(batch.size(), EmbedPlan::kNoInput);
  plan.reused.assign(batch.size(), false);
  // Keyed by hash, confirmed by comparing the text: two texts sharing an XXH3-64 must not share a
  // vector.
  std::unordered_multimap<uint64_t, size_t> input_by_hash;
  for (size_t i = 0; i < batch.size(); ++i) {
    if (plan.stored[i]) {
      plan.reused[i] = true;
      continue;
    }
    const std::string_view text = batch[i].record.text;
    const uint64_t hash = batch[i].record.text_hash;
    auto [first, last] = input_by_hash.equal_range(hash);
    for (auto it = first; it != last; ++it) {
      if (plan.inputs[it->second] == text) {
        plan.input_of[i] = it->second;
        plan.reused[i] = true;
        break;
      }
    }
    if (plan.input_of[i] != EmbedPlan::kNoInput) continue;
    plan.input_of[i] = plan.inputs.size();
    input_by_hash.emplace(hash, plan.inputs.size());
    plan.inputs.push_back(text);
  }
  return plan;
}

}  // namespace roxi::processor
