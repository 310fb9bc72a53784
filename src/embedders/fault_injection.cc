#include "src/embedders/fault_injection.h"

#include <unistd.h>

#include <cstdlib>
#include <string>

namespace roxi::embedders {

namespace {

class FaultInjectingEmbedder final : public Embedder {
 public:
  FaultInjectingEmbedder(std::unique_ptr<Embedder> inner, std::string reject_marker,
                         std::string outage_file)
      : inner_(std::move(inner)),
        reject_marker_(std::move(reject_marker)),
        outage_file_(std::move(outage_file)) {}

  const EmbedderInfo& info() const override { return inner_->info(); }
  bool AllowsConcurrentEmbed() const override { return inner_->AllowsConcurrentEmbed(); }

  Status Embed(std::span<const std::string_view> texts, std::span<float> out,
               std::vector<Status>* item_status) override {
    if (!outage_file_.empty() && ::access(outage_file_.c_str(), F_OK) == 0) {
      return Status::Unavailable("embedder " + info().id, "outage injected by " + outage_file_);
    }
    ROXI_RETURN_IF_ERROR(inner_->Embed(texts, out, item_status));
    if (!reject_marker_.empty()) {
      for (size_t i = 0; i < texts.size(); ++i) {
        if (texts[i].find(reject_marker_) != std::string_view::npos) {
          (*item_status)[i] = Status::InvalidArgument("embedder " + info().id,
                                                      "rejected by test fault injection");
        }
      }
    }
    return Status::OK();
  }

 private:
  std::unique_ptr<Embedder> inner_;
  const std::string reject_marker_;
  const std::string outage_file_;
};

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

}  // namespace

std::unique_ptr<Embedder> WithInjectedFaults(std::unique_ptr<Embedder> embedder) {
  std::string reject = Env("ROXI_TEST_EMBEDDER_REJECT");
  std::string outage = Env("ROXI_TEST_EMBEDDER_OUTAGE_FILE");
  if (reject.empty() && outage.empty()) return embedder;
  return std::make_unique<FaultInjectingEmbedder>(std::move(embedder), std::move(reject),
                                                  std::move(outage));
}

}  // namespace roxi::embedders
