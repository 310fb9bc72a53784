// The identity an embedder's vectors carry in the store: its id, the fingerprint every vector
// record names, and its dimension.
//
// Thread-safety: pure function.
#pragma once

#include "format/meta_records.h"
#include "src/embedders/embedder.h"

namespace roxi::embedders {

format::EmbedderRecord IdentityOf(const EmbedderInfo& info);

}  // namespace roxi::embedders
