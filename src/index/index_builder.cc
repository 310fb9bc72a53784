#include "src/index/index_builder.h"

#include <vector>

#include "src/common/clock.h"

namespace roxi::index {

namespace {
constexpr size_t kBlockVectors = 4096;
}

Result<std::unique_ptr<VectorIndex>> BuildIndexFromStore(const storage::Store& store,
                                                         const format::EmbedderRecord& embedder,
                                                         IndexBuildReport* report) {
  const uint64_t start = common::SystemClock().MonotonicMicros();
  ROXI_ASSIGN_OR_RETURN(std::unique_ptr<VectorIndex> index, VectorIndex::Create(embedder.dim));
  ROXI_RETURN_IF_ERROR(index->Reserve(store.GetCounters().embedded));
  IndexBuildReport local;
  std::vector<uint64_t> ids;
  std::vector<uint16_t> halfs;
  ids.reserve(kBlockVectors);
  halfs.reserve(kBlockVectors * embedder.dim);
  auto flush = [&]() -> Status {
    if (ids.empty()) return Status::OK();
    ROXI_RETURN_IF_ERROR(index->AddHalfs(ids, halfs));
    local.vectors += ids.size();
    ids.clear();
    halfs.clear();
    return Status::OK();
  };
  // Records are read as views: each payload is copied once, straight into the block.
  Status scan = store.ForEachVectorView([&](format::ChunkId id,
                                            const format::VectorRecordView& v) -> Status {
    if (v.model != embedder.fingerprint) {
      ++local.skipped_other_model;
      return Status::OK();
    }
    if (v.dim != embedder.dim) {
      return Status::Corruption("vectors[" + format::DescribeChunk(id) + "]",
                                "dimension " + std::to_string(v.dim) + ", store's is " +
                                    std::to_string(embedder.dim));
    }
    ids.push_back(id.value);
    const size_t at = halfs.size();
    halfs.resize(at + v.dim);
    v.CopyHalfs(halfs.data() + at);
    if (ids.size() == kBlockVectors) return flush();
    return Status::OK();
  });
  ROXI_RETURN_IF_ERROR(scan);
  ROXI_RETURN_IF_ERROR(flush());
  local.micros = common::SystemClock().MonotonicMicros() - start;
  if (report != nullptr) *report = local;
  return index;
}

}  // namespace roxi::index
