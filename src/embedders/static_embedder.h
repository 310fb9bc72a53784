// StaticEmbedder: embeds texts with a static word-embedding model file, offline: spec
// "static:PATH", PATH a word2vec / fastText ".vec" text file (vec_model_reader.h). The first use
// converts the model into a binary cache next to it (FORMAT.md §9) and later uses map that cache
// (vec_model.h), so even a multi-gigabyte model starts in about the time it takes to read its
// cache once.
//
// A text's vector pools the vectors of its words (text::TokenizeWords, case-folded), each
// occurrence counting, then is L2-normalised:
//  - sif (the default): each word weighted a / (a + p(w)), a = 1e-3, the smooth inverse frequency
//    of Arora, Liang and Ma (2017), without its common-component removal (that needs statistics
//    of the corpus being indexed, which change as it grows). .vec files hold no counts but list
//    words most frequent first, so p(w) is estimated from the rank r by Zipf's law:
//    p = 1 / ((r + 1) * H_N), N the model's word count. Frequent words ("the", "of") then weigh
//    almost nothing and rare, topical words dominate, where a plain mean makes every chunk's vector
//    lean towards the same function words.
//  - mean: every word weighted 1.
// A word the model lacks takes its subword vector (vec_model.h), weighted as the rarest word; a
// word without one is skipped. A text with no usable word gets the zero vector.
//
// Identity: "static:<model hash>:<pooling>:<dim>:<fingerprint>": the model file's XXH3-64 (16 hex
// digits), so another model file is another embedder, and 8 hex digits over the pooling
// constants, the cache builder's fingerprint and this algorithm's version.
//
// Thread-safety: Embed may be called by one thread at a time (it reuses scratch buffers); info()
// is immutable and safe from any thread.
#pragma once

#include <memory>
#include <string>

#include "format/status.h"
#include "src/embedders/embedder.h"
#include "src/embedders/vec_model.h"
#include "src/text/word_tokenizer.h"

namespace roxi::embedders {

enum class Pooling { kSif, kMean };

// "sif" or "mean"; InvalidArgument naming the value otherwise.
Result<Pooling> ParsePooling(std::string_view name);
std::string_view PoolingName(Pooling pooling);

struct StaticEmbedderOptions {
  // The .vec model file. Required.
  std::string path;
  // How word vectors are pooled. Default: sif.
  Pooling pooling = Pooling::kSif;
};

class StaticEmbedder final : public Embedder {
 public:
  // Opens the model (VecModel::Open: building its cache if needed). Its errors, with context.
  static Result<std::unique_ptr<StaticEmbedder>> Create(const StaticEmbedderOptions& options,
                                                        VecModelOpenReport* report = nullptr);
  StaticEmbedder(const StaticEmbedder&) = delete;
  StaticEmbedder& operator=(const StaticEmbedder&) = delete;

  const EmbedderInfo& info() const override { return info_; }

  // See Embedder::Embed. Never Unavailable or TimedOut. Per text: OK, InvalidArgument for
  // ill-formed UTF-8, or Internal if the pooled vector is not finite (its row is then zero).
  Status Embed(std::span<const std::string_view> texts, std::span<float> out,
               std::vector<Status>* item_status) override;

 private:
  StaticEmbedder(std::unique_ptr<VecModel> model, Pooling pooling);
  float Weight(uint64_t rank) const;
  // Writes the normalised vector of `text`; false (row zero) if it was not finite.
  bool EmbedText(std::string_view text, float* row);

  std::unique_ptr<VecModel> model_;
  const Pooling pooling_;
  double harmonic_ = 1;  // H_N for the Zipf estimate
  EmbedderInfo info_;
  text::WordList words_;  // scratch
};

}  // namespace roxi::embedders
