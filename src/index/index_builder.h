// Builds the in-memory VectorIndex from the `vectors` family. The index is derived data: RocksDB is
// the source of truth, and an index is rebuilt from it whenever one is needed.
//
// Thread-safety: BuildIndexFromStore may run concurrently with Store writers; it sees each vector
// as of the moment the scan reaches it.
#pragma once

#include <cstdint>
#include <memory>

#include "format/meta_records.h"
#include "format/status.h"
#include "src/index/vector_index.h"
#include "storage/store.h"

namespace roxi::index {

struct IndexBuildReport {
  uint64_t vectors = 0;
  uint64_t skipped_other_model = 0;  // vectors of another embedder (mid re-embed): left out
  uint64_t micros = 0;
};

// Loads every vector of `embedder` into a new index (binary16, as stored, appended in blocks, so no
// second full copy is held), on the default SIMD path. Corruption naming the key if a vector is
// damaged or has the wrong dimension; DefaultSimdPath's error if ROXI_SIMD is bad.
Result<std::unique_ptr<VectorIndex>> BuildIndexFromStore(const storage::Store& store,
                                                         const format::EmbedderRecord& embedder,
                                                         IndexBuildReport* report = nullptr);

}  // namespace roxi::index
