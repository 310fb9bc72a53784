// Strong id types and the RocksDB key encodings of roxi's column families (FORMAT.md §2).
//
// A DocumentId is allocated sequentially from 1 and is below 2^39. A ChunkId packs its document and
// its chunk number (below 2^24) into one 63-bit value, (document << 24) | number, so it is also the
// FAISS label of the chunk's vector. Both encode as 8 big-endian bytes, so keys sort by document,
// then by chunk number.
//
// Thread-safety: pure functions and values.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "format/status.h"

namespace roxi::format {

inline constexpr uint64_t kMaxDocumentId = (uint64_t{1} << 39) - 1;
inline constexpr uint32_t kMaxChunkNumber = (uint32_t{1} << 24) - 1;
inline constexpr size_t kIdKeySize = 8;
// Document names (a path or a user-given id) are keys of the `names` family.
inline constexpr size_t kMaxDocumentNameBytes = 4096;

struct DocumentId {
  uint64_t value = 0;
  auto operator<=>(const DocumentId&) const = default;
};

struct ChunkId {
  uint64_t value = 0;
  auto operator<=>(const ChunkId&) const = default;
};

// REQUIRES: doc.value <= kMaxDocumentId and number <= kMaxChunkNumber.
ChunkId MakeChunkId(DocumentId doc, uint32_t number);
inline DocumentId DocumentOf(ChunkId id) { return DocumentId{id.value >> 24}; }
inline uint32_t ChunkNumberOf(ChunkId id) { return static_cast<uint32_t>(id.value & kMaxChunkNumber); }

// "document 12" / "chunk 12:3": how ids appear in messages.
std::string DescribeDocument(DocumentId id);
std::string DescribeChunk(ChunkId id);

std::string EncodeDocumentKey(DocumentId id);
// Corruption unless exactly 8 bytes holding an id in 1..kMaxDocumentId.
Result<DocumentId> DecodeDocumentKey(std::string_view key);

std::string EncodeChunkKey(ChunkId id);
// Corruption unless exactly 8 bytes holding a chunk of a valid document.
Result<ChunkId> DecodeChunkKey(std::string_view key);

// First key of document `doc`'s chunks and the first key past them: [begin, end).
std::string ChunkKeyRangeBegin(DocumentId doc);
std::string ChunkKeyRangeEnd(DocumentId doc);

// A `text_vectors` key (FORMAT.md §2.7): chunk `chunk` holds a vector of model `model` for text
// whose XXH3-64 is `text_hash`. The family is the index that lets identical text reuse a vector.
inline constexpr size_t kTextVectorKeySize = 24;
inline constexpr size_t kTextVectorPrefixSize = 16;
struct TextVectorKey {
  uint64_t model = 0;
  uint64_t text_hash = 0;
  ChunkId chunk;
  bool operator==(const TextVectorKey&) const = default;
};
std::string EncodeTextVectorKey(const TextVectorKey& key);
// The first 16 bytes of every key of (model, text_hash): the range a lookup scans.
std::string TextVectorKeyPrefix(uint64_t model, uint64_t text_hash);
// Corruption unless exactly 24 bytes whose last 8 are a valid chunk key.
Result<TextVectorKey> DecodeTextVectorKey(std::string_view key);

// InvalidArgument unless 1..kMaxDocumentNameBytes bytes with no NUL.
Status ValidateDocumentName(std::string_view name);

}  // namespace roxi::format

template <>
struct std::hash<roxi::format::ChunkId> {
  size_t operator()(const roxi::format::ChunkId& id) const noexcept {
    return std::hash<uint64_t>()(id.value);
  }
};
template <>
struct std::hash<roxi::format::DocumentId> {
  size_t operator()(const roxi::format::DocumentId& id) const noexcept {
    return std::hash<uint64_t>()(id.value);
  }
};
