#include "tests/cli/store_census.h"

#include <gtest/gtest.h>

#include <unordered_map>

#include "storage/store.h"

namespace roxi::testing {

Census TakeCensus(const std::string& data_dir) {
  Census c;
  storage::StoreOptions options;
  options.data_dir = data_dir;
  options.mode = storage::StoreOptions::Mode::kReadOnly;
  auto store = storage::Store::Open(options);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  if (!store.ok()) return c;
  std::unordered_map<uint64_t, format::ChunkState> states;
  EXPECT_TRUE((*store)
                  ->ForEachChunk([&](format::ChunkId id, const format::ChunkRecord& r) {
                    ++c.chunks;
                    states[id.value] = r.state;
                    if (r.state == format::ChunkState::kEmbedded) ++c.embedded_chunks;
                    return Status::OK();
                  })
                  .ok());
  std::unordered_map<uint64_t, bool> has_vector;
  EXPECT_TRUE((*store)
                  ->ForEachVector([&](format::ChunkId id, const format::VectorRecord&) {
                    ++c.vectors;
                    has_vector[id.value] = true;
                    auto it = states.find(id.value);
                    if (it == states.end() || it->second != format::ChunkState::kEmbedded) {
                      ++c.vectors_without_embedded_chunk;
                    }
                    return Status::OK();
                  })
                  .ok());
  for (const auto& [id, state] : states) {
    if (state == format::ChunkState::kEmbedded && !has_vector.count(id)) {
      ++c.embedded_chunks_without_vector;
    }
  }
  auto pending = (*store)->ReadPending(std::nullopt, 1u << 30);
  EXPECT_TRUE(pending.ok()) << pending.status().ToString();
  if (pending.ok()) c.pending_entries = pending->size();
  c.counters = (*store)->GetCounters();
  if (auto cp = (*store)->GetCheckpoint("process"); cp.ok()) c.checkpoint_embedded = cp->chunks_embedded;
  return c;
}

void ExpectConsistent(const Census& c) {
  EXPECT_EQ(c.vectors_without_embedded_chunk, 0u);
  EXPECT_EQ(c.embedded_chunks_without_vector, 0u);
  EXPECT_EQ(c.counters.chunks, c.chunks);
  EXPECT_EQ(c.counters.embedded, c.vectors);
  EXPECT_EQ(c.counters.pending, c.pending_entries);
  EXPECT_EQ(c.chunks, c.vectors + c.pending_entries + c.counters.failed);
}

}  // namespace roxi::testing
