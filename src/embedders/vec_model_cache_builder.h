// BuildVecModelCache: converts a .vec word-embedding model (vec_model_reader.h) into its binary
// cache (FORMAT.md §9) in one streaming pass, so a model of any size is converted without being
// held in memory.
//
// What is kept: each model word that roxi's tokeniser turns into exactly one word, case-folded
// (FORMAT.md §9.1), first occurrence only. What is derived: the character n-gram buckets that
// serve unknown words (vec_model.h: VecBucketCount, ForEachNgramBucket).
//
// Durability: the cache is written to "<cache>.tmp.<pid>", fsynced, renamed over <cache> and the
// directory fsynced; on failure the temporary file is removed and any old cache is left as it
// was.
//
// Thread-safety: a pure function of the files; concurrent builds of one cache each write their own
// temporary file and the last rename wins (both results are valid).
#pragma once

#include <cstdint>
#include <string>

#include "format/status.h"

namespace roxi::embedders {

struct VecCacheBuildReport {
  uint64_t lines = 0;        // word lines in the model file
  uint64_t words = 0;        // kept
  uint64_t not_a_token = 0;  // dropped: not a single token (punctuation, phrases, too long)
  uint64_t duplicates = 0;   // dropped: folds to a word already kept
  uint64_t cache_bytes = 0;  // size of the cache written
};

// Builds `cache_path` from `vec_path`. InvalidArgument naming the model file and line for a
// malformed model, or if it keeps no word; InvalidArgument if the model file changed while it was
// read; IOError (NotFound) naming the file for I/O failures, e.g. a read-only folder.
Status BuildVecModelCache(const std::string& vec_path, const std::string& cache_path,
                          VecCacheBuildReport* report);

}  // namespace roxi::embedders
