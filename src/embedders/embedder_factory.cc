#include "src/embedders/embedder_factory.h"

#include <string>

#include "src/embedders/builtin_embedder.h"

namespace roxi::embedders {

namespace {

constexpr std::string_view kKnownKinds = "builtin, static:PATH, openai:URL";
constexpr std::string_view kOpenAiPrefix = "openai:";
constexpr std::string_view kStaticPrefix = "static:";

Result<std::unique_ptr<Embedder>> CreateBuiltin(const EmbedderOptions& options) {
  if (options.dim < BuiltinEmbedder::kMinDim || options.dim > BuiltinEmbedder::kMaxDim) {
    return Status::InvalidArgument("embedder dim",
                                   std::to_string(options.dim) + " is outside " +
                                       std::to_string(BuiltinEmbedder::kMinDim) + ".." +
                                       std::to_string(BuiltinEmbedder::kMaxDim) + " for builtin");
  }
  return std::unique_ptr<Embedder>(std::make_unique<BuiltinEmbedder>(options.dim));
}

Result<std::unique_ptr<Embedder>> CreateOpenAi(const EmbedderOptions& options) {
  OpenAiEmbedderOptions openai = options.openai;
  openai.url = options.spec.substr(kOpenAiPrefix.size());
  ROXI_ASSIGN_OR_RETURN(std::unique_ptr<OpenAiEmbedder> embedder,
                        OpenAiEmbedder::Create(std::move(openai)));
  return std::unique_ptr<Embedder>(std::move(embedder));
}

Result<std::unique_ptr<Embedder>> CreateStatic(const EmbedderOptions& options) {
  StaticEmbedderOptions static_options;
  static_options.path = options.spec.substr(kStaticPrefix.size());
  static_options.pooling = options.pooling;
  ROXI_ASSIGN_OR_RETURN(std::unique_ptr<StaticEmbedder> embedder,
                        StaticEmbedder::Create(static_options));
  return std::unique_ptr<Embedder>(std::move(embedder));
}

}  // namespace

Status ValidateEmbedderKind(std::string_view spec) {
  if (spec == "builtin" || spec.starts_with(kOpenAiPrefix) || spec.starts_with(kStaticPrefix)) {
    return Status::OK();
  }
  // The spec may be a URL carrying a secret; an unknown one is shown only up to its first colon.
  const std::string shown(spec.substr(0, spec.find(':')));
  return Status::InvalidArgument("embedder spec", "\"" + shown + "\" is not known (known kinds: " +
                                                      std::string(kKnownKinds) + ")");
}

Result<std::unique_ptr<Embedder>> CreateEmbedder(const EmbedderOptions& options) {
  if (options.spec == "builtin") return CreateBuiltin(options);
  if (options.spec.starts_with(kOpenAiPrefix)) return CreateOpenAi(options);
  if (options.spec.starts_with(kStaticPrefix)) return CreateStatic(options);
  return ValidateEmbedderKind(options.spec);
}

}  // namespace roxi::embedders
