// The JSON of the OpenAI embeddings protocol (POST <base>/embeddings), as roxi sends and checks it.
//
// Request:  {"model": M, "input": [text, ...], "dimensions": D}   ("dimensions" only when set)
// Response: {"object": "list", "data": [{"object": "embedding", "index": i, "embedding": [f, ...]},
//            ...], "model": M, "usage": {...}}
//
// A response is accepted only whole: exactly one item per input, each `index` in range and seen
// once (items may come in any order and are put back in input order), each embedding an array of
// `dim` numbers that are finite as float32. Anything else is refused with the problem named, so a
// vector that does not belong to its input is never returned. Base64-encoded embeddings
// (encoding_format "base64") are not supported; roxi never asks for them.
//
// Requests and error bodies go through nlohmann::json, with exceptions caught at this boundary.
// Successful responses, the hot path, are read with ScanJson (json_scanner.h) straight into the
// output rows, several times faster than building a document.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "format/status.h"

namespace roxi::embedders {

// The request body. `dimensions` 0 leaves the field out. InvalidArgument if an input is not valid
// UTF-8 (JSON cannot carry it).
Result<std::string> EncodeEmbeddingRequest(std::string_view model,
                                           std::span<const std::string_view> inputs,
                                           uint32_t dimensions);

// Checks a 2xx response body for `count` inputs and writes its vectors, in input order, to *out
// (resized to count * dim). `dim` 0 accepts whatever dimension the first item has (all items must
// agree) and is how the dimension is learnt. Returns the dimension, or Unavailable with
// "invalid response: <problem>" (malformed JSON, wrong item count, index missing, out of range or
// repeated, wrong dimension, non-numeric or non-finite component, ...).
Result<uint32_t> DecodeEmbeddingResponse(std::string_view body, size_t count, uint32_t dim,
                                         std::vector<float>* out);

// The server's explanation of an error response, for messages: error.message (OpenAI, vLLM),
// error (Ollama, TEI) or message, else the start of the body; control characters become spaces,
// invalid UTF-8 is dropped, and the result is cut to about 300 bytes. Empty if the body is empty.
std::string ServerErrorMessage(std::string_view body);

}  // namespace roxi::embedders
