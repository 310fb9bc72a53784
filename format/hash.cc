#include "format/hash.h"

#include <xxhash.h>

namespace roxi::format {

uint64_t Xxh3(std::string_view data) { return XXH3_64bits(data.data(), data.size()); }

}  // namespace roxi::format
