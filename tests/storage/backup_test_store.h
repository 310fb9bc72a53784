// A small populated store for the backup, restore and verify tests: documents of generated text,
// some chunks embedded (with a test embedder), some failed, the rest pending, so that every
// chunk state and every family is present.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "format/hash.h"
#include "format/keys.h"
#include "format/vector_record.h"
#include "storage/store.h"

namespace roxi::storage::testing {

inline format::EmbedderRecord TestEmbedder() {
  const std::string id = "test:8";
  return {id, format::Xxh3(id), 8};
}

inline std::unique_ptr<Store> OpenStore(const std::string& data_dir,
                                        StoreOptions::Mode mode = StoreOptions::Mode::kReadWrite) {
  StoreOptions options;
  options.data_dir = data_dir;
  options.mode = mode;
  options.sync_writes = false;
  auto store = Store::Open(options);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  return store.ok() ? std::move(store).value() : nullptr;
}

// Adds `documents` documents named <prefix><i> of `chunks` chunks each, then embeds every chunk
// but one in five (left pending) and fails one in seven.
inline void Populate(Store* store, const std::string& prefix, int documents, int chunks) {
  ASSERT_TRUE(store->BindEmbedder(TestEmbedder()).ok());
  std::vector<DocumentUpdate> updates;
  for (int d = 0; d < documents; ++d) {
    DocumentUpdate u;
    u.document.name = prefix + std::to_string(d);
    u.document.source_path = "/src/" + u.document.name;
    uint64_t offset = 0;
    for (int c = 0; c < chunks; ++c) {
      format::ChunkRecord chunk;
      chunk.byte_offset = offset;
      chunk.text = u.document.name + " chunk " + std::to_string(c) + " " +
                   std::string(200 + (d * 7 + c) % 50, static_cast<char>('a' + (d + c) % 26));
      chunk.text_hash = format::Xxh3(chunk.text);
      offset += chunk.text.size();
      u.chunks.push_back(std::move(chunk));
    }
    u.document.size_bytes = offset;
    u.document.content_hash = format::Xxh3(u.document.name);
    updates.push_back(std::move(u));
  }
  ASSERT_TRUE(store->Ingest(updates).ok());
  auto pending = store->ReadPending(std::nullopt, 1u << 20);
  ASSERT_TRUE(pending.ok());
  EmbeddingCommit commit;
  const auto e = TestEmbedder();
  size_t i = 0;
  for (const auto& p : *pending) {
    ++i;
    if (i % 5 == 0) continue;
    if (i % 7 == 0) {
      commit.rejected.push_back({p.id, p.record.text_hash, "too long", true});
      continue;
    }
    EmbeddedChunk out;
    out.id = p.id;
    out.text_hash = p.record.text_hash;
    std::vector<float> v(e.dim, 0.0f);
    v[i % e.dim] = 1.0f;
    format::EncodeVectorRecordFromFloats(e.fingerprint, out.text_hash, v.data(), e.dim,
                                         &out.vector_value);
    commit.embedded.push_back(std::move(out));
  }
  ASSERT_TRUE(store->CommitEmbeddings(commit).ok());
}

}  // namespace roxi::storage::testing
