// StoreCensus: what a data directory's store really holds, counted by scanning the families
// directly (not through roxi status), so tests can check the counters against reality.
#pragma once

#include <cstdint>
#include <string>

#include "format/meta_records.h"

namespace roxi::testing {

struct Census {
  uint64_t chunks = 0;
  uint64_t embedded_chunks = 0;
  uint64_t vectors = 0;
  uint64_t pending_entries = 0;
  uint64_t vectors_without_embedded_chunk = 0;
  uint64_t embedded_chunks_without_vector = 0;
  format::CountersRecord counters;
  uint64_t checkpoint_embedded = 0;
};

// Opens the store read-only (beside a writer if one runs) and counts. Fails the test on error,
// including a pending entry that points at a missing chunk.
Census TakeCensus(const std::string& data_dir);

// Every family agrees with the others and with the counters.
void ExpectConsistent(const Census& census);

}  // namespace roxi::testing
