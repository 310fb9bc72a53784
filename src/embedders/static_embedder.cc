#include "src/embedders/static_embedder.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>

#include "format/hash.h"
#include "src/text/utf8.h"

namespace roxi::embedders {

namespace {

// Bump when the pooling code changes.
constexpr std::string_view kAlgorithm = "static-v1";
constexpr float kSifA = 1e-3f;
constexpr double kEulerGamma = 0.5772156649015329;

std::string Hex(uint64_t value, int digits) {
  char buffer[17];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(value));
  return std::string(buffer + 16 - digits);
}

}  // namespace

Result<Pooling> ParsePooling(std::string_view name) {
  if (name == "sif") return Pooling::kSif;
  if (name == "mean") return Pooling::kMean;
  return Status::InvalidArgument("pooling \"" + std::string(name) + "\"", "want sif or mean");
}

std::string_view PoolingName(Pooling pooling) { return pooling == Pooling::kMean ? "mean" : "sif"; }

StaticEmbedder::StaticEmbedder(std::unique_ptr<VecModel> model, Pooling pooling)
    : model_(std::move(model)), pooling_(pooling) {
  const auto n = static_cast<double>(model_->word_count());
  harmonic_ = std::log(n) + kEulerGamma + 1.0 / (2.0 * n);
  info_.dim = model_->dim();
  const std::string settings =
      std::string(kAlgorithm) + ";pooling=" + std::string(PoolingName(pooling)) +
      ";a=" + std::to_string(std::bit_cast<uint32_t>(kSifA)) +
      ";zipf;oov=subword,rarest;builder=" + std::to_string(VecModelBuilderFingerprint());
  info_.id = "static:" + Hex(model_->source_hash(), 16) + ":" + std::string(PoolingName(pooling)) +
             ":" + std::to_string(info_.dim) + ":" + Hex(format::Xxh3(settings), 8);
}

Result<std::unique_ptr<StaticEmbedder>> StaticEmbedder::Create(const StaticEmbedderOptions& options,
                                                               VecModelOpenReport* report) {
  if (options.path.empty()) {
    return Status::InvalidArgument("embedder spec static:", "want static:PATH to a .vec model");
  }
  Result<std::unique_ptr<VecModel>> model = VecModel::Open(options.path, report);
  if (!model.ok()) return model.status().WithContext("static embedder");
  return std::unique_ptr<StaticEmbedder>(
      new StaticEmbedder(std::move(model).value(), options.pooling));
}

float StaticEmbedder::Weight(uint64_t rank) const {
  if (pooling_ == Pooling::kMean) return 1.0f;
  const double p = 1.0 / ((static_cast<double>(rank) + 1.0) * harmonic_);
  return static_cast<float>(kSifA / (kSifA + p));
}

bool StaticEmbedder::EmbedText(std::string_view text, float* row) {
  const uint32_t dim = info_.dim;
  std::fill(row, row + dim, 0.0f);
  text::TokenizeWords(text, &words_);
  const float rarest = Weight(model_->word_count());
  for (size_t i = 0; i < words_.size(); ++i) {
    const std::string_view word = words_[i];
    if (std::optional<uint64_t> rank = model_->Find(word)) {
      model_->AddWordVector(*rank, Weight(*rank), row);
    } else {
      // why: a word without any known n-gram adds nothing, like a word the model never saw.
      (void)model_->AddSubwordVector(word, rarest, row);
    }
  }
  double sum = 0;
  for (uint32_t d = 0; d < dim; ++d) sum += double{row[d]} * row[d];
  if (!std::isfinite(sum)) {
    std::fill(row, row + dim, 0.0f);
    return false;
  }
  if (sum == 0) return true;
  const double scale = 1.0 / std::sqrt(sum);
  for (uint32_t d = 0; d < dim; ++d) row[d] = static_cast<float>(row[d] * scale);
  return true;
}

Status StaticEmbedder::Embed(std::span<const std::string_view> texts, std::span<float> out,
                             std::vector<Status>* item_status) {
  const size_t dim = info_.dim;
  ROXI_RETURN_IF_ERROR(PrepareEmbedCall(texts.size(), out.size(), dim, item_status));
  for (size_t i = 0; i < texts.size(); ++i) {
    float* row = out.data() + i * dim;
    if (Status s = text::CheckUtf8(texts[i], "embed text"); !s.ok()) {
      std::fill(row, row + dim, 0.0f);
      (*item_status)[i] = std::move(s);
      continue;
    }
    if (!EmbedText(texts[i], row)) {
      // The builder writes only finite components, so this needs a damaged cache.
      (*item_status)[i] = Status::Internal(info_.id, "the model gave a non-finite vector");
    }
  }
  return Status::OK();
}

}  // namespace roxi::embedders
