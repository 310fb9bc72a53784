#include "src/embedders/embedder.h"

#include <string>

namespace roxi::embedders {

Status PrepareEmbedCall(size_t texts, size_t out_floats, size_t dim,
                        std::vector<Status>* item_status) {
  if (item_status == nullptr) return Status::InvalidArgument("embed", "no item status vector");
  if (out_floats != texts * dim) {
    return Status::InvalidArgument(
        "embed", "output holds " + std::to_string(out_floats) + " floats, expected " +
                     std::to_string(texts) + " texts * " + std::to_string(dim));
  }
  item_status->assign(texts, Status::OK());
  return Status::OK();
}

}  // namespace roxi::embedders
