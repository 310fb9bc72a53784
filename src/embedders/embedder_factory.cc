#include "src/embedders/embedder_factory.h"

#include <string>

#include "src/embedders/builtin_embedder.h"

namespace roxi::embedders {

namespace {
constexpr std::string_view kKnownKinds = "builtin";
}  // namespace

Result<std::unique_ptr<Embedder>> CreateEmbedder(const EmbedderOptions& options) {
  if (options.spec != "builtin") {
    return Status::InvalidArgument(
        "embedder spec",
        "\"" + options.spec + "\" is not known (known kinds: " + std::string(kKnownKinds) + ")");
  }
  if (options.dim < BuiltinEmbedder::kMinDim || options.dim > BuiltinEmbedder::kMaxDim) {
    return Status::InvalidArgument("embedder dim",
                                   std::to_string(options.dim) + " is outside " +
                                       std::to_string(BuiltinEmbedder::kMinDim) + ".." +
                                       std::to_string(BuiltinEmbedder::kMaxDim) + " for builtin");
  }
  return std::unique_ptr<Embedder>(std::make_unique<BuiltinEmbedder>(options.dim));
}

}  // namespace roxi::embedders
