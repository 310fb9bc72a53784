// Helpers shared by the Store tests: a document of given chunk texts, and a processor's commit
// entry for a pending chunk with a constant vector of a given embedder.
#pragma once

#include <string>
#include <vector>

#include "format/hash.h"
#include "format/vector_record.h"
#include "storage/store_types.h"

namespace roxi::storage::testing {

// Chunks numbered in order, each covering its bytes of the concatenated texts.
inline DocumentUpdate MakeDocument(const std::string& name, std::vector<std::string> texts) {
  DocumentUpdate u;
  u.document.name = name;
  u.document.source_path = "/src/" + name;
  u.document.content_hash = format::Xxh3(name + std::to_string(texts.size()));
  uint64_t offset = 0;
  for (auto& t : texts) {
    format::ChunkRecord c;
    c.byte_offset = offset;
    offset += t.size();
    c.text = std::move(t);
    c.text_hash = format::Xxh3(c.text);
    u.chunks.push_back(std::move(c));
  }
  u.document.size_bytes = offset;
  return u;
}

// Every component `value`: the vector's content does not matter to these tests, its model does.
inline EmbeddedChunk Embedded(const PendingChunk& p, const format::EmbedderRecord& e,
                              float value = 0.5f) {
  EmbeddedChunk out;
  out.id = p.id;
  out.text_hash = p.record.text_hash;
  std::vector<float> v(e.dim, value);
  format::EncodeVectorRecordFromFloats(e.fingerprint, out.text_hash, v.data(), e.dim,
                                       &out.vector_value);
  return out;
}

}  // namespace roxi::storage::testing
