#include "src/bench/bench_index.h"

#include "src/index/faiss_flat_index.h"
#include "src/index/index_builder.h"

namespace roxi::bench {

namespace {

constexpr size_t kBlockVectors = 4096;

class FlatBenchIndex final : public BenchIndex {
 public:
  explicit FlatBenchIndex(std::unique_ptr<index::VectorIndex> index) : index_(std::move(index)) {}
  IndexKind kind() const override { return IndexKind::kFlat; }
  Result<std::vector<index::SearchHit>> Search(std::span<const float> query,
                                               size_t k) const override {
    return index_->Search(query, k);
  }
  uint64_t MemoryBytes() const override { return index_->MemoryBytes(); }
  uint64_t size() const override { return index_->size(); }
  const index::VectorIndex* flat() const override { return index_.get(); }

 private:
  std::unique_ptr<index::VectorIndex> index_;
};

class FaissBenchIndex final : public BenchIndex {
 public:
  FaissBenchIndex(std::unique_ptr<index::FaissFlatIndex> index, uint64_t size, uint32_t dim)
      : index_(std::move(index)), size_(size), dim_(dim) {}
  IndexKind kind() const override { return IndexKind::kFaissFlat; }
  Result<std::vector<index::SearchHit>> Search(std::span<const float> query,
                                               size_t k) const override {
    return index_->Search(query, k);
  }
  // float32 rows and FAISS's 64-bit labels, as IndexFlatIP holds them.
  uint64_t MemoryBytes() const override { return size_ * (uint64_t{dim_} * 4 + 8); }
  uint64_t size() const override { return size_; }

 private:
  std::unique_ptr<index::FaissFlatIndex> index_;
  uint64_t size_;
  uint32_t dim_;
};

Result<std::unique_ptr<BenchIndex>> BuildFaiss(const storage::Store& store,
                                               const format::EmbedderRecord& embedder) {
  ROXI_ASSIGN_OR_RETURN(std::unique_ptr<index::FaissFlatIndex> faiss,
                        index::FaissFlatIndex::Create(embedder.dim));
  std::vector<uint64_t> ids;
  std::vector<uint16_t> halfs;
  uint64_t total = 0;
  auto flush = [&]() -> Status {
    if (ids.empty()) return Status::OK();
    ROXI_RETURN_IF_ERROR(faiss->AddHalfs(ids, halfs));
    total += ids.size();
    ids.clear();
    halfs.clear();
    return Status::OK();
  };
  ROXI_RETURN_IF_ERROR(
      store.ForEachVector([&](format::ChunkId id, const format::VectorRecord& v) -> Status {
        if (v.model != embedder.fingerprint) return Status::OK();
        if (v.halfs.size() != embedder.dim) {
          return Status::Corruption("vectors[" + format::DescribeChunk(id) + "]",
                                    "dimension " + std::to_string(v.halfs.size()) +
                                        ", store's is " + std::to_string(embedder.dim));
        }
        ids.push_back(id.value);
        halfs.insert(halfs.end(), v.halfs.begin(), v.halfs.end());
        return ids.size() == kBlockVectors ? flush() : Status::OK();
      }));
  ROXI_RETURN_IF_ERROR(flush());
  return std::unique_ptr<BenchIndex>(
      std::make_unique<FaissBenchIndex>(std::move(faiss), total, embedder.dim));
}

}  // namespace

Result<IndexKind> ParseIndexKind(std::string_view name) {
  if (name == "flat" || name == "auto") return IndexKind::kFlat;
  if (name == "faiss-flat") return IndexKind::kFaissFlat;
  std::string detail = "unknown index kind; known: flat, faiss-flat, auto";
  if (name == "ivf" || name == "hnsw") {
    detail = "roxi has no " + std::string(name) + " index yet; known: flat, faiss-flat, auto";
  }
  return Status::InvalidArgument("--index '" + std::string(name) + "'", detail);
}

std::string_view IndexKindName(IndexKind kind) {
  return kind == IndexKind::kFlat ? "flat" : "faiss-flat";
}

bool ServeUses(IndexKind kind) { return kind == IndexKind::kFlat; }

Result<std::unique_ptr<BenchIndex>> BuildBenchIndex(IndexKind kind, const storage::Store& store,
                                                    const format::EmbedderRecord& embedder) {
  if (kind == IndexKind::kFaissFlat) return BuildFaiss(store, embedder);
  ROXI_ASSIGN_OR_RETURN(std::unique_ptr<index::VectorIndex> flat,
                        index::BuildIndexFromStore(store, embedder));
  return std::unique_ptr<BenchIndex>(std::make_unique<FlatBenchIndex>(std::move(flat)));
}

}  // namespace roxi::bench
