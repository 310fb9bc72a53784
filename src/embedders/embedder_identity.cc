#include "src/embedders/embedder_identity.h"

#include "format/hash.h"

namespace roxi::embedders {

format::EmbedderRecord IdentityOf(const EmbedderInfo& info) {
  return format::EmbedderRecord{info.id, format::Xxh3(info.id), info.dim};
}

}  // namespace roxi::embedders
