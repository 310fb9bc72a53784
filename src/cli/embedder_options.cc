#include "src/cli/embedder_options.h"

#include "src/embedders/embedder_factory.h"
#include "src/embedders/embedder_identity.h"

namespace roxi::cli {

void AddEmbedderOption(po::options_description* options, std::string* spec) {
  options->add_options()("embedder", po::value<std::string>(spec)->default_value("builtin"),
                         "embedder: builtin (offline feature hashing, 384 dimensions)");
}

Result<std::unique_ptr<embedders::Embedder>> OpenEmbedderFor(storage::Store* store,
                                                             const std::string& spec) {
  embedders::EmbedderOptions options;
  options.spec = spec;
  ROXI_ASSIGN_OR_RETURN(std::unique_ptr<embedders::Embedder> embedder,
                        embedders::CreateEmbedder(options));
  ROXI_RETURN_IF_ERROR(store->BindEmbedder(embedders::IdentityOf(embedder->info())));
  return embedder;
}

}  // namespace roxi::cli
