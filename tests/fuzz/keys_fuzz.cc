// Fuzz target of the key decoders and document-name validation (FORMAT.md §2). The input is tried
// as a documents key, a chunks/vectors/pending key, a text_vectors key and a document name. A decoded key must
// re-encode to the input and lie in its document's chunk range; a rejection must be Corruption
// (keys) or InvalidArgument (names) and agree with the documented rules.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "format/coding.h"
#include "format/keys.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace roxi::format;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const uint64_t raw = in.size() == kIdKeySize ? DecodeBigEndian64(in.data()) : 0;

  const auto doc = DecodeDocumentKey(in);
  const bool doc_valid = in.size() == kIdKeySize && raw >= 1 && raw <= kMaxDocumentId;
  ROXI_FUZZ_CHECK(doc.ok() == doc_valid);
  if (doc.ok()) {
    ROXI_FUZZ_CHECK(doc->value == raw && EncodeDocumentKey(*doc) == in);
  } else {
    ROXI_FUZZ_CHECK(doc.status().IsCorruption());
  }

  const auto chunk = DecodeChunkKey(in);
  const bool chunk_valid =
      in.size() == kIdKeySize && (raw >> 24) >= 1 && (raw >> 24) <= kMaxDocumentId;
  ROXI_FUZZ_CHECK(chunk.ok() == chunk_valid);
  if (chunk.ok()) {
    const ChunkId id = *chunk;
    ROXI_FUZZ_CHECK(id.value == raw && EncodeChunkKey(id) == in);
    ROXI_FUZZ_CHECK(MakeChunkId(DocumentOf(id), ChunkNumberOf(id)) == id);
    const std::string key(in);
    ROXI_FUZZ_CHECK(ChunkKeyRangeBegin(DocumentOf(id)) <= key);
    ROXI_FUZZ_CHECK(key < ChunkKeyRangeEnd(DocumentOf(id)));
  } else {
    ROXI_FUZZ_CHECK(chunk.status().IsCorruption());
  }

  const auto text_vector = DecodeTextVectorKey(in);
  const uint64_t raw_chunk = in.size() == kTextVectorKeySize ? DecodeBigEndian64(in.data() + 16) : 0;
  const bool text_vector_valid = in.size() == kTextVectorKeySize && (raw_chunk >> 24) >= 1 &&
                                 (raw_chunk >> 24) <= kMaxDocumentId;
  ROXI_FUZZ_CHECK(text_vector.ok() == text_vector_valid);
  if (text_vector.ok()) {
    ROXI_FUZZ_CHECK(EncodeTextVectorKey(*text_vector) == in);
    ROXI_FUZZ_CHECK(in.substr(0, kTextVectorPrefixSize) ==
                    TextVectorKeyPrefix(text_vector->model, text_vector->text_hash));
  } else {
    ROXI_FUZZ_CHECK(text_vector.status().IsCorruption());
  }

  const roxi::Status name = ValidateDocumentName(in);
  const bool name_valid =
      !in.empty() && in.size() <= kMaxDocumentNameBytes && in.find('\0') == std::string_view::npos;
  ROXI_FUZZ_CHECK(name.ok() == name_valid);
  if (!name.ok()) ROXI_FUZZ_CHECK(name.IsInvalidArgument());
  return 0;
}
