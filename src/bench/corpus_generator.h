// The corpus `roxi bench` generates when it is given none: Markdown files of English-like prose
// (words drawn with a Zipf-like skew from a few hundred common English words, in sentences of 5
// to 20 words and paragraphs of 3 to 7 sentences), deterministic in the seed, so two machines
// bench the same bytes. Files are added until the chunker, with the options ingest will use,
// makes at least the chunks asked for of them.
//
// Thread-safety: reentrant.
#pragma once

#include <cstdint>
#include <string>

#include "format/status.h"
#include "src/text/chunker.h"

namespace roxi::bench {

struct GeneratedCorpus {
  uint64_t files = 0;
  uint64_t bytes = 0;
  uint64_t chunks = 0;  // as `chunker` splits the files; at least the number asked for
};

// Bytes of prose per generated file (the last paragraph may cross it).
inline constexpr uint64_t kCorpusFileBytes = 32 * 1024;

// Writes doc-00000.md, doc-00001.md, ... into the existing folder `dir` until their chunks reach
// `chunks` (at least 1). InvalidArgument for 0 chunks or bad chunker options; IOError naming the
// file when one cannot be written.
Result<GeneratedCorpus> GenerateCorpus(const std::string& dir, uint64_t chunks,
                                       const text::ChunkerOptions& chunker, uint64_t seed);

}  // namespace roxi::bench
