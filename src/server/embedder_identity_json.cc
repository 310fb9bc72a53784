#include "src/server/embedder_identity_json.h"

#include "format/hash.h"

namespace roxi::server {

nlohmann::json EmbedderIdentityToJson(const format::EmbedderRecord& identity) {
  return {{"id", identity.id}, {"dim", identity.dim}};
}

Result<format::EmbedderRecord> EmbedderIdentityFromJson(const nlohmann::json& json) {
  format::EmbedderRecord identity;
  try {
    identity.id = json.at("id").get<std::string>();
    identity.dim = json.at("dim").get<uint32_t>();
  } catch (const std::exception& e) {
    return Status::InvalidArgument("embedder identity", e.what());
  }
  identity.fingerprint = format::Xxh3(identity.id);
  return identity;
}

}  // namespace roxi::server
