#include "format/keys.h"

#include "format/coding.h"
#include "format/dcheck.h"

namespace roxi::format {

ChunkId MakeChunkId(DocumentId doc, uint32_t number) {
  ROXI_DCHECK(doc.value <= kMaxDocumentId);
  ROXI_DCHECK(number <= kMaxChunkNumber);
  return ChunkId{(doc.value << 24) | number};
}

std::string DescribeDocument(DocumentId id) { return "document " + std::to_string(id.value); }

std::string DescribeChunk(ChunkId id) {
  return "chunk " + std::to_string(DocumentOf(id).value) + ":" + std::to_string(ChunkNumberOf(id));
}

std::string EncodeDocumentKey(DocumentId id) {
  std::string key;
  PutBigEndian64(&key, id.value);
  return key;
}

Result<DocumentId> DecodeDocumentKey(std::string_view key) {
  if (key.size() != kIdKeySize) {
    return Status::Corruption("document key", "length " + std::to_string(key.size()) + ", want 8");
  }
  const DocumentId id{DecodeBigEndian64(key.data())};
  if (id.value == 0 || id.value > kMaxDocumentId) {
    return Status::Corruption("document key", "id " + std::to_string(id.value) + " out of range");
  }
  return id;
}

std::string EncodeChunkKey(ChunkId id) {
  std::string key;
  PutBigEndian64(&key, id.value);
  return key;
}

Result<ChunkId> DecodeChunkKey(std::string_view key) {
  if (key.size() != kIdKeySize) {
    return Status::Corruption("chunk key", "length " + std::to_string(key.size()) + ", want 8");
  }
  const ChunkId id{DecodeBigEndian64(key.data())};
  const DocumentId doc = DocumentOf(id);
  if (doc.value == 0 || doc.value > kMaxDocumentId) {
    return Status::Corruption("chunk key", "document " + std::to_string(doc.value) + " out of range");
  }
  return id;
}

std::string ChunkKeyRangeBegin(DocumentId doc) { return EncodeChunkKey(MakeChunkId(doc, 0)); }

std::string ChunkKeyRangeEnd(DocumentId doc) {
  std::string key;
  PutBigEndian64(&key, (doc.value + 1) << 24);
  return key;
}

std::string TextVectorKeyPrefix(uint64_t model, uint64_t text_hash) {
  std::string key;
  key.reserve(kTextVectorKeySize);
  PutBigEndian64(&key, model);
  PutBigEndian64(&key, text_hash);
  return key;
}

std::string EncodeTextVectorKey(const TextVectorKey& key) {
  std::string out = TextVectorKeyPrefix(key.model, key.text_hash);
  PutBigEndian64(&out, key.chunk.value);
  return out;
}

Result<TextVectorKey> DecodeTextVectorKey(std::string_view key) {
  if (key.size() != kTextVectorKeySize) {
    return Status::Corruption("text vector key",
                              "length " + std::to_string(key.size()) + ", want 24");
  }
  auto chunk = DecodeChunkKey(key.substr(kTextVectorPrefixSize));
  if (!chunk.ok()) return chunk.status().WithContext("text vector key");
  return TextVectorKey{DecodeBigEndian64(key.data()), DecodeBigEndian64(key.data() + 8), *chunk};
}

Status ValidateDocumentName(std::string_view name) {
  if (name.empty()) return Status::InvalidArgument("document name", "empty");
  if (name.size() > kMaxDocumentNameBytes) {
    return Status::InvalidArgument("document name", "longer than " +
                                                        std::to_string(kMaxDocumentNameBytes) +
                                                        " bytes");
  }
  if (name.find('\0') != std::string_view::npos) {
    return Status::InvalidArgument("document name", "contains a NUL byte");
  }
  return Status::OK();
}

}  // namespace roxi::format
